/**
 * StarGAN v2's pieces against hand-computed values: each loss term and the two objectives, R1
 * against central differences, which networks each of the iteration's four steps updates, the
 * EMA, the lambda_ds schedule, and the blocks written for second-order gradients.
 */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Rng } from '../core/random';
import { avgPool2, upsampleNearest2 } from './shared/conv';
import { bceWithLogits, l1 } from './shared/losses';
import { Params } from './shared/params';
import { r1Penalty } from './shared/penalties';
import { resBlk } from './shared/resblocks';
import { StarGanV2, type StarGanV2Batch, starganv2LossD, starganv2LossG } from './starganv2';
import { lambdaDsAt, STARGANV2_DEFAULTS, type StarGanV2Config } from './starganv2.config';

const value = (t: tf.Tensor) => t.dataSync()[0]!;
const softplus = (x: number) => Math.log1p(Math.exp(x));

const TINY: StarGanV2Config = {
  ...STARGANV2_DEFAULTS,
  imageSize: 16,
  convDim: 4,
  maxConvDim: 8,
  repeatNum: 1,
  styleDim: 4,
  latentDim: 4,
  hiddenDim: 8,
  batchSize: 2,
};

function batchOf(rng: Rng, c: StarGanV2Config): StarGanV2Batch {
  const img = () => tf.tensor4d(rng.uniformArray(2 * 16 * 16 * 3, -1, 1), [2, 16, 16, 3]);
  return {
    xReal: img(),
    xRef: img(),
    xRef2: img(),
    yOrg: tf.tensor2d([1, 0, 0, 0, 0, 1], [2, 3]),
    yTrg: tf.tensor2d([0, 1, 0, 0, 0, 1], [2, 3]),
    zTrg: tf.tensor2d(rng.normalArray(2 * c.latentDim), [2, c.latentDim]),
    zTrg2: tf.tensor2d(rng.normalArray(2 * c.latentDim), [2, c.latentDim]),
  };
}

describe('StarGAN v2 loss terms', () => {
  it('adversarial terms are BCE with logits: real/adv -mean log s(x), fake -mean log(1 - s(x))', () => {
    const logits = tf.tensor1d([0.5, -2]);
    expect(value(bceWithLogits(logits, 1))).toBeCloseTo((softplus(-0.5) + softplus(2)) / 2, 6);
    expect(value(bceWithLogits(logits, 0))).toBeCloseTo((softplus(0.5) + softplus(-2)) / 2, 6);
    logits.dispose();
  });

  it('style, diversity and cycle terms are mean absolute differences', () => {
    const a = tf.tensor2d([1, 2, 3, 4], [2, 2]);
    const b = tf.tensor2d([1.5, 2, 2, 6], [2, 2]);
    expect(value(l1(a, b))).toBeCloseTo((0.5 + 0 + 1 + 2) / 4, 6);
    tf.dispose([a, b]);
  });

  it('L_D = real + fake + lambda_reg R1; L_G = adv + lambda_sty sty - lambda_ds ds + lambda_cyc cyc', () => {
    const s = (v: number) => tf.scalar(v);
    const d = starganv2LossD({ real: s(0.7), fake: s(0.4), reg: s(0.2) }, { lambdaReg: 3 });
    expect(value(d)).toBeCloseTo(0.7 + 0.4 + 0.6, 6);
    const g = starganv2LossG(
      { adv: s(1), sty: s(0.5), ds: s(0.25), cyc: s(0.125) },
      { lambdaSty: 2, lambdaCyc: 4 },
      0.5,
    );
    expect(value(g)).toBeCloseTo(1 + 1 - 0.125 + 0.5, 6);
  });

  it('R1 of a linear critic D(x) = sum(a x) is 0.5 sum(a^2), whatever x', () => {
    const a = tf.tensor4d([1, -2, 0.5, 3], [1, 2, 2, 1]);
    const x = tf.tensor4d([0.3, 0.1, -0.7, 2], [1, 2, 2, 1]);
    const twice = tf.concat([x, tf.neg(x)]) as tf.Tensor4D;
    const r1 = r1Penalty((v: tf.Tensor4D) => tf.sum(tf.mul(v, a), [1, 2, 3]), twice);
    expect(value(r1)).toBeCloseTo(0.5 * (1 + 4 + 0.25 + 9), 5);
    tf.dispose([a, x, twice, r1]);
  });

  it("R1 of the model's D matches central differences of D's input gradient", () => {
    // 8 px keeps the 2 x 192 D passes of the differences quick; D has one ResBlk there.
    const model = new StarGanV2({ ...TINY, imageSize: 8 as 16 }, 3, new Rng(4));
    const rng = new Rng(9);
    const x = tf.tensor4d(rng.uniformArray(8 * 8 * 3, -1, 1), [1, 8, 8, 3]);
    const y = tf.tensor2d([[0, 0, 1]]);
    const d = (v: tf.Tensor4D) => model.D(v, y);
    const r1 = value(r1Penalty(d, x));
    // 0.5 sum_i (dD/dx_i)^2 with each derivative from (D(x + h e_i) - D(x - h e_i)) / 2h, in
    // float64 sums of float32 D values: h large enough for float32, small for the kinks.
    const base = x.dataSync();
    const h = 1e-2;
    let sum = 0;
    for (let i = 0; i < base.length; i++) {
      const plus = base.slice();
      const minus = base.slice();
      plus[i]! += h;
      minus[i]! -= h;
      const g = tf.tidy(
        () =>
          (value(d(tf.tensor4d(plus, x.shape))) - value(d(tf.tensor4d(minus, x.shape)))) / (2 * h),
      );
      sum += g * g;
    }
    expect(r1).toBeGreaterThan(0);
    expect(Math.abs(r1 - 0.5 * sum) / r1).toBeLessThan(0.02);
    tf.dispose([x, y]);
    model.dispose();
  });
});

