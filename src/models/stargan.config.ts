/**
 * StarGAN v1's settings and defaults, apart from the networks so the UI can read them without
 * loading TensorFlow.js. Loss weights, schedule and optimiser follow yunjey/stargan; widths,
 * depths and image size are scaled down so a 32 px model trains at interactive speed.
 */
import { FACE_SIZES } from '../data/faces';

/**
 * StarGAN's image sizes: the toy faces' sizes and the reference's 128 px (yunjey's CelebA
 * model). Toy faces are drawn at any size; uploaded sets are stored at 64 px, so not 128.
 */
export const STARGAN_SIZES = [...FACE_SIZES, 128] as const;
export type StarGanSize = (typeof STARGAN_SIZES)[number];

/** Which toy data set(s) to train on; 'both' is the paper's mask-vector mode. */
export type StarGanData = 'celeba' | 'rafd' | 'both' | 'uploaded';

export interface StarGanConfig {
  readonly data: StarGanData;
  readonly imageSize: StarGanSize;
  /** Channels of G's first conv (64 in the reference); doubled by each of 2 down-samplings. */
  readonly gConvDim: number;
  /** Residual blocks in G's bottleneck (6 in the reference). */
  readonly gRepeat: number;
  /** Channels of D's first conv (64 in the reference), doubled per down-sampling. */
  readonly dConvDim: number;
  /** D's down-samplings; log2(imageSize) - 1 leaves the reference's 2 x 2 patch map. */
  readonly dRepeat: number;
  readonly lambdaCls: number;
  readonly lambdaRec: number;
  readonly lambdaGp: number;
  /** D updates per G update. */
  readonly nCritic: number;
  readonly lrG: number;
  readonly lrD: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly batchSize: number;
  /** Length of the run: learning rates decay linearly to 0 over its second half. */
  readonly numIters: number;
  /** Faces per toy data set (a further 64 are held out for the grid and the metrics). */
  readonly datasetSize: number;
  /** The uploaded data set trained on when data is 'uploaded' (an IndexedDB key). */
  readonly datasetId: string | null;
}

export const STARGAN_DEFAULTS: StarGanConfig = {
  data: 'celeba',
  imageSize: 32,
  gConvDim: 16,
  gRepeat: 3,
  dConvDim: 16,
  dRepeat: 4,
  lambdaCls: 1,
  lambdaRec: 10,
  lambdaGp: 10,
  nCritic: 5,
  lrG: 1e-4,
  lrD: 1e-4,
  beta1: 0.5,
  beta2: 0.999,
  batchSize: 16,
  numIters: 20_000,
  datasetSize: 2000,
  datasetId: null,
};

/** Chart order of the loss terms: D's three, then G's three. */
export const STARGAN_LOSS_NAMES = ['D adv', 'D cls', 'D gp', 'G adv', 'G cls', 'G rec'] as const;
