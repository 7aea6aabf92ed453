import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import {
  bceWithLogits,
  l1,
  leastSquares,
  meanSquared,
  multiLabelBce,
  softmaxCrossEntropy,
  wassersteinCritic,
  wassersteinGenerator,
} from './losses';

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

  it("junyanz's LSGAN (nn.MSELoss) is mean (x - t)^2, without the 1/2", async () => {
    const x = tf.tensor1d([1, 0.5, -1]);
    expect(await value(meanSquared(x, 1))).toBeCloseTo((0 + 0.25 + 4) / 3, 6);
    expect(await value(meanSquared(x, 0))).toBeCloseTo((1 + 0.25 + 1) / 3, 6);
    x.dispose();
  });
});

describe('classification, Wasserstein and L1 losses', () => {
  it('multi-label BCE sums over attributes and averages over the batch', async () => {
    const logits = tf.tensor2d([
      [2, -1],
      [0, 3],
    ]);
    const labels = tf.tensor2d([
      [1, 0],
      [0, 1],
    ]);
    const bce = (x: number, t: number) =>
      -(t * Math.log(sigmoid(x)) + (1 - t) * Math.log(1 - sigmoid(x)));
    const expected = (bce(2, 1) + bce(-1, 0) + bce(0, 0) + bce(3, 1)) / 2;
    expect(await value(multiLabelBce(logits, labels))).toBeCloseTo(expected, 5);
    tf.dispose([logits, labels]);
  });

  it('softmax cross-entropy is -mean log softmax at the true class', async () => {
    const logits = tf.tensor2d([
      [1, 2, 3],
      [0, 0, 0],
    ]);
    const oneHot = tf.tensor2d([
      [0, 0, 1],
      [1, 0, 0],
    ]);
    const lse = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3));
    const expected = (lse - 3 + Math.log(3)) / 2;
    expect(await value(softmaxCrossEntropy(logits, oneHot))).toBeCloseTo(expected, 5);
    tf.dispose([logits, oneHot]);
  });

  it('Wasserstein losses: critic -E[D(x)] + E[D(G(z))], generator -E[D(G(z))]', async () => {
    const real = tf.tensor1d([1, 3]);
    const fake = tf.tensor1d([-1, 0]);
    expect(await value(wassersteinCritic(real, fake))).toBeCloseTo(-0.5 - 2, 6);
    expect(await value(wassersteinGenerator(fake))).toBeCloseTo(0.5, 6);
    tf.dispose([real, fake]);
  });

  it('L1 is the mean absolute difference', async () => {
    const a = tf.tensor1d([1, -1, 0.5]);
    const b = tf.tensor1d([0, 1, 0.5]);
    expect(await value(l1(a, b))).toBeCloseTo(1, 6);
    tf.dispose([a, b]);
  });
});
