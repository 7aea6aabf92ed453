/**
 * Writes the float tensors of two fixtures back out with src/io/torch/write.ts, for
 * `/usr/bin/python3 scripts/reference/torch_checkpoints.py --verify-export` to torch.load:
 *   npx vite-node scripts/reference/torch_export.ts OUT_DIR
 * writes OUT_DIR/{stargan_g,misc}.pt (zip format) and OUT_DIR/{stargan_g,misc}.safetensors.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type Float32StateDict,
  flattenTensors,
  readTorchCheckpoint,
  writeSafetensors,
  writeTorchZip,
} from '../../src/io/torch';

const out = process.argv[2];
if (!out) throw new Error('usage: vite-node scripts/reference/torch_export.ts OUT_DIR');
const fixtures = join(import.meta.dirname, '../../src/io/torch/fixtures');

for (const stem of ['stargan_g', 'misc']) {
  const checkpoint = readTorchCheckpoint(readFileSync(join(fixtures, `${stem}.zip.pt`)));
  const floats: Float32StateDict = {};
  for (const [name, t] of Object.entries(flattenTensors(checkpoint.root))) {
    if (t.data instanceof Float32Array) floats[name] = { shape: t.shape, data: t.data };
  }
  writeFileSync(join(out, `${stem}.pt`), writeTorchZip(floats, stem));
  writeFileSync(
    join(out, `${stem}.safetensors`),
    writeSafetensors(floats, { format: 'pt', writer: 'gan-playground' }),
  );
  console.log(`${stem}: ${Object.keys(floats).length} float tensors written`);
}
