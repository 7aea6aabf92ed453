import type * as tf from '@tensorflow/tfjs-core';
import type { NormMode } from './conv';
import type { Params } from './params';

/**
 * What every unconditional image GAN offers the trainer: its generator, one D and one G update
 * with their loss terms, and how many D updates come before each G update.
 */
export interface ImageGan {
  /** Names of the terms trainD returns, then those trainG returns. */
  readonly lossNames: readonly string[];
  readonly paramsG: Params;
  readonly paramsD: Params;
  /** Batch norm's mode for G; set training = false to sample with running averages. */
  readonly normG: NormMode;
  /** z: [N, zDim] -> images [N, S, S, 3] in [-1, 1]. */
  G(z: tf.Tensor2D): tf.Tensor4D;
  /** One D update; `alpha` ([N, 1, 1, 1], U(0, 1)) is used by penalties that interpolate. */
  trainD(real: tf.Tensor4D, z: tf.Tensor2D, alpha: tf.Tensor4D): tf.Tensor1D;
  trainG(z: tf.Tensor2D): tf.Tensor1D;
  /** D updates before G update number `generatorIterations` (0-based). */
  criticIterations(generatorIterations: number): number;
  dispose(): void;
}
