/**
 * The unconditional image GANs: PyTorch-GAN's MLP GAN, DCGAN, WGAN and WGAN-GP, each with its
 * reference hyperparameters, on toy faces, coloured shapes or uploaded images.
 */
import { FACE_SIZES } from '../../data/faces';
import {
  IMAGE_GAN_DEFAULTS,
  IMAGE_GAN_TITLES,
  IMAGE_GAN_VARIANTS,
  type ImageGanConfig,
  withVariant,
} from '../../models/imagegan.config';
import { defineFamily, type ImageGrid } from '../types';

export interface InfoImageGan {
  readonly kind: 'imagegan';
  readonly lossNames: readonly string[];
  readonly qualityNames: readonly string[];
  readonly imageSize: number;
  readonly zDim: number;
}

export interface FrameImageGan {
  readonly kind: 'imagegan';
  readonly step: number;
  /** [Fréchet distance, real-vs-real floor], or null without the face classifier. */
  readonly quality: readonly number[] | null;
  /** Samples from the run's fixed latents (the reference's fixed_noise). */
  readonly grid: ImageGrid;
}

/** Samples for the latent explorer: G at the given latents. */
export interface LatentRequest {
  readonly kind: 'latent';
  /** count x zDim values. */
  readonly z: Float32Array;
  readonly count: number;
}

export interface ImageGanTypes {
  readonly config: ImageGanConfig;
  readonly info: InfoImageGan;
  readonly frame: FrameImageGan;
  readonly render: LatentRequest;
}

const wasserstein = (m: ImageGanConfig) => m.variant === 'wgan' || m.variant === 'wgan-gp';
const builtIn = (m: ImageGanConfig) => m.dataset !== 'uploaded';

const tiny = (variant: ImageGanConfig['variant']): ImageGanConfig => ({
  ...IMAGE_GAN_DEFAULTS[variant],
  imageSize: 16,
  zDim: 8,
  gBase: 4,
  dBase: 4,
  batchSize: 4,
  datasetSize: 32,
});

const LATENT_SLIDER = {
  testId: 'latent-slider-0',
  output: 'latent-output',
  values: ['2.5', '-2.5'],
} as const;

