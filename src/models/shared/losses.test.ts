import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { bceWithLogits, leastSquares } from './losses';

const logits = [2, -1, 0];
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

async function value(t: tf.Scalar): Promise<number> {
  const [v] = await t.data();
  t.dispose();
  return v!;
}

describe('adversarial losses', () => {
  it('BCE with target 1 is -mean log sigmoid(x)', async () => {
    const expected = -logits.reduce((s, x) => s + Math.log(sigmoid(x)), 0) / logits.length;
    const x = tf.tensor1d(logits);
    expect(await value(bceWithLogits(x, 1))).toBeCloseTo(expected, 6);
    x.dispose();
  });

  it('BCE with target 0 is -mean log(1 - sigmoid(x))', async () => {
    const expected = -logits.reduce((s, x) => s + Math.log(1 - sigmoid(x)), 0) / logits.length;
    const x = tf.tensor1d(logits);
    expect(await value(bceWithLogits(x, 0))).toBeCloseTo(expected, 6);
    x.dispose();
  });

  it('BCE stays finite for very confident logits', async () => {
    const x = tf.tensor1d([200, -200]);
    expect(await value(bceWithLogits(x, 1))).toBeCloseTo(100, 4);
    x.dispose();
  });

  it('least squares is 0.5 mean (x - t)^2', async () => {
    const x = tf.tensor1d([1, 0.5, -1]);
    expect(await value(leastSquares(x, 1))).toBeCloseTo((0.5 * (0 + 0.25 + 4)) / 3, 6);
    expect(await value(leastSquares(x, 0))).toBeCloseTo((0.5 * (1 + 0.25 + 1)) / 3, 6);
    x.dispose();
  });
});
