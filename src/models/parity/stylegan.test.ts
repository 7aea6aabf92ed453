/**
 * Parity of StyleGAN-lite with its PyTorch twin of NVlabs/stylegan (issue 16): the mapping
 * network, synthesis with mixed styles and noise, D (with minibatch stddev and blur), the D
 * step's loss terms (softplus + R1, second order) and Adam (0, 0.99) step, then the G step with
 * the tracked mean w and G_ema's average. Fixture: scripts/reference/make_fixtures_stylegan.py.
 */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/random';
import { mixStyles, StyleGan } from '../stylegan';
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

interface StyleGanFixture {
  readonly config: Partial<StyleGanConfig>;
  readonly crossover: number;
  readonly weights: EncodedMap;
  readonly inputs: { real: Encoded; z1: Encoded; z2: Encoded; noise: Encoded[] };
  readonly forward: { w: Encoded; images: Encoded; D: Encoded };
  readonly steps: Record<'D' | 'G', StepRecord>;
}

const fixture = readFixture<StyleGanFixture>('stylegan');
const config: StyleGanConfig = { ...STYLEGAN_DEFAULTS, ...fixture.config };

function build() {
  const model = new StyleGan(config, new Rng(1));
  const variables = variablesOf(model.G.params, model.Gs.params, model.paramsD);
  assign(variables, fixture.weights);
  const draws = {
    z1: decode(fixture.inputs.z1) as tf.Tensor2D,
    z2: decode(fixture.inputs.z2) as tf.Tensor2D,
    crossover: fixture.crossover,
    noise: fixture.inputs.noise.map((m) => decode(m) as tf.Tensor4D),
  };
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
});
