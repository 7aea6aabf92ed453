/**
 * What the translation families' specs share (Pix2Pix, CycleGAN, UNIT), free of TensorFlow.js:
 * the info and frame every one of them sends, the fields of image size, discriminator and
 * training, the tiny test size, the benchmark rows and the trained models' quality targets.
 */
import {
  TRANSLATION_SIZES,
  type TranslationDataChoice,
  type TranslationSize,
  type TranslationTraining,
} from '../../models/translation.config';
import type {
  BenchCaseSpec,
  ChoiceFieldSpec,
  DatasetIdFieldSpec,
  ImageGrid,
  NumberFieldSpec,
  TrainedModelSpec,
  UploadedDataSpec,
} from '../types';

/**
 * What handing the input back unchanged scores on the held-out faces: the untrained baseline
 * every figure is read against.
 */
export interface CopyBaseline {
  /** Mean |a - b| over held-out pairs: the L1 error of G_AB(a) = a and of G_BA(b) = b. */
  readonly l1: number;
  /** The reader's feature distance of a face to its own drawing: a copy keeps the content. */
  readonly feature: number;
}

/** One figure of a translation family's quality row, as the page shows it. */
export interface TranslationFigure {
  readonly name: string;
  /** How it is measured, for the tooltip. */
  readonly title: string;
  /** A share shown as a percentage, higher better (the others are distances, lower better). */
  readonly share: boolean;
  /** What copying the input scores. */
  readonly copy: (baseline: CopyBaseline) => number;
}

/** A figure's value as the page shows it: a percentage or three decimals, '–' if unmeasured. */
export function shownFigure(figure: TranslationFigure, value: number | undefined): string {
  if (value === undefined || Number.isNaN(value)) return '–';
  return figure.share ? `${Math.round(value * 100)}%` : value.toFixed(3);
}

const FEATURE_TITLE =
  "the two-domain reader's content read (hair, sex, age, expression, skin, background) of the translation against that of the true counterpart, mean |difference| over 32 held-out faces. A copy keeps the content exactly, so it scores only the reader's own noise between a face and its drawing; a good translator must change the domain (domain accuracy) and keep this low";
const DOMAIN_TITLE =
  'Share of the held-out translations the two-domain reader reads as the target domain (a copy of the input scores 0%)';

/** One direction's figures: L1 to the truth, then the reader's feature distance. */
function directionFigures(name: string, l1Title: string): [TranslationFigure, TranslationFigure] {
  return [
    { name: `${name} L1`, title: l1Title, share: false, copy: (b) => b.l1 },
    {
      name: `${name} features`,
      title: `Feature distance: ${FEATURE_TITLE}`,
      share: false,
      copy: (b) => b.feature,
    },
  ];
}

/** CycleGAN's and UNIT's quality row; `maps` names their translators for the tooltips. */
export function twoWayFigures(maps: {
  readonly ab: string;
  readonly ba: string;
}): readonly TranslationFigure[] {
  const [abL1, abFeature] = directionFigures(
    'A→B',
    `Mean |${maps.ab} − b| over 32 held-out photos and their true drawings (pixels in [−1, 1])`,
  );
  const [baL1, baFeature] = directionFigures(
    'B→A',
    `Mean |${maps.ba} − a| over the held-out drawings and their true photos`,
  );
  const cycle: TranslationFigure = {
    name: 'Cycle L1',
    title: 'Mean of |A→B→A − a| and |B→A→B − b| on the held-out faces (a copy cycles perfectly)',
    share: false,
    copy: () => 0,
  };
  const domain: TranslationFigure = {
    name: 'Domain accuracy',
    title: `${DOMAIN_TITLE}, both directions`,
    share: true,
    copy: () => 0,
  };
  return [abL1, baL1, cycle, abFeature, baFeature, domain];
}

