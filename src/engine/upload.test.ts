import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { uploadTogether } from './upload';

it('hands back each array in its shape, and leaves nothing else behind', () => {
  const before = tf.memory().numTensors;
  const a = Float32Array.from([1, 2, 3, 4, 5, 6]);
  const b = Float32Array.from([7, 8]);
  const [x, y] = uploadTogether([
    { values: a, shape: [1, 2, 3] },
    { values: b, shape: [2, 1] },
  ]);
  expect(x!.shape).toEqual([1, 2, 3]);
  expect(Array.from(x!.dataSync())).toEqual([1, 2, 3, 4, 5, 6]);
  expect(y!.shape).toEqual([2, 1]);
  expect(Array.from(y!.dataSync())).toEqual([7, 8]);
  tf.dispose([x!, y!]);
  expect(tf.memory().numTensors).toBe(before);
});
