/**
 * Trains StackGAN++ on the captioned toy faces, seeded, on TF.js's CPU backend, and prints the
 * figures the app shows for every stage: the Fréchet distance to held-out faces on the face
 * classifier's features, and caption agreement (the classifier reads the hair colour, gender
 * and age the caption asked for), at intervals.
 *   npx vite-node scripts/stackgan-quality.ts                 the page's quick settings, 600 steps
 *   ITERS=2000 BASE=8 GF=16 DF=4 EF=8 BATCH=8 MODE=text npx vite-node scripts/stackgan-quality.ts
 * The page samples G's weight average (decay 0.999), which lags the live G by about a thousand
 * iterations; each row also gives the live G's figures (its weights put in the average's place
 * for the reading, then put back), as scripts/stackgan-twin-quality.ts LIVE=1 does for the twin.
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
const names = qualityNames.join(' | ');
console.log(`| step | average G: ${names} | live G: ${names} | seconds |`);
console.log(`|${' --- |'.repeat(2 * qualityNames.length + 2)}`);
const started = Date.now();
const { generators, others } = experiment.networks();
const average = [...generators[0]!.named()].map(([, v]) => v);
const live = [...others[0]!.named()].map(([, v]) => v);
if (
  average.length !== live.length ||
  average.some((v, i) => v.shape.join() !== live[i]!.shape.join())
) {
  throw new Error('The live G and its average hold different weights');
}
async function liveRow(step: number) {
  const kept = average.map((v) => v.clone());
  for (const [i, v] of average.entries()) v.assign(live[i]!);
  const row = (await measureQuality(experiment, step))!;
  for (const [i, v] of average.entries()) v.assign(kept[i]!);
  tf.dispose(kept);
  return row;
}
const format = (row: readonly number[]) =>
  row.map((v, i) => (i < sizes.length ? v.toFixed(0) : `${(100 * v).toFixed(1)}%`)).join(' | ');
async function report(step: number) {
  const row = (await measureQuality(experiment, step))!;
  const liveCells = step === 0 ? format(row) : format(await liveRow(step));
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  console.log(`| ${step} | ${format(row)} | ${liveCells} | ${seconds} |`);
}
await report(0);
for (let i = 1; i <= iterations; i++) {
  experiment.step('both').losses.dispose();
  if (i % every === 0 || i === iterations) await report(i);
}
experiment.dispose();
classifier.dispose();
