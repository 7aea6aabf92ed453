/**
 * UNIT's settings and defaults, apart from the networks so the UI can read them without loading
 * TensorFlow.js. Loss weights, optimisers and schedule follow PyTorch-GAN's implementations/unit
 * (unit.py); widths and image size are scaled down (see unit.ts for the departures).
 */
import { TRANSLATION_DATA_DEFAULTS, type TranslationTraining } from './translation.config';

export interface UnitConfig extends TranslationTraining {
  /** Channels of the encoders' first conv (--dim, 64 in the reference), doubled by each of 2 down-samplings. */
  readonly dim: number;
  /** Residual blocks of each encoder and generator besides the shared one (3 in the reference). */
  readonly nBlocks: number;
  /** lambda_0: weight of the two LSGAN terms (10). */
  readonly lambdaGan: number;
  /** lambda_1: weight of KL(mu) = mean(mu^2) of the encoded images (0.1). */
  readonly lambdaKl: number;
  /** lambda_2: weight of the within-domain reconstruction L1 (100). */
  readonly lambdaId: number;
  /** lambda_3: weight of KL of the encoded translations (0.1). */
  readonly lambdaKlCycle: number;
  /** lambda_4: weight of the cycle reconstruction L1 (100). */
  readonly lambdaCycle: number;
}

export const UNIT_DEFAULTS: UnitConfig = {
  imageSize: 32,
  dim: 8,
  nBlocks: 3,
  ndf: 16,
  // Four down-samplings as the reference's: a 2 x 2 patch map at 32 px.
  dLayers: 4,
  lambdaGan: 10,
  lambdaKl: 0.1,
  lambdaId: 100,
  lambdaKlCycle: 0.1,
  lambdaCycle: 100,
  lr: 1e-4,
  beta1: 0.5,
  beta2: 0.999,
  batchSize: 4,
  numIters: 6000,
  datasetSize: 1000,
  ...TRANSLATION_DATA_DEFAULTS,
};
