import * as tf from '@tensorflow/tfjs-core';

/**
 * WGAN-GP's gradient penalty (Gulrajani et al. 2017): E[(||grad_xhat D(xhat)||_2 - 1)^2], with
 * xhat = a x + (1 - a) fake, a ~ U(0, 1) per sample (alpha broadcasts over the rest of x). Differentiating it w.r.t. D's weights needs
 * second-order gradients, so D must avoid ops without them (see layers.leakyRelu).
 */
export function gradientPenalty<T extends tf.Tensor>(
  critic: (x: T) => tf.Tensor,
  real: T,
  fake: T,
  alpha: tf.Tensor,
): tf.Scalar {
  const xHat = tf.add(tf.mul(alpha, real), tf.mul(tf.sub(1, alpha), fake)) as T;
  // Summing D's outputs is PyTorch's grad_outputs = ones.
  const grad = tf.grad((x: tf.Tensor) => tf.sum(critic(x as T)))(xHat);
  const n = real.shape[0];
  // The tiny constant keeps sqrt's gradient finite where a gradient is exactly zero.
  const norms = tf.sqrt(tf.add(tf.sum(tf.square(tf.reshape(grad, [n, -1])), 1), 1e-12));
  return tf.mean(tf.square(tf.sub(norms, 1)));
}

/**
 * R1 (Mescheder et al. 2018), the zero-centred penalty on reals as clovaai/stargan-v2's r1_reg:
 * 0.5 * mean over the batch of sum (dD(x)/dx)^2. Differentiating it w.r.t. D's weights needs
 * second-order gradients, so D must avoid ops without them (layers.leakyRelu, conv.avgPool2).
 */
export function r1Penalty<T extends tf.Tensor>(critic: (x: T) => tf.Tensor, real: T): tf.Scalar {
  // Summing D's outputs is PyTorch's autograd.grad(outputs=d_out.sum(), ...).
  const grad = tf.grad((x: tf.Tensor) => tf.sum(critic(x as T)))(real);
  const n = real.shape[0];
  return tf.mul(0.5, tf.mean(tf.sum(tf.square(tf.reshape(grad, [n, -1])), 1)));
}
