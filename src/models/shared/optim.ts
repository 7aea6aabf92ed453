import * as tf from '@tensorflow/tfjs-core';
// tfjs-core registers no gradients by itself; training needs all of them.
import '@tensorflow/tfjs-core/dist/register_all_gradients';

export interface LossTerms {
  /** What the optimiser minimises (the weighted sum of the terms). */
  readonly total: tf.Scalar;
  /** The unweighted terms, in a fixed order, as the charts show them. */
  readonly terms: readonly tf.Scalar[];
}

/**
 * One optimiser step on `variables` that also returns each loss term, stacked, for the charts.
 * The terms are kept through variableGrads' internal tidy and disposed here, so the caller
 * owns only the returned tensor.
 */
export function minimizeTerms(
  optimizer: tf.Optimizer,
  variables: tf.Variable[],
  loss: () => LossTerms,
): tf.Tensor1D {
  let kept: tf.Scalar[] = [];
  const { value, grads } = tf.variableGrads(() => {
    const { total, terms } = loss();
    kept = terms.map((term) => tf.keep(term));
    return total;
  }, variables);
  optimizer.applyGradients(grads);
  const stacked = tf.stack(kept) as tf.Tensor1D;
  tf.dispose([value, ...Object.values(grads), ...kept]);
  return stacked;
}

export type OptimizerName = 'adam' | 'sgd' | 'rmsprop';

export function makeOptimizer(name: OptimizerName, lr: number, beta1: number, beta2: number) {
  switch (name) {
    case 'adam':
      return tf.train.adam(lr, beta1, beta2);
    case 'sgd':
      return tf.train.sgd(lr);
    case 'rmsprop':
      // PyTorch's RMSprop defaults, as the WGAN reference uses them: smoothing 0.99, eps 1e-8.
      return tf.train.rmsprop(lr, 0.99, 0, 1e-8);
  }
}

/** Clamps every variable to [-c, c] in place: WGAN's weight clipping. */
export function clipWeights(variables: readonly tf.Variable[], c: number): void {
  // assign() keeps the clipped tensor's data; the tidy frees the tensor object itself.
  tf.tidy(() => {
    for (const v of variables) v.assign(tf.clipByValue(v, -c, c));
  });
}

/**
 * Changes an optimiser's learning rate in place, for schedules (linear decay). SGD has a
 * setter; Adam and RMSprop read their `learningRate` field on every step but expose no setter,
 * and Adam ignores any rescaling of the gradients, so for them the field is the only handle.
 */
export function setLearningRate(optimizer: tf.Optimizer, lr: number): void {
  if (optimizer.getClassName() === 'SGD') (optimizer as tf.SGDOptimizer).setLearningRate(lr);
  else (optimizer as unknown as { learningRate: number }).learningRate = lr;
}

/** Linear decay to 0 over the second half of a run, as StarGAN and CycleGAN schedule lr. */
export function linearDecay(base: number, iteration: number, numIters: number): number {
  const decayStart = numIters / 2;
  if (iteration <= decayStart) return base;
  return base * Math.max(0, (numIters - iteration) / (numIters - decayStart));
}
