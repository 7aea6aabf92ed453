/**
 * What a model family declares about itself, without TensorFlow.js or React: its settings as
 * one field table (which drives the schema, the settings form and the share-link parameters),
 * its defaults, loss and quality names, and the sizes the tests use. The registry
 * (`families/index.ts`) derives every union the app needs from these declarations.
 */

/** Shared by every field of the table. */
interface FieldCommon<C> {
  readonly label: string;
  /** One or two sentences for the form's help text: what the setting does, the reference value. */
  readonly help: string;
  /** Fields with the same group are shown together under this legend. */
  readonly group?: string;
  /** A stable hook for end-to-end tests and the benchmark. */
  readonly testId?: string;
  /** Shown in the form only when this holds (the schema still checks the value). */
  readonly visible?: (model: C) => boolean;
}

export interface NumberFieldSpec<C> extends FieldCommon<C> {
  readonly type: 'int' | 'float';
  readonly min: number;
  readonly max: number;
  readonly unit?: string;
}

export interface ChoiceFieldSpec<C, V extends string | number> extends FieldCommon<C> {
  readonly type: 'choice';
  readonly options: readonly (readonly [V, string])[];
  /** What choosing a value also sets (a variant's reference hyperparameters, say). */
  readonly apply?: (model: C, value: V) => Partial<C>;
  /** Takes effect at once (restarting the run) because it changes what the page shows. */
  readonly immediate?: boolean;
}

/** The IndexedDB key of an uploaded data set: never in a link, set by the data choice. */
export interface DatasetIdFieldSpec {
  readonly type: 'datasetId';
}

export type FieldSpec<C, V> = [V] extends [number]
  ? NumberFieldSpec<C> | ChoiceFieldSpec<C, V & number>
  : [V] extends [string | null]
    ? null extends V
      ? DatasetIdFieldSpec
      : ChoiceFieldSpec<C, V & string>
    : never;

/** One entry per setting, in form order. */
export type FieldTable<C> = { readonly [K in keyof C]: FieldSpec<C, C[K]> };

/** Images laid out row by row: rows x cols images of size x size RGBA pixels. */
export interface ImageGrid {
  readonly rows: number;
  readonly cols: number;
  readonly size: number;
  readonly pixels: Uint8ClampedArray;
}

/** Fields every family's experiment info carries. */
export interface InfoBase {
  readonly lossNames: readonly string[];
  /** Names of the quality row every frame carries, in order. */
  readonly qualityNames: readonly string[];
}

/** Fields every family's frame carries. */
export interface FrameBase {
  readonly step: number;
  /** One value per info.qualityNames entry (NaN where a figure is not available), or null. */
  readonly quality: readonly number[] | null;
}

/** The family's message payloads, named for the registry to build the protocol's unions. */
export interface FamilyTypes {
  /** The settings: flat, one entry per field of the table. */
  readonly config: object;
  readonly info: InfoBase & { readonly kind: string };
  readonly frame: FrameBase & { readonly kind: string };
  /** What the family's playground asks G for (never, when it has no playground). */
  readonly render: { readonly kind: string };
}

/** Training on an uploaded data set: the choice field whose value 'uploaded' selects it. */
export interface UploadedDataSpec<C> {
  readonly field: keyof C & string;
  /** Whether the set must carry labels. */
  readonly needsLabels: boolean;
  /** The Data panel's button that starts this family on a set. */
  readonly action: string;
}

export interface Milestone<C> {
  readonly model: Partial<C>;
  readonly steps: number;
  /** What is reached, and where it was measured: "8 of 8 modes (learning test, seed 1)". */
  readonly what: string;
}

/** One row of the benchmark: a model size, its iteration counts and a playground slider. */
export interface BenchCaseSpec<C> {
  /** The model as the table names it (a variant, say). */
  readonly label: string;
  /** The size in words, starting with "small" or "default". */
  readonly size: string;
  readonly model: C;
  readonly warmup: number;
  readonly iterations: number;
  /** A slider and the canvas it redraws, for the latency measurement. */
  readonly slider?: {
    readonly testId: string;
    readonly output: string;
    readonly values: readonly [string, string];
  };
}

/**
 * A trained generator shipped with the app: a generator-flavour bundle in
 * public/models/trained/, made by a seeded script (see the README's table of trained models).
 */
export interface TrainedModelSpec<C> {
  /** The bundle's file name under public/models/trained/. */
  readonly file: string;
  /** As the notice names it, after "Loaded": "the trained StarGAN". */
  readonly title: string;
  /** How it was trained and how it scores, in a sentence or two (the button's help). */
  readonly description: string;
  /** Whether to offer it for the form's settings (an image GAN's variant, say). */
  readonly fits?: (model: C) => boolean;
  /** Its quality target in words, and the check a unit test runs on its frame's quality row. */
  readonly target: { readonly text: string; readonly met: (quality: readonly number[]) => boolean };
}

export interface FamilySpec<K extends string, T extends FamilyTypes, C = T['config']> {
  readonly kind: K;
  /** As the model menu shows it. */
  readonly title: string;
  /** One line: what the family is and what it teaches. */
  readonly description: string;
  readonly defaults: C;
  readonly fields: FieldTable<C>;
  /** A check across fields the table cannot express; the problem names the field. */
  readonly refine?: (model: C) => string | null;
  /** A note under the form for settings worth a word (a slow schedule, say), or null. */
  readonly hint?: (model: C) => string | null;
  readonly uploaded?: UploadedDataSpec<C>;
  /** The model's name alone, for default run names. */
  readonly shortName: (model: C) => string;
  /** The welcome's first step on this family's page: what to do or watch first. */
  readonly welcome: string;
  /** How data flows through the networks, one line per path, for the model overview. */
  readonly flow: (model: C) => readonly string[];
  /** What the model is, in a few words, for the saved-runs list. */
  readonly describe: (model: C) => string;
  /** Sizes for tests: `tiny` trains many steps per unit test on the CPU, `small` a few in e2e. */
  readonly testSizes: { readonly tiny: readonly C[]; readonly small: C };
  /**
   * Results measured at given settings (steps = the experiment's step counter), so the page can
   * say how long they take at the speed it measures. A milestone applies when the experiment's
   * settings include every value of its `model`.
   */
  readonly milestones?: readonly Milestone<C>[];
  /** The configured run length in steps, when the settings fix one (a schedule's end). */
  readonly runLength?: (model: C) => number;
  /** Settings sized for a slow device (a software GPU, a phone), offered as one click. */
  readonly quick?: { readonly label: string; readonly model: Partial<C> };
  /** What `npm run bench` measures of the family (see BenchCaseSpec). */
  readonly bench: readonly BenchCaseSpec<C>[];
  /**
   * Trained generators to try in one click (the first that fits the form's settings, or else
   * the first); loaded lazily, same origin.
   */
  readonly trained?: readonly TrainedModelSpec<C>[];
  /**
   * The reference whose PyTorch generator checkpoints the family reads and writes (its name
   * map is in the family's folder, its hooks in families/engines): offers "Export for PyTorch".
   */
  readonly torchReference?: string;
  /** Type carrier only: never set at run time. */
  readonly types?: T;
}

/**
 * Declares a family with its types fixed first, so only `kind` is inferred from the object:
 * `defineFamily<StarGanTypes>()({ kind: 'stargan', ... })`.
 */
export function defineFamily<T extends FamilyTypes>() {
  return <const K extends string>(spec: FamilySpec<K, T>) => spec;
}
