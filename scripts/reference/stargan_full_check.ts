/**
 * Loads the full-size 128 px StarGAN checkpoint that scripts/reference/stargan_full_checkpoint.py
 * writes (legacy format, as the official 200000-G.ckpt, and the zip format) the way the page's
 * worker does, and prints the load time, the memory it took and G's error against the twin:
 *   npx vite-node scripts/reference/stargan_full_check.ts [OUT_DIR=/tmp/stargan-full]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import type { ExperimentFactory } from '../../src/engine/experiment';
import { experimentFromFile } from '../../src/engine/torchImport';
import { createExperiment, experimentOfTorch } from '../../src/families/engines';
import type { StarGanExperiment } from '../../src/families/stargan/experiment';

const dir = process.argv[2] ?? '/tmp/stargan-full';
await tf.setBackend('cpu');
const mb = (n: number) => `${(n / 1e6).toFixed(0)} MB`;
const build = Object.assign(
  async (c: Parameters<typeof createExperiment>[0]) => createExperiment(c),
  {
    fromTorch: experimentOfTorch,
  },
) as ExperimentFactory;
const io = JSON.parse(readFileSync(join(dir, 'io.json'), 'utf8'));
const decode = (e: { shape: number[]; b64: string }) => {
  const b = Buffer.from(e.b64, 'base64');
  const v = new Float32Array(b.byteLength / 4);
  new Uint8Array(v.buffer).set(b);
  return tf.tensor(v, e.shape);
};

for (const name of ['200000-G.ckpt', '200000-G.zip.pt']) {
  const bytes = new Uint8Array(readFileSync(join(dir, name)));
  global.gc?.();
  const before = process.memoryUsage();
  const started = performance.now();
  const { experiment, description } = await experimentFromFile(bytes, build);
  const loadMs = performance.now() - started;
  const after = process.memoryUsage();
  console.log(`${name} (${mb(bytes.byteLength)}): ${description}`);
  console.log(
    `  loaded in ${(loadMs / 1000).toFixed(2)} s (read, map, 128 px experiment built and filled); ` +
      `rss +${mb(after.rss - before.rss)}, ArrayBuffers +${mb(after.arrayBuffers - before.arrayBuffers)}, ` +
      `tensors ${tf.memory().numTensors} holding ${mb(tf.memory().numBytes)}`,
  );
  const t0 = performance.now();
  const y = (experiment as StarGanExperiment).model.G(
    decode(io.x) as tf.Tensor4D,
    decode(io.c) as tf.Tensor2D,
  );
  const err = tf.max(tf.abs(tf.sub(y, decode(io.y)))).dataSync()[0]!;
  console.log(
    `  G at 128 px on the CPU backend: ${((performance.now() - t0) / 1000).toFixed(1)} s; max |G_ours - G_twin| = ${err.toExponential(2)}`,
  );
  experiment.dispose();
}
