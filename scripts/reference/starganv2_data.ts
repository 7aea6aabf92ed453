/**
 * Writes the toy animals a StarGAN v2 experiment trains on (seed and config as given) for the
 * PyTorch twin's training script: float32 NHWC images in [-1, 1], then one byte per domain.
 *   SEED=1 SIZE=16 PER_DOMAIN=300 npx vite-node scripts/reference/starganv2_data.ts out.bin
 */
import { writeFileSync } from 'node:fs';
import { Rng } from '../../src/core/random';
import { AnimalDataset } from '../../src/data/animals';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const rng = new Rng(env('SEED', 1));
// The same forks, in the same order, as the experiment's toyData.
rng.fork('test');
const train = new AnimalDataset(env('PER_DOMAIN', 300), env('SIZE', 16), rng.fork('train'));
const domains = Uint8Array.from(train.params, (p) => p.domain);
const out = process.argv[2] ?? '/tmp/starganv2-animals.bin';
writeFileSync(out, Buffer.concat([Buffer.from(train.images.buffer), Buffer.from(domains)]));
console.log(`${train.count} animals at ${train.size} px -> ${out}`);
