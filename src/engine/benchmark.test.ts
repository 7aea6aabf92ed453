import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { kernelFlops } from './benchmark';

describe('kernelFlops', () => {
  it('counts every convolution kernel that ran: two forward passes and both gradients', async () => {
    // 2 x 8 x 8 x 4 input, 4 x 4 x 4 x 6 filter, stride 2: a 2 x 4 x 4 x 6 output, each value
    // 4 * 4 * 4 multiply-adds.
    const forward = 2 * (2 * 4 * 4 * 6) * (4 * 4 * 4);
    const x = tf.randomNormal([2, 8, 8, 4]) as tf.Tensor4D;
    const w = tf.variable(tf.randomNormal([4, 4, 4, 6]) as tf.Tensor4D);
    const profile = await tf.profile(() => {
      const { grads, value } = tf.variableGrads(
        () => tf.sum(tf.conv2d(x, w, 2, 'same')) as tf.Scalar,
      );
      const dx = tf.grad((input: tf.Tensor) =>
        tf.sum(tf.conv2d(input as tf.Tensor4D, w, 2, 'same')),
      )(x);
      return [value, dx, ...Object.values(grads)];
    });
    const counted = profile.kernels.map((k) => kernelFlops(k.name, k.inputShapes, k.outputShapes));
    // Forward twice (one per gradient call), the filter gradient once, the input gradient once.
    expect(counted.reduce((a, b) => a + b, 0)).toBe(4 * forward);
    tf.dispose([x, w, profile.result as tf.Tensor[]]);
  });

  it('counts a matrix product as 2 M N K, however its inputs are transposed', () => {
    expect(
      kernelFlops(
        'BatchMatMul',
        [
          [1, 3, 5],
          [1, 5, 7],
        ],
        [[1, 3, 7]],
      ),
    ).toBe(2 * 3 * 5 * 7);
    expect(
      kernelFlops(
        'BatchMatMul',
        [
          [4, 5, 3],
          [4, 7, 5],
        ],
        [[4, 3, 7]],
      ),
    ).toBe(4 * 2 * 3 * 5 * 7);
    expect(kernelFlops('Add', [[3], [3]], [[3]])).toBe(0);
  });
});
