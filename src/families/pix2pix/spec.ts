/**
 * Pix2Pix (Isola et al. 2017, junyanz/pytorch-CycleGAN-and-pix2pix) on the built-in two-domain
 * toy faces, trained on aligned pairs (a photo and its own line drawing): the paired baseline the
 * unpaired CycleGAN and UNIT are measured against. Reference hyperparameters as defaults; toy
 * widths (see src/models/pix2pix.ts's header for departures).
 */
import {
  PIX2PIX_DEFAULTS,
  type Pix2PixConfig,
  type Pix2PixDirection,
} from '../../models/pix2pix.config';
import * as translation from '../translation/spec';
import { defineFamily } from '../types';

export { PIX2PIX_DEFAULTS, type Pix2PixConfig, type Pix2PixDirection };

export type InfoPix2Pix = translation.TranslationInfo<'pix2pix'>;
/** The quality row per direction trained, measured on its own cadence (quality is null). */
export const PIX2PIX_FIGURES = {
  AtoB: translation.oneWayFigures('A→B'),
  BtoA: translation.oneWayFigures('B→A'),
} as const;

export type FramePix2Pix = translation.TranslationFrame<'pix2pix'>;

export interface Pix2PixTypes {
  readonly config: Pix2PixConfig;
  readonly info: InfoPix2Pix;
  readonly frame: FramePix2Pix;
  readonly render: translation.TranslateRequest;
}

const TINY = translation.tinyOf(PIX2PIX_DEFAULTS, { ngf: 4 });

/** What the learning script and test measured (npm run quality:translation), for slow devices. */
export const PIX2PIX_QUICK = { imageSize: 16, ngf: 8, ndf: 8, dLayers: 2, batchSize: 4 } as const;

const arrow = (d: Pix2PixDirection) => (d === 'AtoB' ? 'photo → drawing' : 'drawing → photo');

export const pix2pixFamily = defineFamily<Pix2PixTypes>()({
  kind: 'pix2pix',
  title: 'Pix2Pix: line drawings → photos, paired',
  description:
    'A U-Net learns to colour toy-face line drawings (or trace photos) from aligned pairs, with an L1 loss and a PatchGAN judging (input, output) pairs: what pairing buys over CycleGAN.',
  defaults: PIX2PIX_DEFAULTS,
  fields: {
    ...translation.dataFields<Pix2PixConfig>(
      'Pix2Pix pairs them by file name (a.png in one folder with a.png in the other).',
    ),
    direction: {
      type: 'choice',
      label: 'Direction',
      help: "Which way G translates (the reference's --direction): drawing → photo fills each region with its outline's colour; photo → drawing traces the outlines.",
      testId: 'pix2pix-direction',
      options: [
        ['BtoA', 'Drawing → photo'],
        ['AtoB', 'Photo → drawing'],
      ],
    },
    imageSize: translation.imageSizeField(
      'Side of the square faces, in pixels (256 in the reference); the U-Net goes down to 1 × 1.',
      translation.patchGanMaxLayers,
    ),
    ngf: {
      type: 'int',
      label: 'Base channels',
      help: "Channels of the U-Net's first convolution (64 in the reference), doubled per level up to 8 times.",
      group: 'Generator',
      testId: 'g-conv-dim',
      min: 2,
      max: 64,
    },
    ...translation.discriminatorFields<Pix2PixConfig>({
      group: 'Discriminator',
      ndf: "Channels of the PatchGAN's first convolution (64 in the reference).",
      dLayersLabel: 'PatchGAN layers',
      dLayers:
        'Strided layers of the PatchGAN on (input, output) pairs (3 in the reference); at most log2(image size) - 2.',
    }),
    lambdaL1: {
      type: 'float',
      label: 'λ L1',
      help: 'Weight of |G(x) − y| against the adversarial term (100 in the reference).',
      group: 'Loss weights',
      min: 0,
      max: 1000,
    },
    ...translation.trainingFields<Pix2PixConfig>({
      lr: 'Adam step size of G and D (2e-4 in the reference).',
      batchSize:
        'Pairs per update (1 in the reference; instance norm keeps each image its own statistics).',
      datasetLabel: 'Training pairs',
      datasetSize:
        'Toy faces drawn for training, each as a photo and its line drawing (32 more are held out for the figures).',
    }),
  },
  refine: translation.translationRefine(translation.patchGanMaxLayers),
  uploaded: translation.uploadedData('Pix2Pix'),
  welcome:
    'Press ▶ Play: the U-Net learns from pairs, so within a few hundred steps its outputs approach the true counterparts beside them.',
  flow: (m) => [
    `an input x (${arrow(m.direction)}) → U-Net G (skips from each down level to its up level) → G(x)`,
    '(x, G(x)) or (x, y) → PatchGAN D → a map of logits (real pair or generated pair)',
    'G(x) against the true y → the L1 term (λ L1 = 100)',
  ],
  shortName: () => 'Pix2Pix',
  describe: (m) => `Pix2Pix (${m.imageSize} px, ${arrow(m.direction)})`,
  testSizes: { tiny: [TINY, { ...TINY, direction: 'AtoB' }], small: TINY },
  runLength: (m) => m.numIters,
  quick: { label: '16 px, 8 channels, batch 4', model: PIX2PIX_QUICK },
  milestones: [
    {
      model: PIX2PIX_QUICK,
      steps: 400,
      what: 'drawing → photo L1 0.246 on held-out faces, from 0.408 untrained (npm run quality:translation, seed 1)',
    },
  ],
  bench: translation.translationBench(
    'Pix2Pix',
    TINY,
    PIX2PIX_DEFAULTS,
    '32 px, 16 channels, batch 4',
  ),
  trained: [
    {
      file: 'pix2pix-faces-32px.zip',
      title: 'the trained Pix2Pix at 32 px (drawing → photo)',
      description:
        "Pix2Pix at 32 px, drawing → photo, with base channels 8 (the default 16 makes a 4.2 MB U-Net), its PyTorch twin trained 4,000 iterations as junyanz's pix2pix_model.py does (scripts/reference/train_translation.py): held-out L1 to the true photo 0.25, where copying the input scores 0.52. Colours come out right but blurred.",
      fits: (m) => m.direction === 'BtoA',
      // Quality row: [B→A L1] on the seed's 32 held-out pairs (0.253 at seed 1, copy 0.515).
      target: translation.errorTarget([['drawing → photo', 0.26]]),
    },
  ],
});
