/**
 * What the translation families' specs share (Pix2Pix, CycleGAN, UNIT), free of TensorFlow.js:
 * the info and frame every one of them sends, the fields of image size, discriminator and
 * training, the tiny test size, the benchmark rows and the trained models' quality targets.
 */
import {
  TRANSLATION_SIZES,
  type TranslationSize,
  type TranslationTraining,
} from '../../models/translation.config';
import type {
  BenchCaseSpec,
  ChoiceFieldSpec,
  ImageGrid,
  NumberFieldSpec,
  TrainedModelSpec,
} from '../types';

export interface TranslationInfo<K extends string> {
  readonly kind: K;
  readonly lossNames: readonly string[];
  readonly qualityNames: readonly string[];
  readonly imageSize: number;
  /** Titles of the translate grid's columns. */
  readonly gridColumns: readonly string[];
  /** Mean |a - b| over held-out pairs: the error of copying the input, the baseline. */
  readonly baseline: number;
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
    },
  };
}

/** The discriminator's depth against the image size: the form's cross-field check. */
export function layersRefine(maxLayers: MaxLayers) {
  return (m: TranslationTraining): string | null =>
    m.dLayers > maxLayers(m.imageSize)
      ? `dLayers: at most ${maxLayers(m.imageSize)} discriminator layers fit ${m.imageSize} px`
      : null;
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
