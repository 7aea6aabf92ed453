/**
 * CycleGAN (Zhu et al. 2017, junyanz/pytorch-CycleGAN-and-pix2pix) on the built-in two-domain
 * toy faces: photos and line drawings drawn independently (unpaired), so the model never sees
 * which drawing belongs to which photo; the page, which knows, measures the translation error.
 * Reference hyperparameters as defaults; toy widths (see src/models/cyclegan.ts's header for
 * departures).
 */
import { CYCLEGAN_DEFAULTS, type CycleGanConfig } from '../../models/cyclegan.config';
import * as translation from '../translation/spec';
import { defineFamily } from '../types';

export { CYCLEGAN_DEFAULTS, type CycleGanConfig };

export type InfoCycleGan = translation.TranslationInfo<'cyclegan'>;

/** quality is null: the figures [A→B L1, B→A L1, cycle L1] are measured on their own cadence. */
/** The quality row, measured on its own cadence (see heldOut.twoWayQuality). */
export const CYCLEGAN_FIGURES = translation.twoWayFigures({ ab: 'G_AB(a)', ba: 'G_BA(b)' });

export interface FrameCycleGan extends translation.TranslationFrame<'cyclegan'> {
  /** The image pools: images stored (of poolSize) and share of D's fakes taken from the store. */
  readonly pool: { readonly fill: number; readonly reuseRate: number };
}

export interface CycleGanTypes {
  readonly config: CycleGanConfig;
  readonly info: InfoCycleGan;
  readonly frame: FrameCycleGan;
  readonly render: translation.TranslateRequest;
}

// The pool is full after the first step, so tests see the swap and a flat tensor count.
const TINY = translation.tinyOf(CYCLEGAN_DEFAULTS, { ngf: 4, nBlocks: 1, poolSize: 2 });

/** What the learning script measured (npm run quality:translation), for slow devices. */
export const CYCLEGAN_QUICK = {
  imageSize: 16,
  ngf: 8,
  nBlocks: 2,
  ndf: 8,
  dLayers: 2,
  batchSize: 4,
} as const;

