import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';

// src/test/setup.ts registers the kernel under test; the reference is the definition, in float64.

function reference(
  x: Float32Array,
  [n, h, w, cin]: number[],
  f: Float32Array,
  [fh, fw, , cout]: number[],
  stride: number,
  [top, left]: [number, number],
  [oh, ow]: [number, number],
): Float64Array {
  const out = new Float64Array(n! * oh * ow * cout!);
  for (let b = 0; b < n!; b++)
    for (let r = 0; r < oh; r++)
      for (let c = 0; c < ow; c++)
        for (let o = 0; o < cout!; o++) {
          let sum = 0;
          for (let i = 0; i < fh!; i++)
            for (let j = 0; j < fw!; j++) {
              const xr = r * stride + i - top;
              const xc = c * stride + j - left;
              if (xr < 0 || xr >= h! || xc < 0 || xc >= w!) continue;
              for (let k = 0; k < cin!; k++) {
                sum +=
                  x[((b * h! + xr) * w! + xc) * cin! + k]! *
                  f[((i * fw! + j) * cin! + k) * cout! + o]!;
              }
            }
          out[((b * oh + r) * ow + c) * cout! + o] = sum;
        }
  return out;
}

const values = (n: number, seed: number, relu = false) =>
  Float32Array.from({ length: n }, (_, i) => {
    const v = Math.sin(i * 12.9898 + seed) * 2;
    return relu ? Math.max(0, v) : v;
  });

describe('CPU Conv2D kernel', () => {
  const cases: [number[], number[], number, 'same' | 'valid' | number][] = [
    [[2, 8, 8, 3], [3, 3, 3, 5], 1, 'same'],
    [[2, 9, 7, 4], [4, 4, 4, 6], 2, 1],
    [[1, 16, 16, 8], [7, 7, 8, 3], 1, 3],
    [[3, 5, 5, 2], [1, 1, 2, 7], 1, 'valid'],
    [[2, 8, 8, 6], [4, 4, 6, 2], 2, 'same'],
    [[1, 6, 6, 1], [3, 3, 1, 1], 1, 'valid'],
  ];
  it.each(cases)(
    '%j * %j, stride %d, padding %j: the definition to 1e-5',
    (xs, fs, stride, pad) => {
      const xv = values(
        xs.reduce((a, b) => a * b),
        1,
        true,
      );
      const fv = values(
        fs.reduce((a, b) => a * b),
        2,
      );
      const y = tf.conv2d(tf.tensor4d(xv, xs as never), tf.tensor4d(fv, fs as never), stride, pad);
      const [, oh, ow] = y.shape;
      const info = tf.backend_util.computeConv2DInfo(xs as never, fs as never, stride, 1, pad);
      const want = reference(
        xv,
        xs,
        fv,
        fs,
        stride,
        [info.padInfo.top, info.padInfo.left],
        [oh, ow],
      );
      const got = y.dataSync();
      expect(got.length).toBe(want.length);
      const error = Math.max(
        ...Array.from(got, (v, i) => Math.abs(v - want[i]!) / (1 + Math.abs(want[i]!))),
      );
      expect(error).toBeLessThan(1e-5);
      y.dispose();
    },
  );
});
