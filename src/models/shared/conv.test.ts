import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { repeatEach } from './conv';

describe('repeatEach', () => {
  it('puts each image `times` times in a row, in order', async () => {
    // Two 1 x 2 images of 1 channel: [a0 a1] and [b0 b1].
    const x = tf.tensor4d([1, 2, 3, 4], [2, 1, 2, 1]);
    const y = repeatEach(x, 3);
    expect(y.shape).toEqual([6, 1, 2, 1]);
    expect(Array.from(await y.data())).toEqual([1, 2, 1, 2, 1, 2, 3, 4, 3, 4, 3, 4]);
    tf.dispose([x, y]);
  });
});
