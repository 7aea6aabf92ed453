/**
 * Parity of StyleGAN-lite with its PyTorch twin of NVlabs/stylegan (issue 16): the mapping
 * network, synthesis with mixed styles and noise, D (with minibatch stddev and blur), the D
 * step's loss terms (softplus + R1, second order) and Adam (0, 0.99) step, then the G step with
 * the tracked mean w and G_ema's average. Fixture: scripts/reference/make_fixtures_stylegan.py.
 */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/random';
import { type Draws, mixStyles, StyleGan } from '../stylegan';
import { STYLEGAN_DEFAULTS, type StyleGanConfig } from '../stylegan.config';
import {
  assign,
  compareAfterStep,
  decode,
  type Encoded,
  type EncodedMap,
  lossError,
  maxAbsDiff,
  NOISE_LIMIT,
  readFixture,
  report,
  type StepRecord,
  snapshot,
  variablesOf,
} from './fixture';

interface EncodedDraws {
  readonly z1: Encoded;
  readonly z2: Encoded;
  readonly crossover: number;
  readonly noise: Encoded[];
}

interface StyleGanFixture {
  readonly config: Partial<StyleGanConfig>;
  readonly crossover: number;
  readonly weights: EncodedMap;
  readonly inputs: { real: Encoded; z1: Encoded; z2: Encoded; noise: Encoded[] };
  readonly forward: { w: Encoded; images: Encoded; D: Encoded };
  readonly steps: Record<'D' | 'G', StepRecord>;
  /** Iterations 2 to 5 of the loop (fresh reals and draws), then every weight at the end. */
  readonly trajectory: {
    readonly iterations: { real: Encoded; D: EncodedDraws; G: EncodedDraws; losses: number[] }[];
    readonly final: EncodedMap;
  };
}

const fixture = readFixture<StyleGanFixture>('stylegan');
const config: StyleGanConfig = { ...STYLEGAN_DEFAULTS, ...fixture.config };

const decodeDraws = (d: EncodedDraws): Draws => ({
  z1: decode(d.z1) as tf.Tensor2D,
  z2: decode(d.z2) as tf.Tensor2D,
  crossover: d.crossover,
  noise: d.noise.map((m) => decode(m) as tf.Tensor4D),
});
const disposeDraws = (d: Draws) => tf.dispose([d.z1, d.z2, ...d.noise]);

function build() {
  const model = new StyleGan(config, new Rng(1));
  const variables = variablesOf(model.G.params, model.Gs.params, model.paramsD);
  assign(variables, fixture.weights);
  const draws = decodeDraws({ ...fixture.inputs, crossover: fixture.crossover });
  const real = decode(fixture.inputs.real) as tf.Tensor4D;
  return { model, variables, draws, real };
}

describe('StyleGAN-lite parity with the PyTorch twin', () => {
  it('maps, synthesises mixed styles with noise, and discriminates as the twin', () => {
    const { model, draws, real } = build();
    const errors = tf.tidy(() => {
      const w1 = model.G.mapping(draws.z1);
      const w2 = model.G.mapping(draws.z2);
      const images = model.G.synthesis(
        mixStyles(w1, w2, draws.crossover, model.layers),
        draws.noise,
      );
      return {
        w: maxAbsDiff(w1, fixture.forward.w),
        images: maxAbsDiff(images, fixture.forward.images),
        D: maxAbsDiff(model.D(real), fixture.forward.D),
      };
    });
    report('stylegan forward', errors);
    for (const [name, error] of Object.entries(errors)) expect(error, name).toBeLessThan(1e-4);
    model.dispose();
  });

  it('takes the D step and then the G step (w_avg, G_ema) as the twin', async () => {
    const { model, variables, draws, real } = build();
    const lr = config.lr;
    const before = snapshot(variables);
    const dLosses = model.trainD(real, draws);
    const dLoss = await lossError(dLosses, fixture.steps.D.losses);
    const dStep = compareAfterStep(variables, before, fixture.steps.D.after, {
      trained: (name) => name.startsWith('D/') || name === 'G/dlatent_avg',
    });
    const between = snapshot(variables);
    const gLosses = model.trainG(draws);
    const gLoss = await lossError(gLosses, fixture.steps.G.losses);
    const gStep = compareAfterStep(variables, between, fixture.steps.G.after, {
      trained: (name) => name.startsWith('G/') || name.startsWith('Gs/'),
    });
    const errors = {
      dLoss,
      dWeights: dStep.weights / lr,
      dUntrained: dStep.untrained,
      gLoss,
      gWeights: gStep.weights / lr,
      gNoise: gStep.noise / lr,
      gUntrained: gStep.untrained,
    };
    report('stylegan step', errors);
    expect(dLoss).toBeLessThan(1e-4);
    expect(gLoss).toBeLessThan(1e-4);
    expect(errors.dWeights).toBeLessThan(1e-3);
    expect(errors.gWeights).toBeLessThan(1e-3);
    expect(errors.gNoise).toBeLessThan(NOISE_LIMIT);
    expect(dStep.untrained).toBe(0);
    expect(gStep.untrained).toBe(0);
    tf.dispose([dLosses, gLosses, real, draws.z1, draws.z2, ...draws.noise]);
    tf.dispose([...before.values(), ...between.values()]);
    model.dispose();
  });

  // What one step cannot show: Adam's moments and bias corrections at t = 2..5, w_avg's and
  // G_ema's running averages, and draws with and without mixing, as five loop iterations.
  it('runs five iterations of the loop as the twin', async () => {
    const { model, variables, draws, real } = build();
    tf.dispose([model.trainD(real, draws), model.trainG(draws)]);
    tf.dispose([real]);
    disposeDraws(draws);
    const lossErrors: number[] = [];
    for (const step of fixture.trajectory.iterations) {
      const reals = decode(step.real) as tf.Tensor4D;
      const d = decodeDraws(step.D);
      const g = decodeDraws(step.G);
      const losses = tf.concat([model.trainD(reals, d), model.trainG(g)]);
      lossErrors.push(await lossError(losses as tf.Tensor1D, step.losses));
      tf.dispose([losses, reals]);
      disposeDraws(d);
      disposeDraws(g);
    }
    // Error in units of lr beyond 8 ulps of the weight: five steps of float32 rounding, which
    // for the mapping's weights (stored at 1 / lrMul = 100 times their scale) is 0.03 lr each.
    const weights = new Map<string, number>();
    for (const [name, encoded] of Object.entries(fixture.trajectory.final)) {
      const excess = tf.tidy(() => {
        const reference = decode(encoded);
        const error = tf.abs(tf.sub(variables.get(name)!, reference));
        return tf.max(tf.relu(tf.sub(error, tf.mul(2 ** -20, tf.abs(reference))))).dataSync()[0]!;
      });
      weights.set(name, excess / config.lr);
    }
    const worst = (prefix: string) =>
      Math.max(...[...weights].filter(([n]) => n.startsWith(prefix)).map(([, e]) => e));
    const errors = {
      loss: Math.max(...lossErrors),
      D: worst('D/'),
      G: worst('G/'),
      Gs: worst('Gs/'),
      wAvg: weights.get('G/dlatent_avg')!,
    };
    report('stylegan trajectory', errors);
    expect(errors.loss).toBeLessThan(1e-4);
    for (const key of ['D', 'G', 'Gs', 'wAvg'] as const)
      expect(errors[key], key).toBeLessThan(0.01);
    model.dispose();
  });
});
