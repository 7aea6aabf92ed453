/**
 * Pix2Pix's settings and defaults, apart from the networks so the UI can read them without
 * loading TensorFlow.js. Loss weight, optimiser and schedule follow junyanz's pix2pix_model.py;
 * widths are scaled down (see pix2pix.ts for the departures).
 */
import { TRANSLATION_DATA_DEFAULTS, type TranslationTraining } from './translation.config';

export type Pix2PixDirection = 'AtoB' | 'BtoA';

export interface Pix2PixConfig extends TranslationTraining {
  /** Which way G translates: photo → drawing (AtoB) or drawing → photo (BtoA). */
  readonly direction: Pix2PixDirection;
  /** Channels of G's first conv (64 in the reference), doubled per level up to 8 ngf. */
  readonly ngf: number;
  /** Weight of the L1 term (100 in the reference). */
  readonly lambdaL1: number;
}

export const PIX2PIX_DEFAULTS: Pix2PixConfig = {
  direction: 'BtoA',
  imageSize: 32,
  ngf: 16,
  ndf: 16,
  dLayers: 3,
  lambdaL1: 100,
  lr: 2e-4,
  beta1: 0.5,
  beta2: 0.999,
  batchSize: 4,
  numIters: 4000,
  datasetSize: 1000,
  ...TRANSLATION_DATA_DEFAULTS,
};
