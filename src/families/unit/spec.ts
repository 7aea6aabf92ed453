/**
 * UNIT (Liu et al. 2017, as PyTorch-GAN's implementations/unit) on the built-in two-domain toy
 * faces, unpaired as CycleGAN: two VAE-GANs whose encoders share their last block and whose
 * generators share their first, so a photo and its drawing meet in one latent code. The page
 * knows the true counterparts and measures the translation error. Reference hyperparameters as
 * defaults; toy widths (see src/models/unit.ts's header for departures).
 */
import { UNIT_DEFAULTS, type UnitConfig } from '../../models/unit.config';
import * as translation from '../translation/spec';
import { defineFamily, type ImageGrid } from '../types';

export { UNIT_DEFAULTS, type UnitConfig };

/** The quality row, measured on its own cadence (see heldOut.twoWayQuality). */
export const UNIT_FIGURES = translation.twoWayFigures({ ab: 'G2(E1(a))', ba: 'G1(E2(b))' });

export interface InfoUnit extends translation.TranslationInfo<'unit'> {
  /** Titles of the latent grid's columns: channels of the code, then both decodings. */
  readonly latentColumns: readonly string[];
}

/** quality is null: [A→B L1, B→A L1, cycle L1] are measured on their own cadence. */
export interface FrameUnit extends translation.TranslationFrame<'unit'> {
  /** Held-out photos then drawings: channels of their shared code mu, G1(mu) and G2(mu). */
  readonly latent: ImageGrid;
}

export interface UnitTypes {
  readonly config: UnitConfig;
  readonly info: InfoUnit;
  readonly frame: FrameUnit;
  readonly render: translation.TranslateRequest;
}

/** PyTorch-GAN's D: strided blocks down to a map of at least 2 x 2 (4 blocks at 32 px). */
export const unitMaxLayers: translation.MaxLayers = (size) => Math.log2(size) - 1;

// No residual blocks beside the shared ones: e2e and the unit tests train it on a software GPU
// or the CPU.
const TINY = translation.tinyOf(UNIT_DEFAULTS, { dim: 4, nBlocks: 0 });

/** What the learning script measured (npm run quality:translation), for slow devices. */
export const UNIT_QUICK = {
  imageSize: 16,
  dim: 8,
  nBlocks: 2,
  ndf: 8,
  dLayers: 3,
  batchSize: 4,
} as const;

