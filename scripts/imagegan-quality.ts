/**
 * Trains an unconditional image GAN, seeded, on TF.js's CPU backend and prints its Fréchet
 * distance (face-classifier features, 128 real vs 128 generated) as it goes.
 *   VARIANT=wgan ITERS=200 npm run quality:imagegan
 * Defaults: 16 px, z 16, widths 8, batch 16, 512 toy faces; VARIANT gan | dcgan | wgan | wgan-gp.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { registerFastCpuKernels } from '../src/engine/kernels/cpu';
import { measureQuality } from '../src/engine/quality';
import { ImageGanExperiment } from '../src/families/imagegan/experiment';
import { IMAGE_GAN_DEFAULTS, type ImageGanVariant } from '../src/models/imagegan.config';
import { loadShippedClassifier } from '../src/test/shippedClassifier';

const variant = (process.env.VARIANT ?? 'dcgan') as ImageGanVariant;
const iterations = Number(process.env.ITERS ?? 200);
const every = Number(process.env.EVERY ?? Math.max(1, Math.floor(iterations / 10)));
const config = {
  ...IMAGE_GAN_DEFAULTS[variant],
  dataset: (process.env.DATASET ?? 'faces') as 'faces' | 'shapes',
  imageSize: 16 as const,
  zDim: 16,
  gBase: 8,
  dBase: 8,
  batchSize: 16,
  datasetSize: 512,
};

registerFastCpuKernels();
await tf.setBackend('cpu');
const { classifier, accuracy } = loadShippedClassifier();
const experiment = new ImageGanExperiment(config, 1, {
  classifier,
  classifierAccuracy: accuracy,
  uploaded: null,
});
console.log(`${variant} quality run, seed 1:`, JSON.stringify(config));
console.log('| G iteration | Fréchet distance | real vs real | seconds |');
console.log('| --- | --- | --- | --- |');
const started = Date.now();
for (let i = 0; i <= iterations; i++) {
  if (i > 0) experiment.step('both').losses.dispose();
  if (i % every === 0 || i === iterations) {
    const quality = await measureQuality(experiment, i);
    const seconds = ((Date.now() - started) / 1000).toFixed(0);
    console.log(
      `| ${i} | ${quality?.[0]?.toFixed(1)} | ${quality?.[1]?.toFixed(1)} | ${seconds} |`,
    );
  }
}
experiment.dispose();
classifier.dispose();
