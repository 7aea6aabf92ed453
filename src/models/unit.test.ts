import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Rng } from '../core/random';
import { latentShape, UNIT_LOSS_NAMES, Unit, type UnitNoise, unitLossD, unitLossG } from './unit';
import { UNIT_DEFAULTS, type UnitConfig } from './unit.config';

const TINY: UnitConfig = {
  ...UNIT_DEFAULTS,
  imageSize: 16,
  dim: 4,
  nBlocks: 1,
  ndf: 4,
  dLayers: 2,
  batchSize: 2,
};
const s = (v: number) => tf.scalar(v);

function noise(seed: number): UnitNoise {
  const shape = latentShape(TINY, 2);
  const draw = (k: number) => tf.randomNormal(shape, 0, 1, 'float32', seed + k) as tf.Tensor4D;
  return { n1: draw(0), n2: draw(1), n1Cycle: draw(2), n2Cycle: draw(3) };
}

describe('UNIT', () => {
  it('weights its E/G terms as unit.py: 10 GAN + 0.1 KL + 100 recon + 0.1 cycle KL + 100 cycle', () => {
    const total = unitLossG(
      {
        gan1: s(1),
        gan2: s(2),
        kl1: s(3),
        kl2: s(4),
        id1: s(0.01),
        id2: s(0.02),
        klCycle1: s(5),
        klCycle2: s(6),
        cycle1: s(0.03),
        cycle2: s(0.04),
      },
      UNIT_DEFAULTS,
    );
    // 10 (3) + 0.1 (7) + 100 (0.03) + 0.1 (11) + 100 (0.07)
    expect(total.dataSync()[0]).toBeCloseTo(30 + 0.7 + 3 + 1.1 + 7, 4);
  });

  it("sums D's least-squares terms, not halved: mean (D(real) - 1)^2 + mean D(fake)^2", () => {
    // (0.25 + 0.25) / 2 + (1 + 1) / 2
    expect(unitLossD(tf.tensor([0.5, 1.5]), tf.tensor([1, -1])).dataSync()[0]).toBeCloseTo(1.25, 6);
  });

  it('shares one block between the encoders and one between the generators: one variable, two users', () => {
    const model = new Unit(TINY, new Rng(1));
    const names = model.paramsG.specs().map((p) => p.name);
    // One set of shared weights, no per-encoder copy.
    expect(names.filter((n) => n.startsWith('G/sharedE/'))).toEqual([
      'G/sharedE/conv0/W',
      'G/sharedE/conv0/b',
      'G/sharedE/conv1/W',
      'G/sharedE/conv1/b',
    ]);
    expect(names.some((n) => /^G\/E[12]\/.*shared/.test(n))).toBe(false);
    const x = tf.randomUniform([2, 16, 16, 3], -1, 1, 'float32', 3) as tf.Tensor4D;
    // Both encoders' codes move when (only) the shared block's weight changes; so do both
    // generators' outputs when sharedG's does.
    const codes = () =>
      tf.tidy(() =>
        [model.E1(x), model.E2(x), model.G1(model.E1(x)), model.G2(model.E1(x))].map((t) =>
          Array.from(t.dataSync()),
        ),
      );
    const before = codes();
    const named = model.paramsG.named();
    tf.tidy(() =>
      named.get('G/sharedE/conv1/b')!.assign(tf.onesLike(named.get('G/sharedE/conv1/b')!)),
    );
    const afterE = codes();
    expect(afterE[0]).not.toEqual(before[0]);
    expect(afterE[1]).not.toEqual(before[1]);
    tf.tidy(() =>
      named.get('G/sharedG/conv1/b')!.assign(tf.onesLike(named.get('G/sharedG/conv1/b')!)),
    );
    const afterG = codes();
    expect(afterG[0]).toEqual(afterE[0]);
    expect(afterG[2]).not.toEqual(afterE[2]);
    expect(afterG[3]).not.toEqual(afterE[3]);
    tf.dispose(x);
    model.dispose();
  });

  it('encodes a 16 px face to a [4, 4, 4 dim] code; D maps it to 16 / 2^layers', () => {
    const model = new Unit(TINY, new Rng(1));
    tf.tidy(() => {
      const x = tf.zeros([2, 16, 16, 3]) as tf.Tensor4D;
      expect(model.E1(x).shape).toEqual(latentShape(TINY, 2));
      expect(latentShape(TINY, 2)).toEqual([2, 4, 4, 16]);
      expect(model.G2(model.E1(x)).shape).toEqual([2, 16, 16, 3]);
      expect(model.D1(x).shape).toEqual([2, 4, 4, 1]);
    });
    model.dispose();
  });

  it('reports every E/G term as computed by hand, and updates E/G alone', () => {
    const model = new Unit(TINY, new Rng(1));
    const x1 = tf.randomUniform([2, 16, 16, 3], -1, 1, 'float32', 1) as tf.Tensor4D;
    const x2 = tf.randomUniform([2, 16, 16, 3], -1, 1, 'float32', 2) as tf.Tensor4D;
    const n = noise(10);
    const mad = (a: tf.Tensor, b: tf.Tensor) => tf.mean(tf.abs(tf.sub(a, b))).dataSync()[0]!;
    const msOne = (a: tf.Tensor) => tf.mean(tf.square(tf.sub(a, 1))).dataSync()[0]!;
    const sq = (a: tf.Tensor) => tf.mean(tf.square(a)).dataSync()[0]!;
    const expected = tf.tidy(() => {
      const { E1, E2, G1, G2, D1, D2 } = model;
      const mu1 = E1(x1);
      const mu2 = E2(x2);
      const z1 = tf.add(mu1, n.n1) as tf.Tensor4D;
      const z2 = tf.add(mu2, n.n2) as tf.Tensor4D;
      const fake1 = G1(z2);
      const fake2 = G2(z1);
      const mu1c = E1(fake1);
      const mu2c = E2(fake2);
      return [
        msOne(D1(fake1)),
        msOne(D2(fake2)),
        sq(mu1),
        sq(mu2),
        mad(G1(z1), x1),
        mad(G2(z2), x2),
        sq(mu1c),
        sq(mu2c),
        mad(G1(tf.add(mu2c, n.n2Cycle) as tf.Tensor4D), x1),
        mad(G2(tf.add(mu1c, n.n1Cycle) as tf.Tensor4D), x2),
      ];
    });
    const dBefore = [...model.paramsD1.named().values()].map((v) => Array.from(v.dataSync()));
    const { losses, fakes } = model.trainG(x1, x2, n);
    const terms = Array.from(losses.dataSync());
    expect(terms).toHaveLength(UNIT_LOSS_NAMES.length - 2);
    for (const [i, t] of terms.entries())
      expect(t, UNIT_LOSS_NAMES[i + 2]).toBeCloseTo(expected[i]!, 5);
    expect([...model.paramsD1.named().values()].map((v) => Array.from(v.dataSync()))).toEqual(
      dBefore,
    );
    // D's terms by hand on the step's translations, before D's update.
    const expectedD = tf.tidy(() => [
      msOne(model.D1(x1)) + sq(model.D1(fakes.fake1)),
      msOne(model.D2(x2)) + sq(model.D2(fakes.fake2)),
    ]);
    const d = Array.from(model.trainD(x1, x2, fakes).dataSync());
    expect(d[0]).toBeCloseTo(expectedD[0]!, 5);
    expect(d[1]).toBeCloseTo(expectedD[1]!, 5);
    // Three optimisers: E/G together, one per D.
    expect(model.networks().optimizers.map((o) => o.params.scope)).toEqual(['G', 'D1', 'D2']);
    tf.dispose([losses, fakes.fake1, fakes.fake2, x1, x2, ...Object.values(n)]);
    model.dispose();
  });
});
