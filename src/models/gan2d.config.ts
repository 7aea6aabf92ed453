/**
 * The 2D GAN's settings and the defaults the app starts from. Kept apart from the networks so
 * the UI can read them without loading TensorFlow.js.
 */
import type { Dataset2d } from '../data/toy2d';
import type { OptimizerName } from './shared/optim';

export type Gan2dLoss = 'nonSaturating' | 'leastSquares';

export interface Gan2dConfig {
  readonly dataset: Dataset2d;
  /** Dimensions of z ~ N(0, I). */
  readonly noiseDim: number;
  /** Hidden layers of G (0-5) and units per layer (1-128). */
  readonly gLayers: number;
  readonly gWidth: number;
  /** Hidden layers of D (0-5) and units per layer (1-128). */
  readonly dLayers: number;
  readonly dWidth: number;
  readonly loss: Gan2dLoss;
  readonly optimizer: OptimizerName;
  readonly lrG: number;
  readonly lrD: number;
  /** Points per batch, real and generated alike. */
  readonly batchSize: number;
  /** D updates, then G updates, per training step. */
  readonly kD: number;
  readonly kG: number;
}

export const GAN2D_DEFAULTS: Gan2dConfig = {
  dataset: 'ring',
  noiseDim: 2,
  gLayers: 2,
  gWidth: 32,
  dLayers: 2,
  dWidth: 32,
  loss: 'nonSaturating',
  optimizer: 'adam',
  lrG: 1e-3,
  lrD: 1e-3,
  batchSize: 64,
  kD: 1,
  kG: 1,
};

/** Chart order of the terms returned by trainD and trainG. */
export const GAN2D_LOSS_NAMES = ['D real', 'D fake', 'G'] as const;
