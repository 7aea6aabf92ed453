/**
 * Trains StackGAN++ on the captioned toy faces, seeded, on TF.js's CPU backend, and prints the
 * figures the app shows for every stage: the Fréchet distance to held-out faces on the face
 * classifier's features, and caption agreement (the classifier reads the hair colour, gender
 * and age the caption asked for), at intervals.
 *   npx vite-node scripts/stackgan-quality.ts                 the page's quick settings, 600 steps
 *   ITERS=2000 BASE=8 GF=16 DF=4 EF=8 BATCH=8 MODE=text npx vite-node scripts/stackgan-quality.ts
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { registerFastCpuKernels } from '../src/engine/kernels/cpu';
import { measureQuality } from '../src/engine/quality';
import { StackGanExperiment } from '../src/families/stackgan/experiment';
import { STACKGAN_DEFAULTS, type StackGanConfig } from '../src/models/stackgan.config';
import { loadShippedClassifier } from '../src/test/shippedClassifier';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const config: StackGanConfig = {
  ...STACKGAN_DEFAULTS,
  mode: process.env.MODE === 'unconditional' ? 'unconditional' : 'text',
  baseSize: env('BASE', 16) as 8 | 16,
  gfDim: env('GF', 16),
  rNum: env('RES', 1),
  dfDim: env('DF', 8),
  embeddingDim: env('EF', 8),
  batchSize: env('BATCH', 8),
  datasetSize: env('FACES', 1000),
};
const iterations = env('ITERS', 600);
const every = env('EVERY', Math.max(1, Math.floor(iterations / 6)));
const seed = env('SEED', 1);

registerFastCpuKernels();
await tf.setBackend('cpu');
const { classifier, accuracy } = loadShippedClassifier();
const experiment = new StackGanExperiment(config, seed, {
  classifier,
  classifierAccuracy: accuracy,
  uploaded: null,
});
const { sizes, qualityNames } = experiment.info;
console.log(`StackGAN++ quality run, seed ${seed}:`, JSON.stringify(config));
console.log(`| step | ${qualityNames.join(' | ')} | seconds |`);
console.log(`| --- | ${qualityNames.map(() => '---').join(' | ')} | --- |`);
const started = Date.now();
async function report(step: number) {
  const row = (await measureQuality(experiment, step))!;
  const cells = row.map((v, i) => (i < sizes.length ? v.toFixed(2) : `${(100 * v).toFixed(1)}%`));
  console.log(`| ${step} | ${cells.join(' | ')} | ${((Date.now() - started) / 1000).toFixed(0)} |`);
}
await report(0);
for (let i = 1; i <= iterations; i++) {
  experiment.step('both').losses.dispose();
  if (i % every === 0 || i === iterations) await report(i);
}
experiment.dispose();
classifier.dispose();