export const unitFamily = defineFamily<UnitTypes>()({
  kind: 'unit',
  title: 'UNIT: photos ↔ line drawings through a shared latent space',
  description:
    'Two encoder-generator pairs that share their innermost blocks learn one latent code for toy-face photos and their line drawings from unpaired images; swapping the decoder translates, and the page measures the error against the true counterparts.',
  defaults: UNIT_DEFAULTS,
  fields: {
    ...translation.dataFields<UnitConfig>('UNIT draws the two unpaired.'),
    imageSize: translation.imageSizeField(
      'Side of the square faces, in pixels (256 in the reference).',
      unitMaxLayers,
    ),
    dim: {
      type: 'int',
      label: 'Base channels',
      help: "Channels of each encoder's first convolution (--dim, 64 in the reference), doubled by its 2 down-samplings; the shared code has 4 times as many.",
      group: 'Encoders and generators',
      testId: 'g-conv-dim',
      min: 2,
      max: 64,
    },
    nBlocks: {
      type: 'int',
      label: 'Residual blocks',
      help: 'Residual blocks of each encoder and each generator besides the shared one (3 in the reference).',
      group: 'Encoders and generators',
      min: 0,
      max: 6,
    },
    ...translation.discriminatorFields<UnitConfig>({
      group: 'Discriminators',
      ndf: "Channels of each discriminator's first convolution, doubled per block (64 in the reference).",
      dLayersLabel: 'Strided blocks',
      dLayers:
        "Each discriminator's stride-2 blocks (4 in the reference); at most log2(image size) - 1, leaving a 2 × 2 map.",
    }),
    lambdaGan: {
      type: 'float',
      label: 'λ0 GAN',
      help: 'Weight of the least-squares GAN terms of both translations (10 in the reference).',
      group: 'Loss weights',
      min: 0,
      max: 100,
    },
    lambdaKl: {
      type: 'float',
      label: 'λ1 KL',
      help: 'Weight of KL(mu) = mean(mu²) of the encoded images (0.1 in the reference).',
      group: 'Loss weights',
      min: 0,
      max: 10,
    },
    lambdaId: {
      type: 'float',
      label: 'λ2 reconstruction',
      help: 'Weight of |G1(z1) − x1| + |G2(z2) − x2|, each domain decoded from its own code (100 in the reference).',
      group: 'Loss weights',
      min: 0,
      max: 1000,
    },
    lambdaKlCycle: {
      type: 'float',
      label: 'λ3 cycle KL',
      help: 'Weight of KL of the translations encoded again (0.1 in the reference).',
      group: 'Loss weights',
      min: 0,
      max: 10,
    },
    lambdaCycle: {
      type: 'float',
      label: 'λ4 cycle',
      help: 'Weight of the cycle reconstructions |G1(E2(G2(z1))) − x1| + |G2(E1(G1(z2))) − x2| (100 in the reference).',
      group: 'Loss weights',
      min: 0,
      max: 1000,
    },
    ...translation.trainingFields<UnitConfig>({
      lr: 'Adam step size of the encoders-and-generators optimiser and of each discriminator’s (1e-4 in the reference).',
      batchSize:
        'Images per domain per update (1 in the reference; instance norm keeps each image its own statistics).',
      datasetLabel: 'Faces per domain',
      datasetSize:
        'Toy faces drawn for training, each rendered as a photo and as a line drawing (32 more are held out for the figures).',
    }),
  },
  refine: translation.translationRefine(unitMaxLayers),
  uploaded: translation.uploadedData('UNIT'),
  welcome:
    'Press ▶ Play: photos and drawings are encoded into one shared code; decoding a photo’s code with the drawing generator translates it. Watch the grid and the code’s channels below it.',
  flow: () => [
    'a photo x1 → E1 (its last block shared with E2) → mu1, z1 = mu1 + noise',
    'a drawing x2 → E2 (the same last block) → mu2, z2 = mu2 + noise',
    'z → G1 (first block shared with G2) → a photo; z → G2 → a drawing: G2(z1) translates, G1(z1) reconstructs',
    'translations encoded again and decoded back → the cycle terms; D1, D2 judge photos and drawings (least squares)',
  ],
  shortName: () => 'UNIT',
  describe: (m) => `UNIT (${m.imageSize} px, ${m.dim} channels)`,
  testSizes: { tiny: [TINY], small: TINY },
  runLength: (m) => m.numIters,
  quick: { label: '16 px, 8 channels, 2 residual blocks, batch 4', model: UNIT_QUICK },
  milestones: [
    {
      model: UNIT_QUICK,
      steps: 400,
      what: 'held-out L1 photo → drawing 0.28 and drawing → photo 0.31, from 0.63 and 0.50 untrained (npm run quality:translation, seed 1)',
    },
  ],
  bench: translation.translationBench('UNIT', TINY, UNIT_DEFAULTS, '32 px, 8 channels, batch 4'),
  trained: [
    {
      file: 'unit-faces-32px.zip',
      title: 'the trained UNIT at 32 px',
      description:
        "The default UNIT at 32 px (base channels 8, 3 residual blocks plus the shared ones, D 16 to 128 channels over 4 blocks), its PyTorch twin trained 6,000 iterations on unpaired faces as PyTorch-GAN's unit.py does (scripts/reference/train_translation.py): held-out L1 to the true counterpart 0.28 photo → drawing and 0.31 drawing → photo, where copying the input scores 0.52; cycle L1 0.18. Drawings come out speckled with colour; photos blurred, on a purple-tinted background.",
      // Quality row: [A→B L1, B→A L1, cycle L1] on the seed's 32 held-out faces per domain
      // (0.279 and 0.313 at seed 1, copy baseline 0.515).
      target: translation.errorTarget([
        ['photo → drawing', 0.29],
        ['drawing → photo', 0.32],
      ]),
    },
  ],
});
