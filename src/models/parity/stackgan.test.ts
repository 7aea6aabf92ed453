/**
 * Parity of StackGAN++ with a PyTorch twin of hanzhanggit/StackGAN-v2's model.py and
 * trainer.py (issue 17), in the text-conditional and the unconditional mode: G's three stages,
 * mu and logvar, each D's logits, and one whole iteration (G's forward pass, every D's Adam
 * step, G's Adam step with KL and colour consistency). Fixture:
 * scripts/reference/make_fixtures_stackgan.py.
 */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/random';
import { StackGan, type StackGanBatch } from '../stackgan';
import { STACKGAN_DEFAULTS, type StackGanConfig } from '../stackgan.config';
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

interface Case {
  readonly config: Partial<StackGanConfig>;
  readonly weights: EncodedMap;
  readonly inputs: {
    reals: Encoded[];
    wrongs: Encoded[] | null;
    z: Encoded;
    text: Encoded | null;
    eps: Encoded | null;
  };
  readonly forward: {
    images: Encoded[];
    mu: Encoded | null;
    logvar: Encoded | null;
    D: Encoded[][];
  };
  readonly iteration: StepRecord;
}

const fixture = readFixture<{ cases: Record<string, Case> }>('stackgan');

describe('StackGAN++ matches its PyTorch twin', () => {
  it.each(Object.entries(fixture.cases))(
    '%s: forward, losses and one iteration',
    async (mode, c) => {
      const config: StackGanConfig = { ...STACKGAN_DEFAULTS, ...c.config };
      const maybe = (e: Encoded | null) => (e ? (decode(e) as tf.Tensor2D) : null);
      const batch: StackGanBatch = {
        reals: c.inputs.reals.map((e) => decode(e) as tf.Tensor4D),
        wrongs: c.inputs.wrongs?.map((e) => decode(e) as tf.Tensor4D) ?? null,
        z: decode(c.inputs.z) as tf.Tensor2D,
        text: maybe(c.inputs.text),
        eps: maybe(c.inputs.eps),
      };
      const errors: Record<string, number> = {};

      for (const step of ['forward', 'iteration'] as const) {
        const model = new StackGan(config, new Rng(1));
        const variables = variablesOf(model.paramsG, ...model.paramsD);
        expect([...variables.keys()].sort()).toEqual(Object.keys(c.weights).sort());
        assign(variables, c.weights);
        if (step === 'forward') {
          tf.tidy(() => {
            const { images, mu, logvar } = model.G(batch.z, batch.text, batch.eps);
            errors.images = Math.max(...images.map((x, i) => maxAbsDiff(x, c.forward.images[i]!)));
            if (mu && logvar) {
              errors.mu = maxAbsDiff(mu, c.forward.mu!);
              errors.logvar = maxAbsDiff(logvar, c.forward.logvar!);
            }
            // The reference's D ends in a sigmoid; ours returns the logit.
            errors.D = Math.max(
              ...model.D.map((D, i) => {
                const out = D(batch.reals[i]!, mu);
                const ours = out.cond ? [out.cond, out.uncond] : [out.uncond];
                return Math.max(
                  ...ours.map((o, k) => maxAbsDiff(tf.sigmoid(o), c.forward.D[i]![k]!)),
                );
              }),
            );
          });
        } else {
          const before = snapshot(variables);
          const { d, g } = model.train(batch, { d: true, g: true });
          const losses = tf.concat([...d!, g!]) as tf.Tensor1D;
          errors.losses = await lossError(losses, c.iteration.losses);
          const after = compareAfterStep(variables, before, c.iteration.after, {
            trained: () => true,
          });
          const lr = config.lrG;
          errors['step/lr'] = after.weights / lr;
          errors['stepRaw/lr'] = after.weightsRaw / lr;
          errors['noise/lr'] = after.noise / lr;
          errors.running = after.running;
          tf.dispose([losses, ...d!, g!, ...before.values()]);
        }
        model.dispose();
      }
      report(`stackgan ${mode}`, errors);
      tf.dispose([...batch.reals, ...(batch.wrongs ?? []), batch.z]);
      tf.dispose([batch.text, batch.eps].filter((t): t is tf.Tensor2D => t !== null));

      for (const key of ['images', 'mu', 'logvar', 'D', 'losses', 'running']) {
        if (key in errors) expect(errors[key], key).toBeLessThan(1e-4);
      }
      expect(errors['step/lr']).toBeLessThan(1e-3);
      expect(errors['noise/lr']).toBeLessThan(NOISE_LIMIT);
    },
  );
});
