import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Rng } from '../core/random';
import { createImageGan } from './imagegan';
import { IMAGE_GAN_DEFAULTS, IMAGE_GAN_VARIANTS, type ImageGanConfig } from './imagegan.config';
import { batchNorm } from './shared/conv';
import { Params } from './shared/params';
import { Wgan, wganCriticIterations } from './wgan';

function tiny(variant: ImageGanConfig['variant'], imageSize: ImageGanConfig['imageSize'] = 16) {
  return { ...IMAGE_GAN_DEFAULTS[variant], imageSize, zDim: 8, gBase: 4, dBase: 4, batchSize: 4 };
}

describe('image GAN networks', () => {
  for (const variant of IMAGE_GAN_VARIANTS) {
    it.each([16, 32, 64] as const)(
      `${variant}: G makes S x S x 3 images in [-1, 1] at %i px`,
      async (size) => {
        const model = createImageGan(tiny(variant, size), new Rng(1));
        const z = tf.randomNormal([2, 8]) as tf.Tensor2D;
        const x = model.G(z);
        expect(x.shape).toEqual([2, size, size, 3]);
        expect(Math.max(...Array.from(await tf.abs(x).data()))).toBeLessThanOrEqual(1);
        const real = tf.zeros([4, size, size, 3]) as tf.Tensor4D;
        const losses = model.trainD(
          real,
          tf.randomNormal([4, 8]) as tf.Tensor2D,
          tf.fill([4, 1, 1, 1], 0.5) as tf.Tensor4D,
        );
        expect(losses.shape).toEqual([model.lossNames.length - 1]);
        expect(Array.from(await losses.data()).every(Number.isFinite)).toBe(true);
        tf.dispose([z, x, real, losses]);
        model.dispose();
      },
    );
  }
});

describe('WGAN', () => {
  it('keeps every critic weight within [-c, c] after each critic step', async () => {
    const config = { ...tiny('wgan'), clip: 0.01, lrD: 0.05 };
    const model = new Wgan(config, new Rng(2));
    const inRange = async () => {
      for (const v of model.paramsD.list()) {
        const values = await v.data();
        if (values.some((w) => Math.abs(w) > config.clip + 1e-7)) return false;
      }
      return true;
    };
    expect(await inRange()).toBe(true);
    for (let i = 0; i < 3; i++) {
      const real = tf.randomUniform([4, 16, 16, 3], -1, 1) as tf.Tensor4D;
      const z = tf.randomNormal([4, 8]) as tf.Tensor2D;
      model.trainD(real, z).dispose();
      expect(await inRange()).toBe(true);
      tf.dispose([real, z]);
    }
    model.dispose();
  });

  it('trains the critic 100 times for the first 25 G steps and every 500th, else n_critic', () => {
    expect(wganCriticIterations(0, 5)).toBe(100);
    expect(wganCriticIterations(24, 5)).toBe(100);
    expect(wganCriticIterations(25, 5)).toBe(5);
    expect(wganCriticIterations(499, 5)).toBe(5);
    expect(wganCriticIterations(500, 5)).toBe(100);
    expect(wganCriticIterations(501, 5)).toBe(5);
    expect(wganCriticIterations(1000, 5)).toBe(100);
  });
});

describe('batch norm', () => {
  it('normalises with batch statistics while training and with running averages after', async () => {
    const params = new Params('bn', new Rng(1));
    const mode = { training: true };
    const bn = batchNorm<tf.Tensor2D>(params, 'layer', 2, mode);
    const x = tf.tensor2d([
      [1, 10],
      [3, 30],
    ]);
    const trained = bn(x);
    // Batch statistics: each column becomes (-1, 1) up to epsilon.
    expect(Array.from(await trained.data()).map((v) => Math.round(v * 1000) / 1000)).toEqual([
      -1, -1, 1, 1,
    ]);
    // Running averages moved 10% of the way to the batch mean (2, 20) and unbiased var (2, 200).
    const running = params.named();
    expect(Array.from(await running.get('bn/layer/runningMean')!.data())).toEqual(
      [0.2, 2].map(Math.fround),
    );
    expect(Array.from(await running.get('bn/layer/runningVar')!.data())).toEqual(
      [1.1, 20.9].map(Math.fround),
    );
    mode.training = false;
    const single = bn(tf.tensor2d([[1, 10]]));
    const expected = [(1 - 0.2) / Math.sqrt(1.1 + 1e-5), (10 - 2) / Math.sqrt(20.9 + 1e-5)];
    Array.from(await single.data()).forEach((v, i) => {
      expect(v).toBeCloseTo(expected[i]!, 4);
    });
    expect(params.list().map((v) => v.name).length).toBe(2);
    tf.dispose([x, trained, single]);
    params.dispose();
  });
});