/** Pix2Pix's quality row: its one direction's L1, feature distance and domain accuracy. */
export function oneWayFigures(direction: 'A→B' | 'B→A'): readonly TranslationFigure[] {
  return [
    ...directionFigures(direction, 'Mean |G(x) − y| over 32 held-out pairs (pixels in [−1, 1])'),
    { name: 'Domain accuracy', title: DOMAIN_TITLE, share: true, copy: () => 0 },
  ];
}

/** Which of the two domains an image is in: A photos, B line drawings. */
export type Domain = 'A' | 'B';

/**
 * The translate playground's one generator pass: each of the user's images (registered with a
 * renderInput message under `key`), translated out of its domain. Its images, row by row: the
 * input, then what the family makes of it (see translateColumns).
 */
export interface TranslateRequest {
  readonly kind: 'translate';
  readonly inputs: readonly { readonly key: string; readonly from: Domain }[];
}

export interface TranslationInfo<K extends string> {
  readonly kind: K;
  readonly lossNames: readonly string[];
  readonly qualityNames: readonly string[];
  readonly imageSize: number;
  /** Titles of the translate grid's columns. */
  readonly gridColumns: readonly string[];
  readonly baseline: CopyBaseline;
  /** What each domain holds, for people: photo and line drawing, or an upload's folder names. */
  readonly domainNames: { readonly A: string; readonly B: string };
  /** Titles of the columns a translate request gives per uploaded image, input first. */
  readonly translateColumns: readonly string[];
  /** The domains an uploaded image may be in: both, or a one-way translator's source. */
  readonly translatesFrom: readonly Domain[];
}

export interface TranslationFrame<K extends string> {
  readonly kind: K;
  readonly step: number;
  /** The translation errors, or null where they are measured on their own cadence. */
  readonly quality: readonly number[] | null;
  /** The translate grid: held-out faces, translations, and the true counterpart. */
  readonly grid: ImageGrid;
}

/** Strided layers a discriminator may have at a size, given the smallest map it must leave. */
export type MaxLayers = (imageSize: number) => number;

/** junyanz's PatchGAN: its stride-1 convs need a 4 x 4 map after the strided ones. */
export const patchGanMaxLayers: MaxLayers = (size) => Math.log2(size) - 2;

/**
 * The data: the built-in faces, or an uploaded set with two domain folders (A the first by
 * name, B the second). `pairing` says how the family reads an upload.
 */
export function dataFields<C extends TranslationTraining>(
  pairing: string,
): {
  readonly data: ChoiceFieldSpec<C, TranslationDataChoice>;
  readonly datasetId: DatasetIdFieldSpec;
} {
  return {
    data: {
      type: 'choice',
      immediate: true,
      label: 'Data',
      help: `The built-in toy faces as photos (A) and line drawings (B), or an uploaded set with two domain folders: the first by name is A, the second B. ${pairing}`,
      testId: 'translation-data',
      options: [
        ['faces', 'Toy faces: photos and drawings'],
        ['uploaded', 'Uploaded, two domain folders'],
      ],
    },
    datasetId: { type: 'datasetId' },
  };
}

/** The Data panel's button that starts the family on an uploaded set. */
export function uploadedData<C extends TranslationTraining>(action: string): UploadedDataSpec<C> {
  return { field: 'data', needsLabels: true, action };
}

export function imageSizeField<C extends TranslationTraining>(
  help: string,
  maxLayers: MaxLayers,
): ChoiceFieldSpec<C, TranslationSize> {
  return {
    type: 'choice',
    label: 'Image size',
    help,
    testId: 'image-size',
    options: TRANSLATION_SIZES.map((s) => [s, `${s} px`] as const),
    apply: (m, imageSize) => ({ dLayers: Math.min(m.dLayers, maxLayers(imageSize)) }) as Partial<C>,
  };
}

/** The discriminator's width and depth, under its group's legend. */
export function discriminatorFields<C>(text: {
  readonly group: string;
  readonly ndf: string;
  readonly dLayersLabel: string;
  readonly dLayers: string;
}): { readonly ndf: NumberFieldSpec<C>; readonly dLayers: NumberFieldSpec<C> } {
  return {
    ndf: {
      type: 'int',
      label: 'Base channels',
      help: text.ndf,
      group: text.group,
      min: 2,
      max: 64,
    },
    dLayers: {
      type: 'int',
      label: text.dLayersLabel,
      help: text.dLayers,
      group: text.group,
      min: 1,
      max: 4,
    },
  };
}

