import * as tf from '@tensorflow/tfjs-core';

/**
 * Adversarial losses on raw discriminator outputs (logits). Each is a mean over the batch, in
 * the form the reference implementations minimise.
 */

/** BCE with logits against a constant target: -[t log s(x) + (1 - t) log(1 - s(x))]. */
export function bceWithLogits(logits: tf.Tensor, target: 0 | 1): tf.Scalar {
  // -log s(x) = softplus(-x) and -log(1 - s(x)) = softplus(x): stable for large |x|.
  return tf.mean(tf.softplus(target === 1 ? tf.neg(logits) : logits));
}

/** Least squares (LSGAN, Mao et al. 2017) with the paper's 1/2: 0.5 mean((x - t)^2). */
export function leastSquares(output: tf.Tensor, target: 0 | 1): tf.Scalar {
  return tf.mul(0.5, tf.mean(tf.square(tf.sub(output, target))));
}
