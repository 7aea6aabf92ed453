/**
 * CycleGAN's settings and defaults, apart from the networks so the UI can read them without
 * loading TensorFlow.js. Loss weights, pool, optimiser and schedule follow junyanz's
 * cycle_gan_model.py; widths and depths are scaled down (see cyclegan.ts for the departures).
 */
import { TRANSLATION_DATA_DEFAULTS, type TranslationTraining } from './translation.config';

export interface CycleGanConfig extends TranslationTraining {
  /** Channels of G's first conv (64 in the reference), doubled by each of 2 down-samplings. */
  readonly ngf: number;
  /** ResNet blocks in G (6 at 128 px, 9 at 256 in the reference). */
  readonly nBlocks: number;
  /** Weight of each cycle-consistency L1 term (lambda_A = lambda_B = 10). */
  readonly lambdaCyc: number;
  /** Identity loss weight as a share of lambdaCyc (0.5; 0 turns it off). */
  readonly lambdaIdt: number;
  /** Generated images each D's pool keeps (50; 0 turns the pool off). */
  readonly poolSize: number;
}

export const CYCLEGAN_DEFAULTS: CycleGanConfig = {
  imageSize: 32,
  ngf: 16,
  nBlocks: 3,
  ndf: 16,
  dLayers: 3,
  lambdaCyc: 10,
  lambdaIdt: 0.5,
  poolSize: 50,
  lr: 2e-4,
  beta1: 0.5,
  beta2: 0.999,
  batchSize: 4,
  numIters: 6000,
  datasetSize: 1000,
  ...TRANSLATION_DATA_DEFAULTS,
};
