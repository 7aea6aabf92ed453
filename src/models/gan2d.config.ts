/**
 * The 2D GAN's settings and the defaults the app starts from. Kept apart from the networks so
 * the UI can read them without loading TensorFlow.js.
 */
import type { Dataset2d } from '../data/toy2d';
import type { OptimizerName } from './shared/optim';

/** Log loss, least squares (LSGAN), Wasserstein with clipping (WGAN) or penalty (WGAN-GP). */
export type Gan2dLoss = 'nonSaturating' | 'leastSquares' | 'wasserstein' | 'wassersteinGp';

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

/** WGAN's clipping bound and WGAN-GP's penalty weight, as in the image references. */
export const WGAN_CLIP = 0.01;
export const WGAN_GP_LAMBDA = 10;

/** Chart order of the terms returned by trainD, then trainG's. */
export function gan2dLossNames(loss: Gan2dLoss): readonly string[] {
  return loss === 'wassersteinGp' ? ['D real', 'D fake', 'GP', 'G'] : ['D real', 'D fake', 'G'];
}

/** What choosing a loss in the page also sets: its reference optimiser and critic schedule. */
export const GAN2D_LOSS_PRESETS: Readonly<Record<Gan2dLoss, Partial<Gan2dConfig>>> = {
  nonSaturating: { optimizer: 'adam', kD: 1 },
  leastSquares: { optimizer: 'adam', kD: 1 },
  wasserstein: { optimizer: 'rmsprop', kD: 5 },
  wassersteinGp: { optimizer: 'adam', kD: 5 },
};
