/**
 * Settings of the unconditional image GANs (vanilla GAN, DCGAN, WGAN, WGAN-GP) and each
 * variant's defaults from its reference, apart from the networks so the UI can read them
 * without loading TensorFlow.js.
 */
import type { FaceSize } from '../data/faces';

export const IMAGE_GAN_VARIANTS = ['gan', 'dcgan', 'wgan', 'wgan-gp'] as const;
export type ImageGanVariant = (typeof IMAGE_GAN_VARIANTS)[number];
export type ImageDataset = 'faces' | 'shapes' | 'uploaded';

export interface ImageGanConfig {
  readonly variant: ImageGanVariant;
  readonly dataset: ImageDataset;
  readonly imageSize: FaceSize;
  /** Dimensions of z ~ N(0, I) (100 in the references). */
  readonly zDim: number;
  /** G's width: channels of its last hidden layer (ngf), or the MLP's first width. */
  readonly gBase: number;
  /** D's width: channels of its first layer (ndf), or the MLP's last hidden width. */
  readonly dBase: number;
  readonly batchSize: number;
  readonly lrG: number;
  readonly lrD: number;
  readonly beta1: number;
  readonly beta2: number;
  /** D (critic) updates per G update; WGAN also uses 100 early on and every 500th. */
  readonly nCritic: number;
  /** WGAN's weight clipping bound c: critic weights stay in [-c, c]. */
  readonly clip: number;
  /** WGAN-GP's penalty weight. */
  readonly lambdaGp: number;
  /** Images per built-in data set. */
  readonly datasetSize: number;
  /** The uploaded data set trained on when dataset is 'uploaded' (an IndexedDB key). */
  readonly datasetId: string | null;
}

const COMMON = {
  dataset: 'faces',
  imageSize: 32,
  zDim: 100,
  gBase: 16,
  dBase: 16,
  batchSize: 64,
  nCritic: 1,
  clip: 0.01,
  lambdaGp: 10,
  datasetSize: 2000,
  datasetId: null,
} as const;

/** Each variant's reference hyperparameters, at toy widths. */
export const IMAGE_GAN_DEFAULTS: Readonly<Record<ImageGanVariant, ImageGanConfig>> = {
  // PyTorch-GAN's gan.py: MLPs, Adam 2e-4 (0.5, 0.999).
  gan: {
    ...COMMON,
    variant: 'gan',
    gBase: 64,
    dBase: 64,
    lrG: 2e-4,
    lrD: 2e-4,
    beta1: 0.5,
    beta2: 0.999,
  },
  // pytorch/examples dcgan: Adam 2e-4 (0.5, 0.999), batch 64.
  dcgan: { ...COMMON, variant: 'dcgan', lrG: 2e-4, lrD: 2e-4, beta1: 0.5, beta2: 0.999 },
  // martinarjovsky/WassersteinGAN: RMSprop 5e-5, clip 0.01, n_critic 5.
  wgan: { ...COMMON, variant: 'wgan', lrG: 5e-5, lrD: 5e-5, beta1: 0, beta2: 0, nCritic: 5 },
  // igul222/improved_wgan_training (CIFAR script): Adam 1e-4 (0.5, 0.9), n_critic 5, lambda 10.
  'wgan-gp': {
    ...COMMON,
    variant: 'wgan-gp',
    lrG: 1e-4,
    lrD: 1e-4,
    beta1: 0.5,
    beta2: 0.9,
    nCritic: 5,
  },
};

/** What a change of variant brings from its reference; data, sizes and batch stay the user's. */
export function withVariant(config: ImageGanConfig, variant: ImageGanVariant): ImageGanConfig {
  const { gBase, dBase, lrG, lrD, beta1, beta2, nCritic, clip, lambdaGp } =
    IMAGE_GAN_DEFAULTS[variant];
  return { ...config, variant, gBase, dBase, lrG, lrD, beta1, beta2, nCritic, clip, lambdaGp };
}

export const IMAGE_GAN_TITLES: Readonly<Record<ImageGanVariant, string>> = {
  gan: 'GAN (MLP, Goodfellow et al. 2014)',
  dcgan: 'DCGAN (Radford et al. 2016)',
  wgan: 'WGAN (Arjovsky et al. 2017)',
  'wgan-gp': 'WGAN-GP (Gulrajani et al. 2017)',
};
