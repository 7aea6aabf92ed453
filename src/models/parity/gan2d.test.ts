/**
 * Parity of the 2D GAN with PyTorch twins of its MLPs (issue 13), for each loss with its
 * preset optimiser: loss terms to 1e-4 and one step of each network to 1e-3 of lr (RMSprop
 * for the clipped critic, Adam otherwise). Fixture: scripts/reference/make_fixtures.py.
 */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/random';
import { Gan2d } from '../gan2d';
import { GAN2D_DEFAULTS, type Gan2dConfig, WGAN_CLIP } from '../gan2d.config';
import {
  assign,
  compareAfterStep,
  decode,
  type Encoded,
  type EncodedMap,
  lossError,
  NOISE_LIMIT,
  readFixture,
  report,
  type StepRecord,
  snapshot,
  variablesOf,
} from './fixture';

interface Gan2dCase {
  readonly config: Partial<Gan2dConfig>;
  readonly weights: EncodedMap;
  readonly inputs: { real: Encoded; z: Encoded; zG: Encoded; alpha: Encoded };
  readonly steps: { D: StepRecord; G: StepRecord };
}

const fixture = readFixture<{ cases: Record<string, Gan2dCase> }>('gan2d');

describe('the 2D GAN matches its PyTorch twin', () => {
  it.each(Object.keys(fixture.cases))(
    '%s: loss terms and one step of each network',
    async (key) => {
      const testCase = fixture.cases[key]!;
      const config: Gan2dConfig = { ...GAN2D_DEFAULTS, ...testCase.config };
      const [real, z, zG, alpha] = [
        testCase.inputs.real,
        testCase.inputs.z,
        testCase.inputs.zG,
        testCase.inputs.alpha,
      ].map((e) => decode(e) as tf.Tensor2D) as [
        tf.Tensor2D,
        tf.Tensor2D,
        tf.Tensor2D,
        tf.Tensor2D,
      ];
      const errors: Record<string, number> = {};
      for (const step of ['D', 'G'] as const) {
        const model = new Gan2d(config, new Rng(1));
        const variables = variablesOf(model.paramsG, model.paramsD);
        expect([...variables.keys()].sort()).toEqual(Object.keys(testCase.weights).sort());
        assign(variables, testCase.weights);
        const record = testCase.steps[step];
        assign(variables, record.start);
        const before = snapshot(variables);
        const losses = step === 'D' ? model.trainD(real, z, alpha) : model.trainG(zG);
        errors[`loss${step}`] = await lossError(losses, record.losses);
        const clipped = config.loss === 'wasserstein' && step === 'D';
        const after = compareAfterStep(variables, before, record.after, {
          trained: (name) => name.startsWith(`${step}/`),
          // WGAN clips the critic after its step; the reference clamps before the next one.
          expected: (_, value) => (clipped ? tf.clipByValue(value, -WGAN_CLIP, WGAN_CLIP) : value),
        });
        const lr = step === 'D' ? config.lrD : config.lrG;
        errors[`step${step}/lr`] = after.weights / lr;
        errors[`noise${step}/lr`] = after.noise / lr;
        errors[`noise${step}Count`] = after.noiseCount;
        errors[`untrained${step}`] = after.untrained;
        tf.dispose([losses, ...before.values()]);
        model.dispose();
      }
      tf.dispose([real, z, zG, alpha]);
      report(`gan2d ${key}`, errors);
      expect(errors.lossD).toBeLessThan(1e-4);
      expect(errors.lossG).toBeLessThan(1e-4);
      expect(errors['stepD/lr']).toBeLessThan(1e-3);
      expect(errors['stepG/lr']).toBeLessThan(1e-3);
      expect(errors['noiseD/lr']).toBeLessThan(NOISE_LIMIT);
      expect(errors['noiseG/lr']).toBeLessThan(NOISE_LIMIT);
      expect(errors.untrainedD).toBe(0);
      expect(errors.untrainedG).toBe(0);
    },
  );
});
