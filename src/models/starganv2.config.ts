/**
 * StarGAN v2's settings and defaults, apart from the networks so the UI can read them without
 * loading TensorFlow.js. Loss weights, optimiser, EMA and the per-iteration steps follow
 * clovaai/stargan-v2 (core/solver.py, main.py); widths, depths and image size are scaled down.
 */
import { ANIMAL_SIZES } from '../data/animals';

/**
 * StarGAN v2's image sizes: the toy animals' and the reference's 256 px (clovaai's AFHQ model,
 * for its checkpoints). Toy animals are drawn at any size; uploaded sets are stored at 64 px.
 */
export const STARGANV2_SIZES = [...ANIMAL_SIZES, 256] as const;
export type StarGanV2Size = (typeof STARGANV2_SIZES)[number];

/** The built-in toy animals (AFHQ's role) or an uploaded set with one folder per domain. */
export type StarGanV2Data = 'animals' | 'uploaded';

export interface StarGanV2Config {
  readonly data: StarGanV2Data;
  readonly imageSize: StarGanV2Size;
  /** Channels of from_rgb in G, E and D (2^14 / img_size = 64 at 256 px in the reference). */
  readonly convDim: number;
  /** Channel cap of every block (512 in the reference). */
  readonly maxConvDim: number;
  /** G's down-sampling ResBlks (log2(img_size) - 4 in the reference: a 16 px bottleneck at 256). */
  readonly repeatNum: number;
  /** Style code length (64 in the reference). */
  readonly styleDim: number;
  /** Latent z length (16 in the reference). */
  readonly latentDim: number;
  /** Width of the mapping network's layers (512 in the reference). */
  readonly hiddenDim: number;
  readonly lambdaReg: number;
  readonly lambdaSty: number;
  /** Initial diversity-sensitive weight, decayed linearly to 0 over dsIter iterations. */
  readonly lambdaDs: number;
  readonly lambdaCyc: number;
  /** Iterations over which lambda_ds decays to 0 (100,000 in the reference, its run length). */
  readonly dsIter: number;
  /** Adam step size of G, E and D. */
  readonly lr: number;
  /** Adam step size of the mapping network F. */
  readonly fLr: number;
  readonly beta1: number;
  readonly beta2: number;
  /** torch.optim.Adam's L2 weight_decay on every network. */
  readonly weightDecay: number;
  /** Decay of the EMA copies of G, F and E that every sample shown uses. */
  readonly emaBeta: number;
  readonly batchSize: number;
  /** Toy animals per domain for training (32 more per domain are held out). */
  readonly datasetSize: number;
  /** The uploaded data set trained on when data is 'uploaded' (an IndexedDB key). */
  readonly datasetId: string | null;
}

export const STARGANV2_DEFAULTS: StarGanV2Config = {
  data: 'animals',
  imageSize: 32,
  convDim: 16,
  maxConvDim: 64,
  repeatNum: 2,
  styleDim: 16,
  latentDim: 16,
  hiddenDim: 64,
  lambdaReg: 1,
  lambdaSty: 1,
  lambdaDs: 1,
  lambdaCyc: 1,
  dsIter: 10_000,
  lr: 1e-4,
  fLr: 1e-6,
  beta1: 0,
  beta2: 0.99,
  weightDecay: 1e-4,
  emaBeta: 0.999,
  batchSize: 8,
  datasetSize: 500,
  datasetId: null,
};

/** Chart order: the reference's log keys, D/latent, D/ref, G/latent, G/ref, then lambda_ds. */
export const STARGANV2_LOSS_NAMES = [
  'D/latent_real',
  'D/latent_fake',
  'D/latent_reg',
  'D/ref_real',
  'D/ref_fake',
  'D/ref_reg',
  'G/latent_adv',
  'G/latent_sty',
  'G/latent_ds',
  'G/latent_cyc',
  'G/ref_adv',
  'G/ref_sty',
  'G/ref_ds',
  'G/ref_cyc',
] as const;

/** lambda_ds at iteration i (0-based): linear from lambda_ds to 0 over dsIter iterations. */
export function lambdaDsAt(initial: number, iteration: number, dsIter: number): number {
  return Math.max(0, initial * (1 - iteration / dsIter));
}
