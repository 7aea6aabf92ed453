import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Rng } from '../core/random';
import { TEXT_DIM } from '../data/captions';
import { upsampleNearest2 } from './shared/conv';
import { copyWeights, updateEma } from './shared/ema';
import { glu } from './shared/glu';
import { Params } from './shared/params';
import {
  colourConsistency,
  jointLossD,
  klLoss,
  meanCovariance,
  StackGan,
  type StackGanBatch,
  type StageLogits,
  stageLossG,
} from './stackgan';
import { STACKGAN_DEFAULTS, type StackGanConfig } from './stackgan.config';

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
/** BCE of one logit against a target, by hand. */
const bce = (x: number, t: number) =>
  -(t * Math.log(sigmoid(x)) + (1 - t) * Math.log(1 - sigmoid(x)));
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const value = (t: tf.Tensor) => t.dataSync()[0]!;

const TINY: StackGanConfig = {
  ...STACKGAN_DEFAULTS,
  baseSize: 8,
  zDim: 6,
  embeddingDim: 4,
  gfDim: 8,
  rNum: 1,
  dfDim: 2,
  batchSize: 2,
};

describe('StackGAN++ blocks and loss terms, by hand', () => {
  it('GLU is the first half times sigmoid of the second', () => {
    const x = tf.tensor2d([[1, -2, 0.5, 3]]);
    const y = glu(x);
    expect(y.shape).toEqual([1, 2]);
    const [a, b] = Array.from(y.dataSync());
    expect(a).toBeCloseTo(1 * sigmoid(0.5), 6);
    expect(b).toBeCloseTo(-2 * sigmoid(3), 6);
    tf.dispose([x, y]);
  });

  it('KL is -0.5 mean(1 + logvar - mu^2 - exp(logvar))', () => {
    const mu = [0.5, -1, 0, 2];
    const logvar = [0, 0.3, -0.7, 1];
    const expected = -0.5 * mean(mu.map((m, i) => 1 + logvar[i]! - m * m - Math.exp(logvar[i]!)));
    const kl = klLoss(tf.tensor2d(mu, [2, 2]), tf.tensor2d(logvar, [2, 2]));
    expect(value(kl)).toBeCloseTo(expected, 6);
    // N(0, 1) itself has no divergence.
    expect(value(klLoss(tf.zeros([2, 3]), tf.zeros([2, 3])))).toBeCloseTo(0, 7);
  });

  it('conditioning augmentation gives c = mu + exp(logvar / 2) eps from GLU(fc(text))', () => {
    const model = new StackGan({ ...TINY, branches: 1 }, new Rng(3));
    const n = 2;
    const ef = TINY.embeddingDim;
    const rng = new Rng(9);
    const text = tf.tensor2d(rng.normalArray(n * TEXT_DIM), [n, TEXT_DIM]);
    const eps = tf.tensor2d(rng.normalArray(n * ef), [n, ef]);
    const z = tf.tensor2d(rng.normalArray(n * TINY.zDim), [n, TINY.zDim]);
    const { mu, logvar } = model.G(z, text, eps);
    // By hand from the fc weights: x = text W + b, then GLU, then split.
    const named = model.paramsG.named();
    const W = named.get('G/ca/fc/W')!.arraySync() as number[][];
    const b = named.get('G/ca/fc/b')!.arraySync() as number[];
    const t = text.arraySync();
    for (let r = 0; r < n; r++) {
      const x = b.map((bias, j) => bias + t[r]!.reduce((s, v, k) => s + v * W[k]![j]!, 0));
      const half = 2 * ef;
      const gated = x.slice(0, half).map((v, j) => v * sigmoid(x[half + j]!));
      const m = mu!.arraySync()[r]!;
      const lv = logvar!.arraySync()[r]!;
      for (let j = 0; j < ef; j++) {
        expect(m[j]).toBeCloseTo(gated[j]!, 5);
        expect(lv[j]).toBeCloseTo(gated[ef + j]!, 5);
      }
    }
    // c enters the next stages; here check the reparametrisation through its statistics:
    // with eps = 0 the output equals the output at c = mu, and eps changes it.
    const zero = tf.zerosLike(eps);
    const a = model.G(z, text, zero).images[0]!;
    const c = model.G(z, text, eps).images[0]!;
    expect(tf.max(tf.abs(tf.sub(a, c))).dataSync()[0]).toBeGreaterThan(1e-6);
    model.dispose();
    tf.dispose([text, eps, z, zero, a, c, mu!, logvar!]);
  });

  it('mean and covariance per image, and the colour terms as MSEs', () => {
    // Two 1 x 2 images with known pixels.
    const fine = tf.tensor4d(
      [0, 0.2, -0.4, 1, -0.2, 0, 0.5, 0.5, 0.5, -0.5, 0.1, 0.3],
      [2, 1, 2, 3],
    );
    const coarse = tf.tensor4d([0.1, 0.1, 0.1, -0.3, 0.2, 0.6], [2, 1, 1, 3]);
    const pixels = fine.arraySync() as number[][][][];
    const stats = (img: number[][]) => {
      const m = [0, 1, 2].map((c) => mean(img.map((p) => p[c]!)));
      const cov = [0, 1, 2].map((i) =>
        [0, 1, 2].map((j) => mean(img.map((p) => (p[i]! - m[i]!) * (p[j]! - m[j]!)))),
      );
      return { m, cov };
    };
    const f = pixels.map((img) => stats(img[0]!));
    const c = (coarse.arraySync() as number[][][][]).map((img) => stats(img[0]!));
    const { mean: mu, cov } = meanCovariance(fine);
    expect(Array.from(mu.dataSync())).toEqual(
      f.flatMap((s) => s.m).map((v) => expect.closeTo(v, 6)),
    );
    expect(Array.from(cov.dataSync())).toEqual(
      f.flatMap((s) => s.cov.flat()).map((v) => expect.closeTo(v, 6)),
    );
    const colour = colourConsistency(fine, coarse);
    const mseMean = mean(f.flatMap((s, k) => s.m.map((v, i) => (v - c[k]!.m[i]!) ** 2)));
    const mseCov = mean(
      f.flatMap((s, k) => s.cov.flat().map((v, i) => (v - c[k]!.cov.flat()[i]!) ** 2)),
    );
    expect(value(colour.mean)).toBeCloseTo(mseMean, 6);
    expect(value(colour.cov)).toBeCloseTo(mseCov, 6);
    // The coarse stage is detached: no gradient reaches it.
    const grad = tf.grad((x: tf.Tensor) => colourConsistency(fine, x as tf.Tensor4D).mean)(coarse);
    expect(tf.max(tf.abs(grad)).dataSync()[0]).toBe(0);
    tf.dispose([fine, coarse, mu, cov, colour.mean, colour.cov, grad]);
  });

  it('the joint D loss: real, wrong (real image, mismatched caption) and fake', () => {
    const logits = (cond: number[], uncond: number[]): StageLogits => ({
      cond: tf.tensor1d(cond),
      uncond: tf.tensor1d(uncond),
    });
    const real = logits([2, 0.5], [1, -1]);
    const wrong = logits([0.3, -2], [0.7, 1.5]);
    const fake = logits([-1, 0.2], [-0.5, 2]);
    const u = 1;
    const realExpected = mean([bce(2, 1), bce(0.5, 1)]) + u * mean([bce(1, 1), bce(-1, 1)]);
    // A wrong pair is fake for the conditional logit, real for the unconditional one.
    const wrongExpected = mean([bce(0.3, 0), bce(-2, 0)]) + u * mean([bce(0.7, 1), bce(1.5, 1)]);
    const fakeExpected = mean([bce(-1, 0), bce(0.2, 0)]) + u * mean([bce(-0.5, 0), bce(2, 0)]);
    const loss = jointLossD({ real, wrong, fake }, u);
    expect(loss.terms.map(value)).toEqual(
      [realExpected, wrongExpected, fakeExpected].map((v) => expect.closeTo(v, 5)),
    );
    expect(value(loss.total)).toBeCloseTo(realExpected + wrongExpected + fakeExpected, 5);
    // Without the unconditional term: real + (wrong + fake) / 2, as the reference's else branch.
    const condOnly = jointLossD({ real, wrong, fake }, 0);
    const r0 = mean([bce(2, 1), bce(0.5, 1)]);
    const w0 = mean([bce(0.3, 0), bce(-2, 0)]);
    const f0 = mean([bce(-1, 0), bce(0.2, 0)]);
    expect(value(condOnly.total)).toBeCloseTo(r0 + 0.5 * (w0 + f0), 5);
    // G's stage term: both logits called real.
    expect(value(stageLossG(fake, 0.5))).toBeCloseTo(
      mean([bce(-1, 1), bce(0.2, 1)]) + 0.5 * mean([bce(-0.5, 1), bce(2, 1)]),
      5,
    );
    // Unconditional: one logit, real + fake.
    const plain = jointLossD(
      {
        real: { cond: null, uncond: real.uncond },
        wrong: null,
        fake: { cond: null, uncond: fake.uncond },
      },
      1,
    );
    expect(value(plain.total)).toBeCloseTo(
      mean([bce(1, 1), bce(-1, 1)]) + mean([bce(-0.5, 0), bce(2, 0)]),
      5,
    );
  });
});