type TrainingKeys = 'lr' | 'beta1' | 'beta2' | 'batchSize' | 'numIters' | 'datasetSize';

/** Optimiser, batch, run length and data set size, in form order. */
export function trainingFields<C>(text: {
  /** Which optimisers the learning rate sets, and the reference's value. */
  readonly lr: string;
  readonly batchSize: string;
  readonly datasetLabel: string;
  readonly datasetSize: string;
}): { readonly [K in TrainingKeys]: NumberFieldSpec<C> } {
  const beta = (help: string): NumberFieldSpec<C> => ({
    type: 'float',
    label: '',
    help,
    group: 'Optimiser',
    min: 0,
    max: 0.9999,
  });
  return {
    lr: {
      type: 'float',
      label: 'Learning rate',
      help: text.lr,
      group: 'Optimiser',
      min: 1e-6,
      max: 1e-2,
    },
    beta1: { ...beta("Adam's first-moment decay (0.5 in the reference)."), label: 'Adam β1' },
    beta2: { ...beta("Adam's second-moment decay (0.999 in the reference)."), label: 'Adam β2' },
    batchSize: {
      type: 'int',
      label: 'Batch size',
      help: text.batchSize,
      testId: 'batch-size',
      min: 1,
      max: 64,
    },
    numIters: {
      type: 'int',
      label: 'Run length (lr decays over 2nd half)',
      help: 'Iterations of the run: constant learning rate for the first half, then linear decay to 0, as the reference over epochs.',
      min: 10,
      max: 10_000_000,
      unit: 'iterations',
    },
    datasetSize: {
      type: 'int',
      label: text.datasetLabel,
      help: text.datasetSize,
      testId: 'dataset-size',
      min: 8,
      max: 20_000,
      visible: (m) => (m as TranslationTraining).data !== 'uploaded',
    },
  };
}

/** The form's cross-field checks: the data set named exactly when uploaded, D's depth. */
export function translationRefine(maxLayers: MaxLayers) {
  return (m: TranslationTraining): string | null => {
    if ((m.data === 'uploaded') !== (m.datasetId !== null)) {
      return 'datasetId: set exactly when the data is uploaded';
    }
    return m.dLayers > maxLayers(m.imageSize)
      ? `dLayers: at most ${maxLayers(m.imageSize)} discriminator layers fit ${m.imageSize} px`
      : null;
  };
}

/**
 * The size unit tests and e2e train: 16 px, widths 4, batch 2, 16 faces (generator widths and
 * depths in `model`).
 */
export function tinyOf<C extends TranslationTraining>(defaults: C, model: Partial<C>): C {
  return {
    ...defaults,
    imageSize: 16,
    ndf: 4,
    dLayers: 2,
    batchSize: 2,
    datasetSize: 16,
    ...model,
  };
}

/** The benchmark's two rows: the tiny size and the defaults. */
export function translationBench<C>(
  label: string,
  tiny: C,
  defaults: C,
  defaultSize: string,
): BenchCaseSpec<C>[] {
  return [
    { label, size: 'small (16 px, 4 channels, batch 2)', model: tiny, warmup: 2, iterations: 6 },
    { label, size: `default (${defaultSize})`, model: defaults, warmup: 1, iterations: 3 },
  ];
}

/**
 * A shipped model's quality target: each named translation error, in quality-row order, at most
 * its bound (the bounds the shipped file meets on the seed's held-out faces, so a worse file fails).
 */
export function errorTarget(
  bounds: readonly (readonly [string, number])[],
): TrainedModelSpec<unknown>['target'] {
  return {
    text: bounds.map(([name, bound]) => `${name} L1 at most ${bound}`).join(', '),
    met: (q) => bounds.every(([, bound], i) => q[i]! <= bound),
  };
}
