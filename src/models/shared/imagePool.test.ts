import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/random';
import { ImagePool } from './imagePool';

/** A batch of n 1 x 1 images whose single value names them. */
const batch = (values: number[]) => tf.tensor4d(values, [values.length, 1, 1, 1]);

describe('ImagePool', () => {
  it('returns the new images while it fills, then swaps with p = 0.5 (seeded)', () => {
    const pool = new ImagePool(3, new Rng(7));
    const first = pool.query(batch([1, 2]));
    expect(Array.from(first.dataSync())).toEqual([1, 2]);
    expect(pool.stats()).toEqual({ fill: 2, reuseRate: 0 });
    // The third image fills the pool and comes back; the fourth meets a full pool.
    const second = pool.query(batch([3, 4]));
    const [three, four] = Array.from(second.dataSync());
    expect(three).toBe(3);
    expect(pool.stats().fill).toBe(3);
    // Either the new image, or a stored one (1, 2 or 3) handed back in its place.
    expect([1, 2, 3, 4]).toContain(four);
    const reused = four !== 4;
    expect(pool.stats().reuseRate).toBe(reused ? 1 / 4 : 0);
    // Seeded: the same stream makes the same choices.
    const again = new ImagePool(3, new Rng(7));
    again.query(batch([1, 2])).dispose();
    expect(Array.from(again.query(batch([3, 4])).dataSync())).toEqual([three, four]);
    tf.dispose([first, second]);
    pool.dispose();
    again.dispose();
  });

  it('reuses half the images once full, keeps what it swapped in, and holds no extra tensors', () => {
    const pool = new ImagePool(4, new Rng(3));
    pool.query(batch([0, 0, 0, 0])).dispose();
    const before = tf.memory().numTensors;
    let fromStore = 0;
    let total = 0;
    for (let i = 1; i <= 200; i++) {
      const input = batch([i, i + 0.5]);
      const out = pool.query(input);
      input.dispose();
      for (const v of out.dataSync()) {
        total++;
        if (v !== i && v !== i + 0.5) fromStore++;
      }
      out.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
    expect(pool.stats().fill).toBe(4);
    // 400 draws at p = 0.5: within 0.4..0.6 unless the stream is badly broken.
    expect(fromStore / total).toBeGreaterThan(0.4);
    expect(fromStore / total).toBeLessThan(0.6);
    pool.dispose();
  });

  it('saves its images into a buffer and a new pool loaded from it makes the same choices', () => {
    const buffer = tf.variable(tf.zeros([3, 1, 1, 1]), false);
    const pool = new ImagePool(3, new Rng(5), buffer);
    pool.query(batch([1, 2, 3])).dispose();
    pool.save();
    expect(Array.from(buffer.dataSync())).toEqual([1, 2, 3]);
    const copy = new ImagePool(3, new Rng(5), buffer);
    copy.load(pool.counters());
    // Same stream position: both pools have drawn nothing yet, so they answer alike.
    const a = pool.query(batch([4, 5, 6, 7]));
    const b = copy.query(batch([4, 5, 6, 7]));
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    expect(copy.counters()).toEqual(pool.counters());
    tf.dispose([a, b, buffer]);
    pool.dispose();
    copy.dispose();
  });

  it('passes everything through when its size is 0', () => {
    const pool = new ImagePool(0, new Rng(1));
    const out = pool.query(batch([5, 6]));
    expect(Array.from(out.dataSync())).toEqual([5, 6]);
    expect(pool.stats()).toEqual({ fill: 0, reuseRate: 0 });
    out.dispose();
  });
});
