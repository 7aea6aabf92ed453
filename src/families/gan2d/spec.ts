/**
 * The 2D GAN family: Goodfellow et al.'s GAN with MLPs on toy 2D distributions, as GAN Lab
 * shows it, with the LSGAN, WGAN and WGAN-GP objectives on the same points for comparison.
 */
import { DATASETS_2D, DISTRIBUTIONS_2D } from '../../data/toy2d';
import {
  GAN2D_DEFAULTS,
  GAN2D_LOSS_PRESETS,
  type Gan2dConfig,
  type Gan2dLoss,
} from '../../models/gan2d.config';
import { defineFamily } from '../types';

export interface Info2d {
  readonly kind: 'gan2d';
  readonly lossNames: readonly string[];
  readonly qualityNames: readonly string[];
  /** A fixed real sample to draw under the generated points, interleaved x, y. */
  readonly real: Float32Array;
  readonly extent: number;
  /** Modes of the mixture (ring, grid), or null where coverage is undefined. */
  readonly modesTotal: number | null;
  /** A Wasserstein critic: its scores have no probability scale. */
  readonly critic: boolean;
}

export interface Frame2d {
  readonly kind: 'gan2d';
  readonly step: number;
  /** [JS divergence, high-quality share, modes covered / modes] (the last two for mixtures). */
  readonly quality: readonly number[];
  /** Generated points from a fixed batch of z, interleaved x, y. */
  readonly fake: Float32Array;
  /** D's realness on a gridSize x gridSize lattice over the view window, row 0 at the top. */
  readonly realness: Float32Array;
  readonly gridSize: number;
  /**
   * Where G's loss pushes a generated point, at the centres of a fieldSize x fieldSize lattice
   * (row 0 at the top): -dL_G/dx, interleaved x, y.
   */
  readonly field: Float32Array;
  readonly fieldSize: number;
}

export interface Types2d {
  readonly config: Gan2dConfig;
  readonly info: Info2d;
  readonly frame: Frame2d;
  readonly render: never;
}

const LOSSES: readonly (readonly [Gan2dLoss, string])[] = [
  ['nonSaturating', 'Log loss (non-saturating G)'],
  ['leastSquares', 'Least squares (LSGAN)'],
  ['wasserstein', 'Wasserstein, clipped critic (WGAN)'],
  ['wassersteinGp', 'Wasserstein, gradient penalty (WGAN-GP)'],
];

export const gan2dFamily = defineFamily<Types2d>()({
  kind: 'gan2d',
  title: 'Vanilla GAN on 2D points',
  description:
    'Two small MLPs fight over points in the plane: watch G move its samples onto the real distribution while D paints where it thinks "real".',
  defaults: GAN2D_DEFAULTS,
  fields: {
    dataset: {
      type: 'choice',
      immediate: true,
      label: 'Data',
      help: 'The real distribution G learns to imitate.',
      testId: 'dataset',
      options: DATASETS_2D.map((name) => [name, DISTRIBUTIONS_2D[name].label] as const),
    },
    loss: {
      type: 'choice',
      label: 'Loss',
      help: 'The objective; choosing one also sets its reference optimiser and critic steps.',
      testId: 'loss',
      options: LOSSES,
      apply: (_, loss) => GAN2D_LOSS_PRESETS[loss],
    },
    optimizer: {
      type: 'choice',
      label: 'Optimiser',
      help: 'Adam uses β (0.5, 0.999), or (0.5, 0.9) with the gradient penalty, as the references.',
      options: [
        ['adam', 'Adam'],
        ['rmsprop', 'RMSprop'],
        ['sgd', 'SGD'],
      ],
    },
    gLayers: {
      type: 'int',
      label: 'Hidden layers',
      help: "Hidden layers of G's MLP.",
      group: 'Generator',
      min: 0,
      max: 5,
    },
    gWidth: {
      type: 'int',
      label: 'Units per layer',
      help: 'Units in each hidden layer of G.',
      group: 'Generator',
      min: 1,
      max: 128,
    },
    noiseDim: {
      type: 'int',
      label: 'Noise dimensions',
      help: 'Dimensions of z ~ N(0, I), the input of G.',
      group: 'Generator',
      min: 1,
      max: 16,
    },
    lrG: {
      type: 'float',
      label: 'Learning rate',
      help: "G's step size.",
      group: 'Generator',
      min: 1e-6,
      max: 1,
    },
    kG: {
      type: 'int',
      label: 'G steps per step (k_G)',
      help: 'G updates per training step.',
      group: 'Generator',
      min: 1,
      max: 10,
    },
    dLayers: {
      type: 'int',
      label: 'Hidden layers',
      help: "Hidden layers of D's MLP.",
      group: 'Discriminator',
      min: 0,
      max: 5,
    },
    dWidth: {
      type: 'int',
      label: 'Units per layer',
      help: 'Units in each hidden layer of D.',
      group: 'Discriminator',
      min: 1,
      max: 128,
    },
    lrD: {
      type: 'float',
      label: 'Learning rate',
      help: "D's step size.",
      group: 'Discriminator',
      min: 1e-6,
      max: 1,
    },
    kD: {
      type: 'int',
      label: 'D steps per step (k_D)',
      help: 'D updates per training step (5 for the Wasserstein critics).',
      group: 'Discriminator',
      min: 1,
      max: 10,
    },
    batchSize: {
      type: 'int',
      label: 'Batch size',
      help: 'Real and generated points per update.',
      min: 1,
      max: 1024,
    },
  },
  welcome:
    "Press ▶ Play and watch the purple points (G's samples) move onto the green ones (real data), while the background shows what D believes.",
  flow: (m) => [
    `z ~ N(0, I), ${m.noiseDim} numbers → G → a generated point (x, y)`,
    `a real or generated point (x, y) → D → ${m.loss === 'wasserstein' || m.loss === 'wassersteinGp' ? 'a critic score' : 'the logit of "real"'}`,
  ],
  shortName: () => '2D GAN',
  describe: (m) => `2D GAN (${m.loss}, ${m.dataset})`,
  testSizes: {
    tiny: [
      { ...GAN2D_DEFAULTS, batchSize: 16 },
      { ...GAN2D_DEFAULTS, loss: 'wasserstein', optimizer: 'rmsprop', kD: 2, batchSize: 16 },
    ],
    small: { ...GAN2D_DEFAULTS, batchSize: 16 },
  },
  milestones: [
    {
      model: {
        dataset: 'ring',
        loss: 'nonSaturating',
        gLayers: 2,
        gWidth: 32,
        dLayers: 2,
        dWidth: 32,
      },
      steps: 1500,
      what: 'all 8 modes of the ring covered (unit learning test, seed 1)',
    },
  ],
  bench: [
    {
      label: '2D GAN',
      size: 'default (2x32 MLP, batch 64)',
      model: GAN2D_DEFAULTS,
      warmup: 3,
      iterations: 20,
    },
  ],
  trained: [
    {
      file: 'gan2d-ring.zip',
      title: 'the trained 2D GAN on the ring',
      description:
        'The default vanilla GAN, trained 5,000 steps on the ring by our own loop (seed 1, scripts/trained/make-bundles.ts): 8 of 8 modes, 88% high-quality points.',
      // Quality row: [JS divergence, high-quality share, modes covered / modes].
      target: { text: '8 of 8 modes covered', met: (q) => q[2] === 1 },
    },
  ],
});

export type { Gan2dConfig };
