import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { countTraffic, growth } from './instrument';

describe('traffic counters', () => {
  it('count a read, a synchronous read and an upload, and stop when restored', async () => {
    const { counters, restore } = countTraffic(tf.backend());
    const x = tf.tensor1d([1, 2, 3]);
    expect(counters.uploads).toBe(1);
    const y = tf.square(x);
    expect(counters.reads).toBe(0);
    await y.data();
    // The CPU backend's read() calls readSync() inside: still one read.
    expect(counters.reads).toBe(1);
    y.dataSync();
    expect(counters.reads).toBe(2);
    restore();
    const seen = { ...counters };
    await y.data();
    tf.tensor1d([4]).dispose();
    expect(counters).toEqual(seen);
    tf.dispose([x, y]);
  });

  it("do not count a kernel reading its own inputs (the CPU backend's Tile)", () => {
    const x = tf.tensor2d([1, 2, 3, 4], [2, 2]);
    const { counters, restore } = countTraffic(tf.backend());
    const tiled = tf.tile(x, [2, 3]);
    expect(counters.reads).toBe(0);
    tiled.dataSync();
    expect(counters.reads).toBe(1);
    restore();
    tf.dispose([x, tiled]);
  });

  it('see a leaked tensor as growth', () => {
    const before = { tensors: tf.memory().numTensors, bytes: tf.memory().numBytes };
    const leaked = tf.zeros([4]);
    const after = { tensors: tf.memory().numTensors, bytes: tf.memory().numBytes };
    expect(growth(before, after)).toEqual({ tensors: 1, bytes: 16 });
    leaked.dispose();
  });
});
