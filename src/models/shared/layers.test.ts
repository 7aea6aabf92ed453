import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { describe, expect, it } from 'vitest';
import { leakyRelu } from './layers';

describe('leakyRelu', () => {
  it('matches max(x, a x)', async () => {
    const x = tf.tensor1d([-2, -0.5, 0, 0.5, 3]);
    const y = leakyRelu(x, 0.2);
    expect(Array.from(await y.data())).toEqual([-0.4, -0.1, 0, 0.5, 3].map((v) => Math.fround(v)));
    tf.dispose([x, y]);
  });

  it('has a second-order gradient (which TF.js leakyRelu lacks)', async () => {
    // d/dx of (d/dx sum(leakyRelu(x)^2)) = 2 * slope^2 for each x.
    const x = tf.tensor1d([-1, 2]);
    const second = tf.grad((v: tf.Tensor) =>
      tf.sum(tf.grad((w: tf.Tensor) => tf.sum(tf.square(leakyRelu(w, 0.2))))(v)),
    )(x);
    const values = Array.from(await second.data());
    expect(values[0]).toBeCloseTo(2 * 0.04, 5);
    expect(values[1]).toBeCloseTo(2, 5);
    tf.dispose([x, second]);
  });
});
