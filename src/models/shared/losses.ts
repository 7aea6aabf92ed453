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

/**
 * BCE with logits against 0/1 attribute labels, summed over attributes and averaged over the
 * batch (StarGAN's multi-label classification loss): max(x, 0) - x t + log(1 + e^-|x|).
 */
export function multiLabelBce(logits: tf.Tensor2D, labels: tf.Tensor2D): tf.Scalar {
  const perEntry = tf.add(
    tf.sub(tf.relu(logits), tf.mul(logits, labels)),
    tf.softplus(tf.neg(tf.abs(logits))),
  );
  return tf.div(tf.sum(perEntry), logits.shape[0]);
}

/** Softmax cross-entropy against one-hot labels, averaged over the batch: -sum t log softmax(x). */
export function softmaxCrossEntropy(logits: tf.Tensor2D, oneHot: tf.Tensor2D): tf.Scalar {
  return tf.div(tf.neg(tf.sum(tf.mul(oneHot, tf.logSoftmax(logits)))), logits.shape[0]);
}

/** Wasserstein critic loss (WGAN): -E[D(x)] + E[D(G(z))]. */
export function wassersteinCritic(realOutput: tf.Tensor, fakeOutput: tf.Tensor): tf.Scalar {
  return tf.sub(tf.mean(fakeOutput), tf.mean(realOutput));
}

/**
 * WGAN-GP's critic objective from its reported terms: L_D = (-E[D(x)]) + E[D(G(z))] + lambda
 * L_gp, where `real` is -E[D(x)] and `fake` is E[D(G(z))].
 */
export function penalisedCriticLoss(
  terms: { readonly real: tf.Scalar; readonly fake: tf.Scalar; readonly gp: tf.Scalar },
  lambdaGp: number,
): tf.Scalar {
  return tf.addN([terms.real, terms.fake, tf.mul(lambdaGp, terms.gp)]) as tf.Scalar;
}

/** Wasserstein generator loss: -E[D(G(z))]. */
export function wassersteinGenerator(fakeOutput: tf.Tensor): tf.Scalar {
  return tf.neg(tf.mean(fakeOutput)) as tf.Scalar;
}

/** Mean absolute error, E[|a - b|] (reconstruction and cycle losses). */
export function l1(a: tf.Tensor, b: tf.Tensor): tf.Scalar {
  return tf.mean(tf.abs(tf.sub(a, b)));
}

/** nn.MSELoss against a constant target, as junyanz's LSGAN: mean((x - t)^2), no 1/2. */
export function meanSquared(output: tf.Tensor, target: 0 | 1): tf.Scalar {
  return tf.mean(tf.square(tf.sub(output, target)));
}
