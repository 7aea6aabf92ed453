import type * as tf from '@tensorflow/tfjs-core';
import type { StoredImages } from '../data/userImages';
import type { ExperimentConfig, ExperimentInfo, Frame, RenderRequest } from '../families';
import type { DatasetSummary, ResumeState } from '../io/records';
import type { TorchTensor } from '../io/torch';
import type { FaceClassifier } from '../metrics/faceClassifier';
import type { ModelNetworks } from '../models/shared/networks';
import type { StepPhase } from '../protocol/messages';
import type { TorchImport } from './torchImport';

export type { ResumeState };

/** An uploaded data set, loaded from the browser's storage. */
export interface UploadedData {
  readonly summary: DatasetSummary;
  readonly images: StoredImages;
  /** Each image's path in the upload ("photos/a.png"): pairs are matched by file name. */
  readonly names: readonly string[];
}

/** What experiments may use beyond their config: networks loaded once, uploaded data. */
export interface ExperimentResources {
  readonly classifier: FaceClassifier | null;
  /** The classifier's held-out accuracy, by "attributes@32px"-style keys. */
  readonly classifierAccuracy: Readonly<Record<string, number>> | null;
  /** The data set a config's datasetId names, when it trains on uploaded data. */
  readonly uploaded: UploadedData | null;
}

export const NO_RESOURCES: ExperimentResources = {
  classifier: null,
  classifierAccuracy: null,
  uploaded: null,
};

/** What a part of a quality measurement gives: more to come, the row, or no figures here. */
export type QualityPart = 'pending' | readonly number[] | null;

/** Inputs registered once by key for render requests to name (faces the user uploaded). */
export type RenderInputs = ReadonlyMap<string, Float32Array>;

export interface StepResult {
  readonly losses: tf.Tensor1D;
  /** Which entries of `losses` this phase computed (the others are NaN placeholders). */
  readonly computed: readonly boolean[];
}

/**
 * A model bound to its data, noise and live views: what the trainer loop drives. Everything
 * is synchronous and returns tensors the caller owns, so the loop decides when to read back.
 */
export interface Experiment {
  readonly info: ExperimentInfo;
  /** The live view is rendered at most this often while training runs. */
  readonly frameIntervalMs: number;
  /** One training step: the row of losses in info.lossNames order, NaN for terms not computed. */
  step(phase: StepPhase): StepResult;
  /**
   * Steps that make one iteration of the reference's loop (n_critic D updates and one G
   * update), where a step is less than that (StarGAN trains G on one step in n_critic); the
   * benchmark times whole iterations. Absent: 1.
   */
  readonly stepsPerIteration?: number;
  /** The live view's tensors, flattened into one, to read back together with a loss row. */
  frameTensor(): tf.Tensor1D;
  /** Turns the read-back values of frameTensor() into the message the UI draws. */
  decodeFrame(values: Float32Array, step: number): Frame;
  /**
   * The next part of the quality measurement, when the figures cost far more than the live
   * view (a classifier over held-out images): the trainer runs one part per slot, so no
   * command waits for a whole measurement, on a slower cadence than frames (see trainer.ts),
   * and this family's frames carry null. Families whose figures are cheap put them in frames.
   */
  qualityTensor?(): tf.Tensor1D;
  /** Takes a part's values: 'pending' until the last part, then the row (null: none here). */
  decodeQuality?(values: Float32Array): QualityPart;
  /** A generator pass the UI asked for (a slider moved); images in [-1, 1]. */
  render?(request: RenderRequest, inputs: RenderInputs): tf.Tensor4D;
  /** The data set and label names trained on, for people reading a bundle's manifest. */
  describeData(): { readonly name: string; readonly attributes: readonly string[] };
  /** The networks and optimisers a checkpoint holds. */
  networks(): ModelNetworks;
  resumeState(): ResumeState;
  /** Continues from a saved state; throws, changing nothing, if it does not fit. */
  restoreResumeState(state: ResumeState): void;
  dispose(): void;
}

/** A model's networks without its data, noise or views: what a weights file must fit. */
export interface BareModel {
  networks(): ModelNetworks;
  dispose(): void;
}

/**
 * Builds a family's experiment. `shapes`, when given, builds its networks for their shapes
 * alone (see families/engines modelShapes), so a file is checked before anything is built.
 */
export type ExperimentFactory = ((config: ExperimentConfig) => Promise<Experiment>) & {
  readonly shapes?: (config: ExperimentConfig) => BareModel | null;
  /** A PyTorch checkpoint's tensors as the experiment they describe (see torchImport.ts). */
  readonly fromTorch?: (
    tensors: Readonly<Record<string, TorchTensor>>,
    metadata: Readonly<Record<string, string>> | undefined,
    /** The run the page has now: a checkpoint without settings takes what it can from it. */
    current: ExperimentConfig | null,
    /** The file's name, when it has one. */
    fileName?: string,
  ) => TorchImport;
};

/** Checks a saved state has exactly the streams and counters expected, before any is used. */
export function checkResumeState(
  state: ResumeState,
  rngs: readonly string[],
  counters: readonly string[],
): void {
  const same = (a: readonly string[], b: readonly string[]) =>
    a.length === b.length && a.every((name) => b.includes(name));
  if (!same(Object.keys(state.rngs), rngs) || !same(Object.keys(state.counters), counters)) {
    throw new Error(
      `The training state holds random streams [${Object.keys(state.rngs)}] and counters ` +
        `[${Object.keys(state.counters)}]; this model expects [${rngs}] and [${counters}]`,
    );
  }
}