describe('StackGAN++ networks', () => {
  function batchFor(model: StackGan, n: number, rng: Rng): StackGanBatch {
    const { zDim, embeddingDim } = model.config;
    const text = model.config.mode === 'text';
    const images = () =>
      model.sizes.map((s) => tf.tensor4d(rng.uniformArray(n * s * s * 3, -1, 1), [n, s, s, 3]));
    return {
      reals: images(),
      wrongs: text ? images() : null,
      z: tf.tensor2d(rng.normalArray(n * zDim), [n, zDim]),
      text: text ? tf.tensor2d(rng.normalArray(n * TEXT_DIM), [n, TEXT_DIM]) : null,
      eps: text ? tf.tensor2d(rng.normalArray(n * embeddingDim), [n, embeddingDim]) : null,
    };
  }

  it.each([
    ['text', 8],
    ['unconditional', 16],
  ] as const)(
    '%s mode at base %i px: one image per stage, doubling, and logits per D',
    (mode, baseSize) => {
      const config: StackGanConfig = { ...TINY, mode, baseSize };
      const model = new StackGan(config, new Rng(1));
      expect(model.sizes).toEqual([baseSize, 2 * baseSize, 4 * baseSize]);
      const batch = batchFor(model, 2, new Rng(2));
      tf.tidy(() => {
        const { images, mu } = model.G(batch.z, batch.text, batch.eps);
        expect(images.map((x) => x.shape)).toEqual(model.sizes.map((s) => [2, s, s, 3]));
        for (const x of images) {
          const v = x.dataSync();
          expect(Math.max(...v.map(Math.abs))).toBeLessThanOrEqual(1);
        }
        model.D.forEach((D, i) => {
          const out = D(images[i]!, mu);
          expect(out.uncond.shape).toEqual([2]);
          expect(out.cond?.shape ?? null).toEqual(mode === 'text' ? [2] : null);
        });
      });
      model.dispose();
      tf.dispose([...batch.reals, ...(batch.wrongs ?? []), batch.z]);
      tf.dispose([batch.text, batch.eps].filter((t): t is tf.Tensor2D => t !== null));
    },
  );

  it('trains every D and G, moves batch norm averages once per iteration, averages G', () => {
    const model = new StackGan(TINY, new Rng(4));
    const rng = new Rng(5);
    const running = () => model.paramsG.named().get('G/init/fc/bn/runningMean')!.dataSync().slice();
    const weight = (p: Params, name: string) => p.named().get(name)!.dataSync().slice();
    const before = running();
    const gBefore = weight(model.paramsG, 'G/img0/conv/W');
    const batch = batchFor(model, 2, rng);
    const { d, g } = model.train(batch, { d: true, g: true });
    expect(d!.map((t) => t.shape)).toEqual([[3], [3], [3]]);
    expect(g!.shape).toEqual([3 + 1 + 2]);
    // One momentum-0.1 update of the running mean: (after - 0.9 before) / 0.1 is a batch mean,
    // the same as a single training-mode pass of G computes on this batch.
    const after = running();
    const frozen = new StackGan(TINY, new Rng(4));
    frozen.G(batch.z, batch.text, batch.eps).images.forEach((x) => {
      x.dispose();
    });
    const once = frozen.paramsG.named().get('G/init/fc/bn/runningMean')!.dataSync();
    after.forEach((v, i) => {
      expect(v).toBeCloseTo(once[i]!, 5);
    });
    expect(after.some((v, i) => v !== before[i])).toBe(true);
    // G moved, and its average moved by (1 - decay) of that.
    const gAfter = weight(model.paramsG, 'G/img0/conv/W');
    const avg = weight(model.paramsGema, 'Gema/img0/conv/W');
    gAfter.forEach((v, i) => {
      const expected = TINY.emaDecay * gBefore[i]! + (1 - TINY.emaDecay) * v;
      expect(avg[i]).toBeCloseTo(expected, 6);
    });
    expect(gAfter.some((v, i) => v !== gBefore[i])).toBe(true);
    tf.dispose([...d!, g!, ...batch.reals, ...batch.wrongs!, batch.z, batch.text!, batch.eps!]);
    model.dispose();
    frozen.dispose();
  });

  it('EMA: avg <- decay avg + (1 - decay) w, running averages copied', () => {
    const live = new Params('A', new Rng(1));
    const average = new Params('B', new Rng(2));
    live.uniform('w', [3], 1);
    live.state('runningMean', [3], 0.5);
    average.uniform('w', [3], 1);
    average.state('runningMean', [3], 0);
    const w = live.named().get('A/w')!.dataSync().slice();
    const a = average.named().get('B/w')!.dataSync().slice();
    updateEma(average, live, 0.9);
    const updated = average.named().get('B/w')!.dataSync();
    updated.forEach((v, i) => {
      expect(v).toBeCloseTo(0.9 * a[i]! + 0.1 * w[i]!, 6);
    });
    expect(Array.from(average.named().get('B/runningMean')!.dataSync())).toEqual([0.5, 0.5, 0.5]);
    copyWeights(average, live);
    expect(Array.from(average.named().get('B/w')!.dataSync())).toEqual(Array.from(w));
    live.dispose();
    average.dispose();
  });
});

describe('nearest up-sampling by 2', () => {
  it('repeats each pixel in a 2 x 2 block, and its gradient sums the block', () => {
    const rng = new Rng(7);
    const x = tf.tensor4d(rng.normalArray(3 * 4 * 4 * 2), [3, 4, 4, 2]);
    const w = tf.tensor4d(rng.normalArray(3 * 8 * 8 * 2), [3, 8, 8, 2]);
    const y = upsampleNearest2(x);
    const xs = x.arraySync();
    const ys = y.arraySync();
    for (let r = 0; r < 8; r++) {
      for (let c = 0; c < 8; c++) expect(ys[1]![r]![c]).toEqual(xs[1]![r >> 1]![c >> 1]);
    }
    const g = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(w, upsampleNearest2(v as tf.Tensor4D))))(x);
    const blocks = tf.sum(tf.reshape(w, [3, 4, 2, 4, 2, 2]), [2, 4]);
    expect(tf.max(tf.abs(tf.sub(g, blocks))).dataSync()[0]).toBeLessThan(1e-5);
    tf.dispose([x, w, y, g, blocks]);
  });
});
