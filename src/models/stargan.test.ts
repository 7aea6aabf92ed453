import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Rng } from '../core/random';
import { TINY_STARGAN } from '../test/tinyConfigs';
import { paddingFor } from './shared/conv';
import { StarGan } from './stargan';

const tiny = TINY_STARGAN;

describe('StarGAN networks', () => {
  it.each([16, 32, 64] as const)(
    'G keeps the image shape and D gives a 2x2 map at %i px',
    (size) => {
      const config = { ...tiny, imageSize: size, dRepeat: Math.log2(size) - 1 };
      const model = new StarGan(config, 5, 5, new Rng(1));
      tf.tidy(() => {
        const x = tf.randomUniform([2, size, size, 3], -1, 1) as tf.Tensor4D;
        const y = model.G(x, tf.tensor2d([1, 0, 0, 1, 0, 0, 1, 0, 0, 1], [2, 5]));
        expect(y.shape).toEqual([2, size, size, 3]);
        expect(tf.max(tf.abs(y)).arraySync()).toBeLessThanOrEqual(1);
        const { src, cls } = model.D(x);
        expect(src.shape).toEqual([2, 2, 2, 1]);
        expect(cls.shape).toEqual([2, 5]);
      });
      model.dispose();
    },
  );

  it('has no conv biases in G, as the reference', () => {
    const model = new StarGan(tiny, 5, 5, new Rng(1));
    const names = [...model.paramsG.named().keys()];
    expect(names.some((n) => n.endsWith('/b'))).toBe(false);
    expect(names).toContain('G/in/norm/gamma');
    model.dispose();
  });

  it('rejects a D deeper than the image allows', () => {
    expect(() => new StarGan({ ...tiny, dRepeat: 5 }, 5, 5, new Rng(1))).toThrow(/down-sample/);
  });
});

describe('PyTorch padding', () => {
  it('uses "same" exactly where it equals the reference padding', () => {
    expect(paddingFor(4, 2, 1)).toBe('same');
    expect(paddingFor(7, 1, 3)).toBe('same');
    expect(paddingFor(3, 1, 1)).toBe('same');
    expect(paddingFor(3, 2, 1)).toBe('explicit');
    expect(paddingFor(4, 1, 0)).toBe('valid');
  });

  it('"same" at k4 s2 equals an explicit pad of 1 then "valid"', () => {
    tf.tidy(() => {
      const x = tf.randomNormal([1, 8, 8, 2], 0, 1, 'float32', 3) as tf.Tensor4D;
      const w = tf.randomNormal([4, 4, 2, 3], 0, 1, 'float32', 4) as tf.Tensor4D;
      const same = tf.conv2d(x, w, 2, 'same');
      const explicit = tf.conv2d(
        tf.pad(x, [
          [0, 0],
          [1, 1],
          [1, 1],
          [0, 0],
        ]),
        w,
        2,
        'valid',
      );
      expect(tf.max(tf.abs(tf.sub(same, explicit))).arraySync()).toBeLessThan(1e-5);
    });
  });
});
