/**
 * Loads the full-size junyanz ResnetGenerator (resnet_9blocks, ngf 64) that
 * `scripts/reference/cyclegan_checkpoints.py --full` writes, in both torch.save formats, the way
 * the page's worker does, and prints the load time, the memory it took and G_AB's error against
 * the twin on a 32 px input:
 *   npx vite-node scripts/reference/cyclegan_full_check.ts [OUT_DIR=/tmp/cyclegan-full]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import type { ExperimentFactory } from '../../src/engine/experiment';
import { experimentFromFile } from '../../src/engine/torchImport';
import type { CycleGanExperiment } from '../../src/families/cyclegan/experiment';
import { createExperiment, experimentOfTorch } from '../../src/families/engines';
import type { ExperimentConfig } from '../../src/protocol/messages';

const dir = process.argv[2] ?? '/tmp/cyclegan-full';
await tf.setBackend('cpu');
const mb = (n: number) => `${(n / 1e6).toFixed(0)} MB`;
const build = Object.assign(async (c: ExperimentConfig) => createExperiment(c), {
  fromTorch: experimentOfTorch,
}) as ExperimentFactory;
const io = JSON.parse(readFileSync(join(dir, 'io.json'), 'utf8'));
const decode = (e: { shape: number[]; b64: string }) => {
  const b = Buffer.from(e.b64, 'base64');
  const v = new Float32Array(b.byteLength / 4);
  new Uint8Array(v.buffer).set(b);
  return tf.tensor(v, e.shape);
};

for (const name of ['latest_net_G_A.pth', 'latest_net_G_A.legacy.pth']) {
  const bytes = new Uint8Array(readFileSync(join(dir, name)));
  const before = process.memoryUsage();
  const started = performance.now();
  const { experiment, description } = await experimentFromFile(bytes, build);
  const loadMs = performance.now() - started;
  const after = process.memoryUsage();
  console.log(`${name} (${mb(bytes.byteLength)}): ${description}`);
  console.log(
    `  loaded in ${(loadMs / 1000).toFixed(2)} s (read, map, both generators and both Ds built, G_AB filled); ` +
      `rss +${mb(after.rss - before.rss)}, tensors ${tf.memory().numTensors} holding ${mb(tf.memory().numBytes)}`,
  );
  const t0 = performance.now();
  const err = tf.tidy(() => {
    const y = (experiment as CycleGanExperiment).model.G_AB(decode(io.x) as tf.Tensor4D);
    return tf.max(tf.abs(tf.sub(y, decode(io.y)))).dataSync()[0]!;
  });
  console.log(
    `  G_AB at 32 px on the CPU backend: ${((performance.now() - t0) / 1000).toFixed(1)} s; max |G_ours - G_twin| = ${err.toExponential(2)}`,
  );
  experiment.dispose();
}
