/**
 * Loads the full-size AFHQ-shaped checkpoints that `scripts/reference/starganv2_checkpoints.py
 * --full` writes with clovaai's own model.py (256 px, 58 M weights, ~230 MB; zip and legacy
 * formats) the way the page's worker does, and prints the load time, the memory it took and
 * our EMA networks' errors against the reference code's styles and image:
 *   npx vite-node scripts/reference/starganv2_full_check.ts [OUT_DIR=/tmp/starganv2-full] [--no-g]
 * (CPU backend in Node: G's 256 px pass is slow here; it runs once, on the first file.)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import type { ExperimentFactory } from '../../src/engine/experiment';
import { experimentFromFile } from '../../src/engine/torchImport';
import { createExperiment, experimentOfTorch } from '../../src/families/engines';
import type { StarGanV2Experiment } from '../../src/families/starganv2/experiment';

const dir = process.argv.slice(2).find((a) => !a.startsWith('--')) ?? '/tmp/starganv2-full';
await tf.setBackend('cpu');
const mb = (n: number) => `${(n / 1e6).toFixed(0)} MB`;
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
let buildMs = 0;
const build = Object.assign(
  async (c: Parameters<typeof createExperiment>[0]) => {
    const t = performance.now();
    const experiment = createExperiment(c);
    buildMs = performance.now() - t;
    return experiment;
  },
  { fromTorch: experimentOfTorch },
) as ExperimentFactory;
const io = JSON.parse(readFileSync(join(dir, 'io.json'), 'utf8'));
const decode = (e: { shape: number[]; b64: string }) => {
  const b = Buffer.from(e.b64, 'base64');
  const v = new Float32Array(b.byteLength / 4);
  new Uint8Array(v.buffer).set(b);
  return tf.tensor(v, e.shape);
};
const maxDiff = (a: tf.Tensor, b: tf.Tensor) =>
  tf.tidy(() =>
    tf
      .max(tf.abs(tf.sub(a, b)))
      .dataSync()[0]!
      .toExponential(2),
  );

let first = true;
for (const name of ['100000_nets_ema.ckpt', '100000_nets_ema.zip.ckpt']) {
  const bytes = new Uint8Array(readFileSync(join(dir, name)));
  const before = process.memoryUsage();
  const started = performance.now();
  const { experiment, description } = await experimentFromFile(bytes, build);
  const loadMs = performance.now() - started;
  const after = process.memoryUsage();
  console.log(`${name} (${mb(bytes.byteLength)}): ${description}`);
  console.log(
    `  loaded in ${s(loadMs)} (of which the 256 px experiment's construction, toy animals included, ${s(buildMs)}); ` +
      `rss +${mb(after.rss - before.rss)}, tensors ${tf.memory().numTensors} holding ${mb(tf.memory().numBytes)}`,
  );
  const m = (experiment as StarGanV2Experiment).model;
  const withG = first && !process.argv.includes('--no-g');
  tf.tidy(() => {
    const y = tf.oneHot(tf.tensor1d(io.y, 'int32'), 3) as tf.Tensor2D;
    let t = performance.now();
    const sLatent = m.FEma(decode(io.z) as tf.Tensor2D, y);
    const sRef = m.EEma(decode(io.xRef) as tf.Tensor4D, y);
    console.log(
      `  F and E (one 256 px image) in ${s(performance.now() - t)}: max |F_ours - F_ref| = ${maxDiff(sLatent, decode(io.sLatent))}, ` +
        `|E_ours - E_ref| = ${maxDiff(sRef, decode(io.sRef))}`,
    );
    if (withG) {
      t = performance.now();
      const g = m.GEma(decode(io.x) as tf.Tensor4D, sLatent);
      console.log(
        `  G at 256 px on the CPU backend: ${s(performance.now() - t)}; max |G_ours - G_ref| = ${maxDiff(g, decode(io.gLatent))}`,
      );
    }
  });
  first = false;
  experiment.dispose();
}
