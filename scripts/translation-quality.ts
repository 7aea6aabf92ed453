/**
 * Trains Pix2Pix, CycleGAN and UNIT on the two-domain toy faces, seeded, on TF.js's CPU backend,
 * and prints the translation error against the true counterpart on the held-out faces (the
 * quality row the page shows) before training and at intervals, with the copy baseline |a - b|:
 * the three curves of the README.
 *   npm run quality:translation
 *   FAMILY=cyclegan ITERS=400 SIZE=16 NGF=8 BLOCKS=2 BATCH=4 SEED=1 npm run quality:translation
 * Each family at its quick size (the specs' *_QUICK), unless NGF / BLOCKS / NDF / LAYERS say
 * otherwise; the learning rate stays constant over the measured steps (numIters = 2 ITERS).
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import type { Experiment } from '../src/engine/experiment';
import { registerFastCpuKernels } from '../src/engine/kernels/cpu';
import { measureQuality } from '../src/engine/quality';
import { CycleGanExperiment } from '../src/families/cyclegan/experiment';
import { CYCLEGAN_DEFAULTS, CYCLEGAN_QUICK } from '../src/families/cyclegan/spec';
import { Pix2PixExperiment } from '../src/families/pix2pix/experiment';
import { PIX2PIX_DEFAULTS, PIX2PIX_QUICK } from '../src/families/pix2pix/spec';
import type { CopyBaseline } from '../src/families/translation/spec';
import { UnitExperiment } from '../src/families/unit/experiment';
import { UNIT_DEFAULTS, UNIT_QUICK } from '../src/families/unit/spec';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const iterations = env('ITERS', 400);
const every = env('EVERY', Math.max(1, Math.floor(iterations / 8)));
const seed = env('SEED', 1);
const families = (process.env.FAMILY ?? 'pix2pix,cyclegan,unit').split(',');

/** The quick size with the environment's overrides. */
function settings(quick: {
  readonly imageSize: 16 | 32;
  readonly ndf: number;
  readonly dLayers: number;
  readonly batchSize: number;
}) {
  return {
    imageSize: env('SIZE', quick.imageSize) as 16 | 32,
    ndf: env('NDF', quick.ndf),
    dLayers: env('LAYERS', quick.dLayers),
    batchSize: env('BATCH', quick.batchSize),
    // Constant learning rate over the measured steps (the decay would start at the half).
    numIters: iterations * 2,
    datasetSize: env('DATA', 1000),
  };
}

registerFastCpuKernels();
await tf.setBackend('cpu');

function build(family: string): { experiment: Experiment; model: object } {
  if (family === 'pix2pix') {
    const model = {
      ...PIX2PIX_DEFAULTS,
      ...settings(PIX2PIX_QUICK),
      ngf: env('NGF', PIX2PIX_QUICK.ngf),
    };
    return { experiment: new Pix2PixExperiment(model, seed), model };
  }
  if (family === 'cyclegan') {
    const model = {
      ...CYCLEGAN_DEFAULTS,
      ...settings(CYCLEGAN_QUICK),
      ngf: env('NGF', CYCLEGAN_QUICK.ngf),
      nBlocks: env('BLOCKS', CYCLEGAN_QUICK.nBlocks),
    };
    return { experiment: new CycleGanExperiment(model, seed), model };
  }
  const model = {
    ...UNIT_DEFAULTS,
    ...settings(UNIT_QUICK),
    dim: env('NGF', UNIT_QUICK.dim),
    nBlocks: env('BLOCKS', UNIT_QUICK.nBlocks),
  };
  return { experiment: new UnitExperiment(model, seed), model };
}

for (const family of families) {
  const { experiment, model } = build(family);
  const { qualityNames } = experiment.info;
  const { baseline } = experiment.info as { baseline: CopyBaseline };
  const show = (step: number, q: readonly number[] | null) =>
    console.log(
      `${family} step ${step}: ${qualityNames.map((n, i) => `${n} ${q?.[i]?.toFixed(4)}`).join(', ')}`,
    );
  console.log(
    `${family} ${JSON.stringify(model)} seed ${seed}; copy baseline L1 ${baseline.l1.toFixed(4)}, features ${baseline.feature.toFixed(4)}`,
  );
  const start = performance.now();
  show(0, await measureQuality(experiment, 0));
  for (let i = 1; i <= iterations; i++) {
    experiment.step('both').losses.dispose();
    if (i % every === 0) show(i, await measureQuality(experiment, i));
  }
  console.log(`${family}: ${((performance.now() - start) / iterations).toFixed(0)} ms/step`);
  experiment.dispose();
}