describe('StarGAN v2 training', () => {
  const snapshot = (model: StarGanV2) =>
    Object.fromEntries(
      (['G', 'F', 'E', 'D', 'GEma', 'FEma', 'EEma'] as const).map((net) => [
        net,
        model[`params${net}`].list().map((v) => Float32Array.from(v.dataSync())),
      ]),
    );
  const changed = (a: Float32Array[], b: Float32Array[]) =>
    a.some((v, i) => v.some((x, j) => x !== b[i]![j]));

  it('updates D in the D steps, G, F and E in the latent G step, G alone in the reference G step', () => {
    const model = new StarGanV2({ ...TINY, fLr: 1e-4 }, 3, new Rng(2));
    const batch = batchOf(new Rng(3), TINY);
    const cases = [
      { run: () => model.trainD(batch, 'latent'), updates: ['D'] },
      { run: () => model.trainD(batch, 'ref'), updates: ['D'] },
      { run: () => model.trainG(batch, 'latent', 1), updates: ['G', 'F', 'E'] },
      { run: () => model.trainG(batch, 'ref', 1), updates: ['G'] },
    ];
    for (const { run, updates } of cases) {
      const before = snapshot(model);
      const losses = run();
      expect(losses.dataSync().every(Number.isFinite)).toBe(true);
      losses.dispose();
      const after = snapshot(model);
      for (const net of Object.keys(before)) {
        expect(changed(before[net]!, after[net]!), `${updates} step moves ${net}`).toBe(
          updates.includes(net),
        );
      }
    }
    tf.dispose(Object.values(batch));
    model.dispose();
  });

  it('EMA: avg <- beta avg + (1 - beta) w for G, F and E, from copies of the live networks', () => {
    const model = new StarGanV2({ ...TINY, emaBeta: 0.9 }, 3, new Rng(5));
    const w = model.paramsG.list()[0]!;
    const avg = model.paramsGEma.list()[0]!;
    expect(avg.dataSync()).toEqual(w.dataSync());
    const start = w.dataSync()[0]!;
    w.assign(tf.fill(w.shape, start + 1));
    model.updateEma();
    expect(avg.dataSync()[0]).toBeCloseTo(0.9 * start + 0.1 * (start + 1), 6);
    expect(model.paramsD.list().length).toBeGreaterThan(0);
    model.dispose();
  });

  it('lambda_ds falls linearly from its initial value to 0 over dsIter, then stays 0', () => {
    expect(lambdaDsAt(1, 0, 100)).toBe(1);
    expect(lambdaDsAt(2, 25, 100)).toBeCloseTo(1.5, 12);
    expect(lambdaDsAt(1, 100, 100)).toBe(0);
    expect(lambdaDsAt(1, 150, 100)).toBe(0);
  });

  it('keeps the tensor count flat over iterations', () => {
    const model = new StarGanV2(TINY, 3, new Rng(6));
    const batch = batchOf(new Rng(7), TINY);
    const iteration = () => {
      for (const s of ['latent', 'ref'] as const) model.trainD(batch, s).dispose();
      for (const s of ['latent', 'ref'] as const) model.trainG(batch, s, 1).dispose();
      model.updateEma();
    };
    iteration();
    const before = tf.memory().numTensors;
    iteration();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(Object.values(batch));
    model.dispose();
  });
});

describe('blocks with second-order gradients', () => {
  it('nearest up-sampling repeats pixels and, for a batch, sends each gradient to its own image', () => {
    const x = tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8], [2, 2, 2, 1]);
    expect(Array.from(upsampleNearest2(x).dataSync().slice(0, 8))).toEqual([
      1, 1, 2, 2, 1, 1, 2, 2,
    ]);
    const r = tf.tensor4d(
      Array.from({ length: 32 }, (_, i) => i),
      [2, 4, 4, 1],
    );
    // d/dx sum(up(x) r) = the 2 x 2 block sums of r (TF.js's resizeNearestNeighbor mixes them).
    const g = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(upsampleNearest2(v as tf.Tensor4D), r)))(x);
    expect(Array.from(g.dataSync())).toEqual(Array.from(tf.mul(avgPool2(r), 4).dataSync()));
    tf.dispose([x, r, g]);
  });

  it('R1 through a down-sampling ResBlk has a gradient w.r.t. the weights (second order)', () => {
    const params = new Params('D', new Rng(1));
    const block = resBlk(params, 'b', { dimIn: 3, dimOut: 4, normalize: false, downsample: true });
    const x = tf.tensor4d(new Rng(2).uniformArray(2 * 4 * 4 * 3, -1, 1), [2, 4, 4, 3]);
    const { grads, value: v } = tf.variableGrads(
      () => r1Penalty((h: tf.Tensor4D) => tf.sum(block(h), [1, 2, 3]), x),
      params.list(),
    );
    const norms = Object.values(grads).map((g) => value(tf.sum(tf.abs(g))));
    expect(norms.some((n) => n > 0)).toBe(true);
    expect(norms.every(Number.isFinite)).toBe(true);
    tf.dispose([x, v, ...Object.values(grads)]);
    params.dispose();
  });
});
