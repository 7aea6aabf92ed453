import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Rng } from '../core/random';
import { PIX2PIX_LOSS_NAMES, Pix2Pix, pix2pixLossG, unetGenerator } from './pix2pix';
import { PIX2PIX_DEFAULTS } from './pix2pix.config';
import { Params } from './shared/params';

const TINY = {
  ...PIX2PIX_DEFAULTS,
  imageSize: 16,
  ngf: 4,
  ndf: 4,
  dLayers: 2,
  batchSize: 2,
} as const;

describe('Pix2Pix', () => {
  it('weights G as the reference: GAN + 100 L1', () => {
    expect(pix2pixLossG(tf.scalar(0.7), tf.scalar(0.02), 100).dataSync()[0]).toBeCloseTo(2.7, 5);
  });

  it('builds a U-Net whose skips concatenate each level with its mirror (32 px, 5 levels)', () => {
    const params = new Params('G', new Rng(1));
    const G = unetGenerator(params, 4, 32);
    const shapes = new Map(params.specs().map((p) => [p.name, p.shape]));
    // Level 0 down 3 -> 4; each up conv takes twice its level's channels (the skip), except
    // the innermost (1 x 1), which has nothing below it to concatenate.
    expect(shapes.get('G/level0/down/W')).toEqual([4, 4, 3, 4]);
    expect(shapes.get('G/level0/up/W')).toEqual([4, 4, 3, 8]);
    expect(shapes.get('G/level1/up/W')).toEqual([4, 4, 4, 16]);
    expect(shapes.get('G/level3/up/W')).toEqual([4, 4, 16, 64]);
    expect(shapes.get('G/level4/down/W')).toEqual([4, 4, 32, 32]);
    expect(shapes.get('G/level4/up/W')).toEqual([4, 4, 32, 32]);
    expect(shapes.has('G/level5/down/W')).toBe(false);
    tf.tidy(() => {
      const y = G(tf.randomUniform([2, 32, 32, 3], -1, 1) as tf.Tensor4D);
      expect(y.shape).toEqual([2, 32, 32, 3]);
      expect(Math.max(...Array.from(tf.abs(y).dataSync()))).toBeLessThanOrEqual(1);
    });
    params.dispose();
  });

  it('judges (input, output) pairs: D sees 6 channels, and each step reports its terms', () => {
    const model = new Pix2Pix(TINY, new Rng(1));
    expect(model.paramsD.specs()[0]!.shape).toEqual([4, 4, 6, 4]);
    const x = tf.randomUniform([2, 16, 16, 3], -1, 1, 'float32', 1) as tf.Tensor4D;
    const y = tf.randomUniform([2, 16, 16, 3], -1, 1, 'float32', 2) as tf.Tensor4D;
    const softplus = (v: tf.Tensor) => tf.mean(tf.softplus(v)).dataSync()[0]!;
    // By hand: D real = mean softplus(-D(x, y)), D fake = mean softplus(D(x, G(x))).
    const expectedD = tf.tidy(() => [
      softplus(tf.neg(model.D(x, y))),
      softplus(model.D(x, model.G(x))),
    ]);
    const d = model.trainD(x, y);
    // G GAN = mean softplus(-D(x, G(x))) against the updated D; G L1 = mean |G(x) - y|.
    const expectedG = tf.tidy(() => {
      const fake = model.G(x);
      return [softplus(tf.neg(model.D(x, fake))), tf.mean(tf.abs(tf.sub(fake, y))).dataSync()[0]!];
    });
    const g = model.trainG(x, y);
    expect(d.size + g.size).toBe(PIX2PIX_LOSS_NAMES.length);
    const expected = [...expectedD, ...expectedG];
    for (const [i, t] of [...d.dataSync(), ...g.dataSync()].entries()) {
      expect(t, PIX2PIX_LOSS_NAMES[i]).toBeCloseTo(expected[i]!, 5);
    }
    tf.dispose([x, y, d, g]);
    model.dispose();
  });
});
