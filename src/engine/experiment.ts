import type * as tf from '@tensorflow/tfjs-core';
import type { ModelNetworks } from '../models/shared/networks';
import type { ExperimentInfo, Frame, RenderRequest, StepPhase } from '../protocol/messages';
import type { RngState } from './random';

/** What the next steps depend on beyond the weights: random streams and step counters. */
export interface ResumeState {
  readonly rngs: Readonly<Record<string, RngState>>;
  readonly counters: Readonly<Record<string, number>>;
}

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
  /** The live view's tensors, flattened into one, to read back together with a loss row. */
  frameTensor(): tf.Tensor1D;
  /** Turns the read-back values of frameTensor() into the message the UI draws. */
  decodeFrame(values: Float32Array, step: number): Frame;
  /** A generator pass the UI asked for (a slider moved); images in [-1, 1]. */
  render?(request: RenderRequest): tf.Tensor4D;
  /** The networks and optimisers a checkpoint holds. */
  networks(): ModelNetworks;
  resumeState(): ResumeState;
  /** Continues from a saved state; throws, changing nothing, if it does not fit. */
  restoreResumeState(state: ResumeState): void;
  dispose(): void;
}

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
