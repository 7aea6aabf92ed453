/**
 * The parity run the translation families share (Pix2Pix, CycleGAN, UNIT): their fixtures
 * (scripts/reference/make_fixtures_translation.py) hold initial weights, inputs, forward outputs
 * and one step per optimiser group; each family names what to compare and how to run a step.
 */
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import type { Params } from '../shared/params';
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

export interface TranslationFixture<C> {
  readonly config: Partial<C>;
  readonly weights: EncodedMap;
  readonly inputs: Readonly<Record<string, Encoded>>;
  readonly forward: Readonly<Record<string, Encoded>>;
  readonly steps: Readonly<Record<string, StepRecord>>;
}

type Inputs = Readonly<Record<string, tf.Tensor4D>>;

export interface TranslationParity<C, M> {
  /** The fixture's name: src/models/parity/fixtures/<family>.json. */
  readonly family: string;
  readonly defaults: C;
  readonly build: (config: C) => M;
  readonly params: (model: M) => Params[];
  readonly dispose: (model: M) => void;
  /** Our outputs for each of the fixture's forward entries, by the same name. */
  readonly forward: (model: M, inputs: Inputs) => Readonly<Record<string, tf.Tensor>>;
  /** The steps in the fixture's order; each returns its loss terms. */
  readonly steps: Readonly<Record<string, (model: M, inputs: Inputs) => tf.Tensor1D>>;
  /** Which variables a step trains, by name. */
  readonly trained: (step: string, name: string) => boolean;
  /**
   * Biases of convolutions that instance norm follows: their gradient is zero, so their float64
   * step is rounding noise that can cross one float32 step of the weight, and ours float32 noise
   * up to lr. They are held to the noise bound, not the step bound.
   */
  readonly normedBias?: (name: string) => boolean;
}

/** Runs forward and every step against the fixture; returns the errors by name, all asserted. */
export async function checkTranslationParity<C extends { readonly lr: number }, M>(
  spec: TranslationParity<C, M>,
): Promise<Record<string, number>> {
  const fixture = readFixture<TranslationFixture<C>>(spec.family);
  const config: C = { ...spec.defaults, ...fixture.config };
  const inputs = Object.fromEntries(
    Object.entries(fixture.inputs).map(([k, v]) => [k, decode(v) as tf.Tensor4D]),
  );
  const errors: Record<string, number> = {};
  const stepNames = Object.keys(spec.steps);
  for (const step of ['forward', ...stepNames]) {
    const model = spec.build(config);
    const variables = variablesOf(...spec.params(model));
    if (step === 'forward') {
      expect([...variables.keys()].sort()).toEqual(Object.keys(fixture.weights).sort());
    }
    assign(variables, fixture.weights);
    if (step === 'forward') {
      tf.tidy(() => {
        const ours = spec.forward(model, inputs);
        expect(Object.keys(ours).sort()).toEqual(Object.keys(fixture.forward).sort());
        for (const [name, value] of Object.entries(ours)) {
          errors[`forward ${name}`] = maxAbsDiff(value, fixture.forward[name]!);
        }
      });
    } else {
      const record = fixture.steps[step]!;
      assign(variables, record.start);
      const before = snapshot(variables);
      const losses = spec.steps[step]!(model, inputs);
      errors[`loss${step}`] = await lossError(losses, record.losses);
      const trained = (name: string) => spec.trained(step, name);
      const normed = spec.normedBias;
      const after = compareAfterStep(variables, before, record.after, { trained, ignore: normed });
      let noise = after.noise;
      if (normed) {
        const biases = compareAfterStep(variables, before, record.after, {
          trained,
          ignore: (name) => !normed(name),
        });
        noise = Math.max(noise, biases.noise, biases.weightsRaw);
      }
      errors[`step${step}/lr`] = after.weights / config.lr;
      errors[`noise${step}/lr`] = noise / config.lr;
      errors[`untrained${step}`] = after.untrained;
      tf.dispose([losses, ...before.values()]);
    }
    spec.dispose(model);
  }
  tf.dispose(Object.values(inputs));
  report(spec.family, errors);
  for (const [key, value] of Object.entries(errors)) {
    if (key.startsWith('forward') || key.startsWith('loss')) expect(value, key).toBeLessThan(1e-4);
  }
  for (const step of stepNames) {
    expect(errors[`step${step}/lr`], step).toBeLessThan(1e-3);
    expect(errors[`noise${step}/lr`], step).toBeLessThan(NOISE_LIMIT);
    expect(errors[`untrained${step}`], step).toBe(0);
  }
  return errors;
}
