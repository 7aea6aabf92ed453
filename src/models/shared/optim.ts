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

export type OptimizerName = 'adam' | 'sgd';

export function makeOptimizer(name: OptimizerName, lr: number, beta1: number, beta2: number) {
  return name === 'adam' ? tf.train.adam(lr, beta1, beta2) : tf.train.sgd(lr);
}