export const cycleganFamily = defineFamily<CycleGanTypes>()({
  kind: 'cyclegan',
  title: 'CycleGAN: photos ↔ line drawings, unpaired',
  description:
    'Two generators learn to turn toy-face photos into line drawings and back from unpaired images, held together by cycle consistency; the page knows the true counterparts and measures the error.',
  defaults: CYCLEGAN_DEFAULTS,
  fields: {
    ...translation.dataFields<CycleGanConfig>('CycleGAN draws the two unpaired.'),
    imageSize: translation.imageSizeField(
      'Side of the square faces, in pixels (256 in the reference).',
      translation.patchGanMaxLayers,
    ),
    ngf: {
      type: 'int',
      label: 'Base channels',
      help: "Channels of each generator's first convolution (64 in the reference), doubled by its 2 down-samplings.",
      group: 'Generators',
      testId: 'g-conv-dim',
      min: 2,
      max: 64,
    },
    nBlocks: {
      type: 'int',
      label: 'ResNet blocks',
      help: 'Residual blocks with reflection padding and instance norm (6 at 128 px, 9 at 256 px in the reference).',
      group: 'Generators',
      min: 0,
      max: 9,
    },
    ...translation.discriminatorFields<CycleGanConfig>({
      group: 'Discriminators',
      ndf: "Channels of each PatchGAN discriminator's first convolution (64 in the reference).",
      dLayersLabel: 'PatchGAN layers',
      dLayers: 'Strided layers of the PatchGAN (3 in the reference); at most log2(image size) - 2.',
    }),
    lambdaCyc: {
      type: 'float',
      label: 'λ cycle',
      help: 'Weight of each cycle-consistency L1 term, |G_BA(G_AB(a)) − a| and |G_AB(G_BA(b)) − b| (10 in the reference).',
      group: 'Loss weights',
      min: 0,
      max: 100,
    },
    lambdaIdt: {
      type: 'float',
      label: 'λ identity (share of λ cycle)',
      help: 'Identity loss |G_AB(b) − b| + |G_BA(a) − a|, weighted by this share of λ cycle (0.5 in the reference; 0 turns it off).',
      group: 'Loss weights',
      testId: 'lambda-idt',
      min: 0,
      max: 10,
    },
    poolSize: {
      type: 'int',
      label: 'Image pool',
      help: "Generated images each discriminator's pool keeps; once full, each fake is swapped for a stored one with p = 0.5 (50 in the reference, 0 turns it off).",
      group: 'Discriminators',
      min: 0,
      max: 200,
    },
    ...translation.trainingFields<CycleGanConfig>({
      lr: 'Adam step size of both optimisers (2e-4 in the reference).',
      batchSize:
        'Images per domain per update (1 in the reference; instance norm keeps each image its own statistics).',
      datasetLabel: 'Faces per domain',
      datasetSize:
        'Toy faces drawn for training, each rendered as a photo and as a line drawing (32 more are held out for the figures).',
    }),
  },
  refine: translation.translationRefine(translation.patchGanMaxLayers),
  uploaded: translation.uploadedData('CycleGAN'),
  welcome:
    'Press ▶ Play and watch the grid: photos become line drawings and back, beside the true drawing the model never saw paired with them.',
  flow: () => [
    'a photo a → G_AB → a drawing G_AB(a) → G_BA → the photo again (cycle L1 against a)',
    'a drawing b → G_BA → a photo G_BA(b) → G_AB → the drawing again (cycle L1 against b)',
    'real or pooled fake photos → D_A → a realness map; drawings → D_B (least squares)',
  ],
  shortName: () => 'CycleGAN',
  describe: (m) => `CycleGAN (${m.imageSize} px, ${m.nBlocks} blocks)`,
  testSizes: { tiny: [TINY, { ...TINY, lambdaIdt: 0, poolSize: 0 }], small: TINY },
  runLength: (m) => m.numIters,
  quick: { label: '16 px, 8 channels, 2 ResNet blocks, batch 4', model: CYCLEGAN_QUICK },
  milestones: [
    {
      model: CYCLEGAN_QUICK,
      steps: 600,
      what: 'held-out L1 photo → drawing 0.27 and drawing → photo 0.30, from 0.65 and 0.41 untrained (npm run quality:translation, seed 1)',
    },
  ],
  // One generator per file (G_A or G_B there): a file loads into G_AB, export writes G_AB
  // (see torch.ts for why, and how the other direction is run).
  torchReference:
    "junyanz/pytorch-CycleGAN-and-pix2pix's ResnetGenerator (networks.py; G_AB as latest_net_G_A.pth)",
  bench: translation.translationBench(
    'CycleGAN',
    TINY,
    CYCLEGAN_DEFAULTS,
    '32 px, 16 channels, batch 4',
  ),
  trained: [
    {
      file: 'cyclegan-faces-32px.zip',
      title: 'the trained CycleGAN at 32 px',
      description:
        "The default CycleGAN at 32 px (base channels 16, 3 ResNet blocks), its PyTorch twin trained 2,500 iterations on unpaired faces as junyanz's cycle_gan_model.py does (scripts/reference/train_translation.py): held-out L1 to the true counterpart 0.27 photo → drawing and 0.31 drawing → photo, where copying the input scores 0.52; cycle L1 0.14. Outlines are traced with speckle; photos come back blurred.",
      // Quality row: [A→B L1, B→A L1, cycle L1] on the seed's 32 held-out faces per domain
      // (0.268 and 0.307 at seed 1, copy baseline 0.515).
      target: translation.errorTarget([
        ['photo → drawing', 0.28],
        ['drawing → photo', 0.32],
      ]),
    },
  ],
});
