/**
 * Our reading of clovaai/stargan-v2's checkpoint names at any size, for
 * `/usr/bin/python3 scripts/reference/starganv2_checkpoints.py --check-reference DIR`:
 *   npx vite-node scripts/reference/starganv2_names.ts KEYS.json
 * KEYS.json maps the reference's flattened checkpoint keys ('generator.from_rgb.weight') to
 * their shapes. Prints, as JSON: the shape we infer, our name table at that shape (torch name
 * -> shape, in order), and what the page's import says (its description, or its refusal).
 * Shapes only: the tensors are empty, so full-size networks cost nothing here.
 */
import { readFileSync } from 'node:fs';
import { starganv2Torch } from '../../src/families/starganv2/torch';
import { starganv2FromTorch, starganv2TorchNames } from '../../src/families/starganv2/torchNames';
import { TorchTensor } from '../../src/io/torch';

const path = process.argv[2];
if (!path) throw new Error('usage: vite-node scripts/reference/starganv2_names.ts KEYS.json');
const shapes = JSON.parse(readFileSync(path, 'utf8')) as Record<string, number[]>;
const tensors = Object.fromEntries(
  Object.entries(shapes).map(([k, s]) => [k, new TorchTensor('float32', s, new Float32Array(0))]),
);
// The table is read from the three networks (w_hpf > 0's FAN and filter aside); the page's
// import sees every key.
const { shape } = starganv2FromTorch(
  Object.fromEntries(
    Object.entries(tensors).filter(([k]) => !k.startsWith('fan.') && k !== 'generator.hpf.filter'),
  ),
);
let page: string;
try {
  page = starganv2Torch.fromTorch(tensors, undefined, null)?.description ?? 'not recognised';
} catch (error) {
  page = `refused: ${(error as Error).message}`;
}
const table = starganv2TorchNames(shape).map((e) => [e.torch, e.torchShape]);
console.log(JSON.stringify({ shape, table, page }));
