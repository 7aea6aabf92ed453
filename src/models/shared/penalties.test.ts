import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/random';
import { leakyRelu } from './layers';
import { gradientPenalty } from './penalties';

/** A small critic with the parts StarGAN's D uses: strided conv, leaky ReLU, a patch output. */
function critic(rng: Rng) {
  const w1 = tf.variable(tf.tensor4d(rng.normalArray(4 * 4 * 3 * 4, 0.3), [4, 4, 3, 4]));
  const w2 = tf.variable(tf.tensor4d(rng.normalArray(3 * 3 * 4 * 1, 0.3), [3, 3, 4, 1]));
  const apply = (x: tf.Tensor4D) =>
    tf.conv2d(leakyRelu(tf.conv2d(x, w1, 2, 'same'), 0.01) as tf.Tensor4D, w2, 1, 'same');
  return { apply, w1, w2 };
}

describe('gradient penalty', () => {
  const rng = new Rng(7);
  const { apply, w1, w2 } = critic(rng);
  const real = tf.tensor4d(rng.normalArray(2 * 8 * 8 * 3), [2, 8, 8, 3]);
  const fake = tf.tensor4d(rng.normalArray(2 * 8 * 8 * 3), [2, 8, 8, 3]);
  const alpha = tf.tensor4d([0.3, 0.8], [2, 1, 1, 1]);

  it('equals (||grad||_2 - 1)^2 with the gradient taken by central differences', () => {
    const xHat = tf.add(tf.mul(alpha, real), tf.mul(tf.sub(1, alpha), fake));
    const base = Float32Array.from(xHat.dataSync());
    const eps = 1e-2;
    const norms2 = [0, 0];
    const perSample = base.length / 2;
    for (let i = 0; i < base.length; i++) {
      const plus = base.slice();
      const minus = base.slice();
      plus[i]! += eps;
      minus[i]! -= eps;
      const f = (v: Float32Array) =>
        tf.tidy(() => tf.sum(apply(tf.tensor4d(v, [2, 8, 8, 3]))).dataSync()[0]!);
      const g = (f(plus) - f(minus)) / (2 * eps);
      norms2[Math.floor(i / perSample)]! += g * g;
    }
    const expected = norms2.reduce((s, n2) => s + (Math.sqrt(n2) - 1) ** 2, 0) / 2;
    const penalty = gradientPenalty(apply, real, fake, alpha);
    expect(penalty.dataSync()[0]).toBeCloseTo(expected, 2);
    tf.dispose([xHat, penalty]);
  });

  it('has a gradient w.r.t. the critic weights that matches finite differences', () => {
    const { grads } = tf.variableGrads(() => gradientPenalty(apply, real, fake, alpha), [w2]);
    const analytic = grads[w2.name]!.dataSync();
    const original = tf.clone(w2);
    const eps = 1e-2;
    const index = 5;
    const at = (delta: number) => {
      const values = original.dataSync().slice();
      values[index]! += delta;
      w2.assign(tf.tensor4d(values, w2.shape as [number, number, number, number]));
      return tf.tidy(() => gradientPenalty(apply, real, fake, alpha).dataSync()[0]!);
    };
    const numeric = (at(eps) - at(-eps)) / (2 * eps);
    w2.assign(original);
    expect(analytic[index]).toBeCloseTo(numeric, 1);
    expect(Math.abs(analytic[index]! - numeric) / Math.max(1e-3, Math.abs(numeric))).toBeLessThan(
      0.05,
    );
    tf.dispose([original, ...Object.values(grads)]);
    w1.dispose();
  });
});