export const imageganFamily = defineFamily<ImageGanTypes>()({
  kind: 'imagegan',
  title: 'Image GANs: GAN, DCGAN, WGAN, WGAN-GP',
  description:
    'Unconditional image generators from noise, each with its reference losses and optimiser: compare how they learn the same faces.',
  defaults: IMAGE_GAN_DEFAULTS.dcgan,
  fields: {
    variant: {
      type: 'choice',
      label: 'Variant',
      help: 'Choosing a variant brings its reference widths, optimiser, critic steps and penalty.',
      testId: 'variant',
      options: IMAGE_GAN_VARIANTS.map((v) => [v, IMAGE_GAN_TITLES[v]] as const),
      apply: (m, variant) => withVariant(m, variant),
    },
    dataset: {
      type: 'choice',
      immediate: true,
      label: 'Data',
      help: 'Toy faces and coloured shapes are drawn by our own seeded code; uploads stay in this browser.',
      testId: 'image-dataset',
      options: [
        ['faces', 'Toy faces'],
        ['shapes', 'Coloured shapes'],
        ['uploaded', 'Uploaded images'],
      ],
    },
    imageSize: {
      type: 'choice',
      label: 'Image size',
      help: 'Side of the square images, in pixels.',
      testId: 'imagegan-size',
      options: FACE_SIZES.map((s) => [s, `${s} px`] as const),
    },
    zDim: {
      type: 'int',
      label: 'Latent dimensions',
      help: 'Dimensions of z ~ N(0, I) (100 in the references).',
      testId: 'z-dim',
      min: 4,
      max: 256,
    },
    gBase: {
      type: 'int',
      label: 'G width',
      help: "Channels of G's last hidden layer (ngf), or the MLP's first width.",
      testId: 'g-base',
      min: 2,
      max: 128,
    },
    dBase: {
      type: 'int',
      label: 'D width',
      help: "Channels of D's first layer (ndf), or the MLP's last hidden width.",
      testId: 'd-base',
      min: 2,
      max: 128,
    },
    lrG: {
      type: 'float',
      label: 'G learning rate',
      help: "G's step size.",
      min: 1e-6,
      max: 1e-2,
    },
    lrD: {
      type: 'float',
      label: 'D learning rate',
      help: "D's (critic's) step size.",
      min: 1e-6,
      max: 1e-2,
    },
    beta1: {
      type: 'float',
      label: 'Adam β1',
      help: "Adam's first-moment decay (unused by WGAN's RMSprop).",
      min: 0,
      max: 0.9999,
      visible: (m) => m.variant !== 'wgan',
    },
    beta2: {
      type: 'float',
      label: 'Adam β2',
      help: "Adam's second-moment decay (unused by WGAN's RMSprop).",
      min: 0,
      max: 0.9999,
      visible: (m) => m.variant !== 'wgan',
    },
    nCritic: {
      type: 'int',
      label: 'Critic steps per G step',
      help: 'Critic updates per generator update (5 in both Wasserstein references).',
      min: 1,
      max: 20,
      visible: wasserstein,
    },
    clip: {
      type: 'float',
      label: 'Weight clip c',
      help: "WGAN keeps the critic's weights in [-c, c] (0.01 in the reference).",
      min: 1e-4,
      max: 1,
      visible: (m) => m.variant === 'wgan',
    },
    lambdaGp: {
      type: 'float',
      label: 'λ gp',
      help: "Weight of WGAN-GP's gradient penalty (10 in the reference).",
      min: 0,
      max: 100,
      visible: (m) => m.variant === 'wgan-gp',
    },
    batchSize: {
      type: 'int',
      label: 'Batch size',
      help: 'Real and generated images per update (64 in the references).',
      testId: 'imagegan-batch',
      min: 2,
      max: 256,
    },
    datasetSize: {
      type: 'int',
      label: 'Images in the data set',
      help: 'How many toy images are drawn for training.',
      testId: 'imagegan-dataset-size',
      min: 16,
      max: 20_000,
      visible: builtIn,
    },
    datasetId: { type: 'datasetId' },
  },
  refine: (m) =>
    (m.dataset === 'uploaded') !== (m.datasetId !== null)
      ? 'datasetId: set exactly when the data is uploaded'
      : null,
  hint: (m) =>
    m.variant === 'wgan'
      ? 'As in the reference, the critic trains 100 times per G step for the first 25 G steps and every 500th, so those steps are slow.'
      : null,
  uploaded: { field: 'dataset', needsLabels: false, action: 'Image GAN' },
  welcome:
    'Press ▶ Play and watch the samples turn from noise into faces; the latent sliders move one sample through the space G draws from.',
  flow: (m) => [
    `z ~ N(0, I), ${m.zDim} numbers → G → a ${m.imageSize} × ${m.imageSize} × 3 image`,
    `a real or generated image → D → ${m.variant === 'wgan' || m.variant === 'wgan-gp' ? 'a critic score' : 'the logit of "real"'}`,
  ],
  shortName: (m) => m.variant.toUpperCase(),
  describe: (m) => `${m.variant.toUpperCase()} (${m.imageSize} px, ${m.dataset})`,
  testSizes: {
    tiny: IMAGE_GAN_VARIANTS.map(tiny),
    small: { ...tiny('dcgan'), zDim: 16, gBase: 8, dBase: 8, batchSize: 16 },
  },
  quick: {
    label: '16 px, widths 8, batch 16',
    model: { imageSize: 16, zDim: 16, gBase: 8, dBase: 8, batchSize: 16 },
  },
  bench: (['dcgan', 'wgan', 'wgan-gp'] as const).flatMap((variant) => {
    const label = variant.toUpperCase();
    const slider = variant === 'dcgan' ? LATENT_SLIDER : undefined;
    const small = { ...tiny(variant), zDim: 16, gBase: 8, dBase: 8, batchSize: 16 };
    return [
      {
        label,
        size: 'small (16 px, widths 8, batch 16)',
        model: small,
        warmup: 2,
        iterations: variant === 'dcgan' ? 8 : 4,
        slider,
      },
      {
        label,
        size: 'default (32 px, widths 16, batch 64)',
        model: IMAGE_GAN_DEFAULTS[variant],
        warmup: variant === 'dcgan' ? 2 : 1,
        iterations: variant === 'dcgan' ? 4 : 2,
        slider,
      },
    ];
  }),
  // Quality row: [Fréchet distance, real vs real].
  trained: [
    {
      file: 'dcgan-faces-32px.zip',
      title: 'the trained DCGAN at 32 px',
      description:
        'The default DCGAN (32 px, widths 16), its PyTorch twin trained 2,500 G steps as pytorch/examples does (scripts/reference/train_imagegan.py): Fréchet distance 330, real vs real 158.',
      fits: (m) => m.variant === 'dcgan',
      target: { text: 'Fréchet distance within 3x real vs real', met: (q) => q[0]! <= 3 * q[1]! },
    },
    {
      file: 'wgan-faces-32px.zip',
      title: 'the trained WGAN at 32 px',
      description:
        'The default WGAN (32 px, widths 16, critic with batch norm), its PyTorch twin trained 2,000 G steps as WassersteinGAN’s main.py does: weight clipping at 0.01, 5 critic updates per G step (100 for the first 25 and every 500th), RMSprop 5e-5 (scripts/reference/train_imagegan.py): Fréchet distance 1,297, real vs real 158. The clipped critic learns slowly: blurred faces yet.',
      fits: (m) => m.variant === 'wgan',
      // The issue sets targets for DCGAN and WGAN-GP; this bound is what the file reaches
      // (8.2x), so a worse file fails.
      target: {
        text: 'Fréchet distance within 9x real vs real',
        met: (q) => q[0]! <= 9 * q[1]!,
      },
    },
    {
      file: 'wgan-gp-faces-32px.zip',
      title: 'the trained WGAN-GP at 32 px',
      description:
        'The default WGAN-GP (32 px, widths 16), its PyTorch twin trained 2,000 G steps, each after 5 critic updates with the penalty (scripts/reference/train_imagegan.py): Fréchet distance 365, real vs real 158.',
      fits: (m) => m.variant === 'wgan-gp',
      target: { text: 'Fréchet distance within 3x real vs real', met: (q) => q[0]! <= 3 * q[1]! },
    },
  ],
});
