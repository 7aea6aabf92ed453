/**
 * The reduction gradients without ones (gradients.ts, registered for every unit test by the
 * setup): first and second derivatives against their definitions.
 */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';

const x = () => tf.tensor3d([1, -2, 3, 0.5, 4, -1, 2, 2, -3, 1, 0, 5], [2, 3, 2]);
const worstDiff = (a: tf.Tensor, b: tf.Tensor) => tf.max(tf.abs(tf.sub(a, b)));

const CASES: readonly (readonly ['sum' | 'mean', number[] | undefined, number])[] = [
  ['sum', [1], 1],
  ['mean', [1], 3],
  ['mean', [0, 2], 4],
  ['mean', undefined, 12],
];

describe('Sum and Mean gradients', () => {
  it.each(CASES)('%s over %j: each element gets its output weight / %i', (op, axis, count) => {
    const worst = tf.tidy(() => {
      const reduce = (t: tf.Tensor) => (op === 'sum' ? tf.sum(t, axis) : tf.mean(t, axis));
      const out = reduce(x());
      const weights = tf.reshape(tf.range(1, out.size + 1), out.shape);
      const f = (t: tf.Tensor) => tf.sum(tf.mul(reduce(t), weights));
      // Each element of x feeds one output, with weight 1 (sum) or 1 / count (mean).
      const kept = x().shape.map((size, i) => (axis === undefined || axis.includes(i) ? 1 : size));
      const expected = tf.broadcastTo(tf.reshape(tf.div(weights, count), kept), x().shape);
      return worstDiff(tf.grad(f)(x()), expected);
    });
    expect(worst.dataSync()[0]).toBeLessThan(1e-6);
    worst.dispose();
  });

  it('differentiates twice: d/dx of |d/dx mean(x²) per row|² is 8x / 9 over rows of 3', () => {
    const worst = tf.tidy(() => {
      const inner = tf.grad((t: tf.Tensor) => tf.sum(tf.mean(tf.square(t), 1)));
      const outer = tf.grad((t: tf.Tensor) => tf.sum(tf.square(inner(t))));
      // inner = 2x / 3, so outer = d/dx sum (2x / 3)² = 8x / 9.
      return worstDiff(outer(x()), tf.mul(x(), 8 / 9));
    });
    expect(worst.dataSync()[0]).toBeLessThan(1e-5);
    worst.dispose();
  });
});
