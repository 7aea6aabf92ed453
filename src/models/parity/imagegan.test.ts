/**
 * Parity of the unconditional image GANs with PyTorch twins of their references (issue 13):
 * forward outputs and loss terms to 1e-4, one optimiser step to 1e-3 of the learning rate.
 * Fixtures: scripts/reference/make_fixtures.py.
 */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/random';
import { createImageGan } from '../imagegan';
import { IMAGE_GAN_DEFAULTS, type ImageGanConfig, type ImageGanVariant } from '../imagegan.config';
import type { ImageGan } from '../shared/imagegan';
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

interface ImageGanFixture {
  readonly config: Partial<ImageGanConfig>;
  readonly weights: EncodedMap;
  readonly inputs: { real: Encoded; z: Encoded; zG: Encoded; alpha?: Encoded };
  readonly forward: { G: Encoded; D: Encoded };
  readonly steps: { D: StepRecord; G: StepRecord };
  readonly clip?: number;
}

const FAMILIES: readonly { file: string; variant: ImageGanVariant }[] = [
  { file: 'gan', variant: 'gan' },
  { file: 'dcgan', variant: 'dcgan' },
  { file: 'wgan', variant: 'wgan' },
  { file: 'wgangp', variant: 'wgan-gp' },
];

function build(variant: ImageGanVariant, config: ImageGanConfig): ImageGan {
  return createImageGan({ ...config, variant }, new Rng(1));
}

/** The model's raw D (protected: the trainer never needs it), for the forward check. */
function discriminate(model: ImageGan, x: tf.Tensor4D): tf.Tensor {
  return (model as unknown as { D(x: tf.Tensor4D): tf.Tensor }).D(x);
}

/**
 * Known departures that move variables the reference leaves alone: our G step runs G again
 * on its latents, moving G's batch norm running averages a second time, where DCGAN's
 * reference reuses the D step's fake images.
 */
function ignoredAfter(variant: ImageGanVariant, step: 'D' | 'G') {
  return (name: string) => variant === 'dcgan' && step === 'G' && /^G\/.*running/.test(name);
}

describe('image GANs match their PyTorch twins', () => {
  for (const { file, variant } of FAMILIES) {
    it(`${variant}: forward, loss terms and one step of each network`, async () => {
      const fixture = readFixture<ImageGanFixture>(file);
      const config = { ...IMAGE_GAN_DEFAULTS[variant], ...fixture.config } as ImageGanConfig;
      const inputs = {
        real: decode(fixture.inputs.real) as tf.Tensor4D,
        z: decode(fixture.inputs.z) as tf.Tensor2D,
        zG: decode(fixture.inputs.zG) as tf.Tensor2D,
        alpha: (fixture.inputs.alpha
          ? decode(fixture.inputs.alpha)
          : tf.fill([config.batchSize, 1, 1, 1], 0.5)) as tf.Tensor4D,
      };
      const errors: Record<string, number> = {};

      // The same variables, by name and shape, as the reference's state_dict.
      const probe = build(variant, config);
      const names = [...variablesOf(probe.paramsG, probe.paramsD).keys()].sort();
      expect(names).toEqual(Object.keys(fixture.weights).sort());
      probe.dispose();

      for (const step of ['forward', 'D', 'G'] as const) {
        const model = build(variant, config);
        const variables = variablesOf(model.paramsG, model.paramsD);
        assign(variables, fixture.weights);
        if (step === 'forward') {
          const fake = model.G(inputs.z);
          const scores = discriminate(model, inputs.real);
          errors.forwardG = maxAbsDiff(fake, fixture.forward.G);
          errors.forwardD = maxAbsDiff(scores, fixture.forward.D);
          tf.dispose([fake, scores]);
        } else {
          const record = fixture.steps[step];
          assign(variables, record.start);
          const before = snapshot(variables);
          const losses =
            step === 'D'
              ? model.trainD(inputs.real, inputs.z, inputs.alpha)
              : model.trainG(inputs.zG);
          errors[`loss${step}`] = await lossError(losses, record.losses);
          const clip = fixture.clip;
          const after = compareAfterStep(variables, before, record.after, {
            trained: (name) => name.startsWith(`${step}/`),
            ignore: ignoredAfter(variant, step),
            // WGAN clips the critic after its step; the reference clamps before the next one.
            expected: (name, value) =>
              clip !== undefined && step === 'D' && !name.includes('running')
                ? tf.clipByValue(value, -clip, clip)
                : value,
          });
          const lr = step === 'D' ? config.lrD : config.lrG;
          errors[`step${step}/lr`] = after.weights / lr;
          errors[`step${step}Raw/lr`] = after.weightsRaw / lr;
          errors[`noise${step}/lr`] = after.noise / lr;
          errors[`noise${step}Count`] = after.noiseCount;
          errors[`running${step}`] = after.running;
          errors[`untrained${step}`] = after.untrained;
          tf.dispose([losses, ...before.values()]);
        }
        model.dispose();
      }
      tf.dispose(Object.values(inputs));
      report(variant, errors);

      expect(errors.forwardG).toBeLessThan(1e-4);
      expect(errors.forwardD).toBeLessThan(1e-4);
      expect(errors.lossD).toBeLessThan(1e-4);
      expect(errors.lossG).toBeLessThan(1e-4);
      expect(errors['stepD/lr']).toBeLessThan(1e-3);
      expect(errors['stepG/lr']).toBeLessThan(1e-3);
      expect(errors['noiseD/lr']).toBeLessThan(NOISE_LIMIT);
      expect(errors['noiseG/lr']).toBeLessThan(NOISE_LIMIT);
      expect(errors.runningD).toBeLessThan(1e-4);
      expect(errors.runningG).toBeLessThan(1e-4);
      expect(errors.untrainedD).toBe(0);
      expect(errors.untrainedG).toBe(0);
    });
  }
});
