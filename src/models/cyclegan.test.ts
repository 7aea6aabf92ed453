import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Rng } from '../core/random';
import { CycleGan, cycleGanLossG, lsganLossD } from './cyclegan';
import { CYCLEGAN_DEFAULTS, type CycleGanConfig } from './cyclegan.config';

const TINY: CycleGanConfig = {
  ...CYCLEGAN_DEFAULTS,
  imageSize: 16,
  ngf: 4,
  nBlocks: 1,
  ndf: 4,
  dLayers: 2,
  batchSize: 2,
  poolSize: 2,
};
const s = (v: number) => tf.scalar(v);

describe('CycleGAN', () => {
  it('weights its G terms as junyanz: GAN + 10 cycle + 10 x 0.5 identity', () => {
    const total = cycleGanLossG(
      { ganAB: s(1), ganBA: s(2), cycA: s(0.1), cycB: s(0.2), idtA: s(0.3), idtB: s(0.4) },
      CYCLEGAN_DEFAULTS,
    );
    // 1 + 2 + 10 (0.3) + 5 (0.7)
    expect(total.dataSync()[0]).toBeCloseTo(3 + 3 + 3.5, 5);
  });

  it("halves D's least-squares loss: 0.5 (mean (D(real) - 1)^2 + mean D(fake)^2)", () => {
    const real = tf.tensor([0.5, 1.5]);
    const fake = tf.tensor([1, -1]);
    // 0.5 ((0.25 + 0.25) / 2 + (1 + 1) / 2) = 0.5 (0.25 + 1)
    expect(lsganLossD(real, fake).dataSync()[0]).toBeCloseTo(0.625, 6);
  });

  it('updates both generators with one optimiser and leaves D alone; reports its terms', () => {
    const model = new CycleGan(TINY, new Rng(1), new Rng(2));
    const realA = tf.randomUniform([2, 16, 16, 3], -1, 1, 'float32', 1) as tf.Tensor4D;
    const realB = tf.randomUniform([2, 16, 16, 3], -1, 1, 'float32', 2) as tf.Tensor4D;
    const values = (prefix: string) =>
      [...model.paramsG.named(), ...model.paramsD.named()]
        .filter(([name]) => name.startsWith(prefix))
        .map(([, v]) => Array.from(v.dataSync()));
    const [ab, ba, d] = [values('G/AB/'), values('G/BA/'), values('D/')];
    // Each term by hand, from the weights before the step.
    const mad = (x: tf.Tensor, y: tf.Tensor) => tf.mean(tf.abs(tf.sub(x, y))).dataSync()[0]!;
    const msOne = (x: tf.Tensor) => tf.mean(tf.square(tf.sub(x, 1))).dataSync()[0]!;
    const expected = tf.tidy(() => {
      const fakeB = model.G_AB(realA);
      const fakeA = model.G_BA(realB);
      return [
        msOne(model.D_B(fakeB)),
        msOne(model.D_A(fakeA)),
        mad(model.G_BA(fakeB), realA),
        mad(model.G_AB(fakeA), realB),
        mad(model.G_BA(realA), realA),
        mad(model.G_AB(realB), realB),
      ];
    });
    const { losses, fakes } = model.trainG(realA, realB);
    expect(values('G/AB/')).not.toEqual(ab);
    expect(values('G/BA/')).not.toEqual(ba);
    expect(values('D/')).toEqual(d);
    // The optimiser's variables are those of both generators, one list.
    expect(model.networks().optimizers[0]!.params).toBe(model.paramsG);
    const terms = Array.from(losses.dataSync());
    expect(terms).toHaveLength(6);
    for (const [i, t] of terms.entries()) expect(t, `term ${i}`).toBeCloseTo(expected[i]!, 5);
    tf.dispose([losses, fakes.fakeA, fakes.fakeB, realA, realB]);
    model.dispose();
  });

  it('skips the identity terms when λ identity is 0', () => {
    const model = new CycleGan({ ...TINY, lambdaIdt: 0 }, new Rng(1), new Rng(2));
    const realA = tf.zeros([1, 16, 16, 3]) as tf.Tensor4D;
    const { losses, fakes } = model.trainG(realA, realA);
    const terms = Array.from(losses.dataSync());
    expect(terms.slice(4)).toEqual([0, 0]);
    tf.dispose([losses, fakes.fakeA, fakes.fakeB, realA]);
    model.dispose();
  });
});
