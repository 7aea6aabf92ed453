/**
 * What the translation families' settings share (Pix2Pix, CycleGAN, UNIT), apart from the
 * networks so the UI can read them without loading TensorFlow.js.
 */

/** Sides of the two-domain toy faces the translation families train on, in pixels. */
export const TRANSLATION_SIZES = [16, 32] as const;
export type TranslationSize = (typeof TRANSLATION_SIZES)[number];

/** The built-in two-domain toy faces, or an uploaded set with two domain folders. */
export type TranslationDataChoice = 'faces' | 'uploaded';

/** The settings every translation family has, beside its networks' widths and loss weights. */
export interface TranslationTraining {
  readonly data: TranslationDataChoice;
  /** The uploaded data set trained on when data is 'uploaded' (an IndexedDB key). */
  readonly datasetId: string | null;
  /** Side of the square images, in pixels. */
  readonly imageSize: TranslationSize;
  /** Channels of the discriminator's first conv (64 in the references). */
  readonly ndf: number;
  /** Strided layers of the discriminator. */
  readonly dLayers: number;
  /** Adam step size of every optimiser. */
  readonly lr: number;
  readonly beta1: number;
  readonly beta2: number;
  /** Images (or pairs) per domain per update (1 in the references). */
  readonly batchSize: number;
  /** Run length: constant lr for the first half, linear decay to 0 over the second. */
  readonly numIters: number;
  /** Faces drawn per domain for training (32 more are held out). */
  readonly datasetSize: number;
}

/** Every family's default data: the built-in faces. */
export const TRANSLATION_DATA_DEFAULTS = { data: 'faces', datasetId: null } as const;
