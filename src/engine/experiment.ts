import type * as tf from '@tensorflow/tfjs-core';
import type { ExperimentInfo, Frame, RenderRequest, StepPhase } from '../protocol/messages';

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
  dispose(): void;
}
