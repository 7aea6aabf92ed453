import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/random';

/** The filter gradient by its definition, summed term by term in plain loops. */
function reference(
  x: Float32Array,
  dy: Float32Array,
  [n, h, w, cin]: readonly [number, number, number, number],
  [oh, ow, cout]: readonly [number, number, number],
  k: number,
  stride: number,
  pad: number,
): Float32Array {
  const dW = new Float32Array(k * k * cin * cout);
  for (let i = 0; i < k; i++)
    for (let j = 0; j < k; j++)
      for (let c = 0; c < cin; c++)
        for (let o = 0; o < cout; o++) {
          let sum = 0;
          for (let b = 0; b < n; b++)
            for (let r = 0; r < oh; r++)
              for (let q = 0; q < ow; q++) {
                const xr = r * stride + i - pad;
                const xc = q * stride + j - pad;
                if (xr < 0 || xr >= h || xc < 0 || xc >= w) continue;
                sum +=
                  x[((b * h + xr) * w + xc) * cin + c]! * dy[((b * oh + r) * ow + q) * cout + o]!;
              }
          dW[((i * k + j) * cin + c) * cout + o] = sum;
        }
  return dW;
}

describe('fast CPU Conv2DBackpropFilter', () => {
  it.each([
    { k: 4, stride: 2, pad: 1, padding: 'same' as const },
    { k: 3, stride: 1, pad: 1, padding: 'same' as const },
    { k: 3, stride: 1, pad: 0, padding: 'valid' as const },
  ])('matches the definition for k$k s$stride $padding', async ({ k, stride, pad, padding }) => {
    const rng = new Rng(1);
    const [n, h, w, cin, cout] = [2, 6, 6, 3, 4];
    const xValues = rng.normalArray(n * h * w * cin);
    const x = tf.tensor4d(xValues, [n, h, w, cin]);
    const oh = padding === 'same' ? h / stride : (h - k) / stride + 1;
    const dyValues = rng.normalArray(n * oh * oh * cout);
    const dy = tf.tensor4d(dyValues, [n, oh, oh, cout]);
    const dW = tf.grads((f: tf.Tensor) => tf.conv2d(x, f as tf.Tensor4D, stride, padding))(
      [tf.zeros([k, k, cin, cout])],
      dy,
    )[0]!;
    const expected = reference(xValues, dyValues, [n, h, w, cin], [oh, oh, cout], k, stride, pad);
    const actual = await dW.data();
    actual.forEach((v, i) => {
      expect(v).toBeCloseTo(expected[i]!, 4);
    });
    tf.dispose([x, dy, dW]);
  });
});
