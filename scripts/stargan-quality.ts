/**
 * Trains StarGAN on the toy faces, seeded, on TF.js's CPU backend, and prints the quality
 * figures the app shows: attribute transfer accuracy and preservation L1 (from the shipped
 * face classifier), at intervals and at the end.
 *   npm run quality:stargan                       the default model, 300 iterations
 *   ITERS=1500 SIZE=16 G=8 D=8 REPEAT=2 BATCH=8 npm run quality:stargan
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import type { FaceSize } from '../src/data/faces';
import { registerFastCpuKernels } from '../src/engine/kernels/cpu';
import { measureQuality } from '../src/engine/quality';
import { StarGanExperiment } from '../src/families/stargan/experiment';
import { STARGAN_DEFAULTS, type StarGanConfig } from '../src/models/stargan.config';
import { loadShippedClassifier } from '../src/test/shippedClassifier';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const size = env('SIZE', STARGAN_DEFAULTS.imageSize) as FaceSize;
const config: StarGanConfig = {
  ...STARGAN_DEFAULTS,
  imageSize: size,
  gConvDim: env('G', STARGAN_DEFAULTS.gConvDim),
  gRepeat: env('REPEAT', STARGAN_DEFAULTS.gRepeat),
  dConvDim: env('D', STARGAN_DEFAULTS.dConvDim),
  dRepeat: Math.log2(size) - 1,
  batchSize: env('BATCH', STARGAN_DEFAULTS.batchSize),
};
const iterations = env('ITERS', 300);
const every = env('EVERY', Math.max(1, Math.floor(iterations / 10)));
const seed = env('SEED', 1);

registerFastCpuKernels();
await tf.setBackend('cpu');
const { classifier, accuracy } = loadShippedClassifier();
const experiment = new StarGanExperiment({ ...config, numIters: Math.max(iterations, 2) }, seed, {
  classifier,
  classifierAccuracy: accuracy,
  uploaded: null,
});

console.log(`StarGAN quality run, seed ${seed}:`, JSON.stringify(config));
console.log(`classifier on real held-out faces at ${size} px: ${accuracy[`attributes@${size}px`]}`);
console.log('| iteration | attribute transfer | preservation L1 | D adv | G rec | seconds |');
console.log('| --- | --- | --- | --- | --- | --- |');
const started = Date.now();
async function report(iteration: number, losses: number[]) {
  // The quality row: [attribute transfer, expression transfer, preservation L1].
  const [transfer, , preservation] = (await measureQuality(experiment, iteration))!;
  console.log(
    `| ${iteration} | ${(100 * (transfer ?? 0)).toFixed(1)}% | ${preservation?.toFixed(3)} | ${losses[0]?.toFixed(3) ?? '-'} | ${losses[5]?.toFixed(3) ?? '-'} | ${((Date.now() - started) / 1000).toFixed(0)} |`,
  );
}
await report(0, []);
for (let i = 1; i <= iterations; i++) {
  const { losses } = experiment.step('both');
  if (i % every === 0 || i === iterations) await report(i, Array.from(await losses.data()));
  losses.dispose();
}
experiment.dispose();
classifier.dispose();
