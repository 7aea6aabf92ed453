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
import { gatherImages } from '../../data/labelledImages';
import { pyramid } from '../../families/stackgan/experiment';
import { copyWeights } from '../shared/ema';
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
  /**
   * Text mode: iterations 2 to 5, each a batch drawn from the pool of the first iteration's
   * finest reals and wrong reals (indices into their concatenation, mirrored where `flips`
   * says), then every variable at the end.
   */
  readonly trajectory?: {
    readonly iterations: {
      indices: number[];
      flips: boolean[];
      wrongIndices: number[];
      z: Encoded;
      text: Encoded;
      eps: Encoded;
      losses: number[];
    }[];
    readonly final: EncodedMap;
  };
}

const fixture = readFixture<{ cases: Record<string, Case> }>('stackgan');

function batchOf(c: Case): StackGanBatch {
  const maybe = (e: Encoded | null) => (e ? (decode(e) as tf.Tensor2D) : null);
  return {
    reals: c.inputs.reals.map((e) => decode(e) as tf.Tensor4D),
    wrongs: c.inputs.wrongs?.map((e) => decode(e) as tf.Tensor4D) ?? null,
    z: decode(c.inputs.z) as tf.Tensor2D,
    text: maybe(c.inputs.text),
    eps: maybe(c.inputs.eps),
  };
}

function disposeBatch(batch: StackGanBatch): void {
  const owned: (tf.Tensor | null)[] = [
    ...batch.reals,
    ...(batch.wrongs ?? []),
    batch.z,
    batch.text,
    batch.eps,
  ];
  tf.dispose(owned.filter((t): t is tf.Tensor => t !== null));
}

describe('StackGAN++ matches its PyTorch twin', () => {
  it.each(Object.entries(fixture.cases))(
    '%s: forward, losses and one iteration',
    async (mode, c) => {
      const config: StackGanConfig = { ...STACKGAN_DEFAULTS, ...c.config };
      const batch = batchOf(c);
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
      disposeBatch(batch);

      for (const key of ['images', 'mu', 'logvar', 'D', 'losses', 'running']) {
        if (key in errors) expect(errors[key], key).toBeLessThan(1e-4);
      }
      expect(errors['step/lr']).toBeLessThan(1e-3);
      expect(errors['noise/lr']).toBeLessThan(NOISE_LIMIT);
    },
  );

  // What one iteration cannot show: Adam's moments and bias corrections at t = 2..5, batch
  // norm's running averages over five iterations (four D passes and one G pass each) and the
  // weight average, on batches assembled as the experiment assembles them.
  it('text: five iterations of the loop as the twin', async () => {
    const c = fixture.cases.text!;
    const trajectory = c.trajectory!;
    const config: StackGanConfig = { ...STACKGAN_DEFAULTS, ...c.config };
    const model = new StackGan(config, new Rng(1));
    const variables = variablesOf(model.paramsG, model.paramsGema, ...model.paramsD);
    expect([...variables.keys()].sort()).toEqual(Object.keys(trajectory.final).sort());
    assign(variables, c.weights);
    // As a fresh run: the average starts as the live G (trainer.py's copy_G_params).
    copyWeights(model.paramsGema, model.paramsG);
    const first = batchOf(c);
    const { d, g } = model.train(first, { d: true, g: true });
    tf.dispose([...d!, g!]);
    disposeBatch(first);

    const poolTensor = tf.tidy(() =>
      tf.concat([decode(c.inputs.reals.at(-1)!), decode(c.inputs.wrongs!.at(-1)!)]),
    );
    const size = poolTensor.shape[1]!;
    const poolValues = poolTensor.dataSync() as Float32Array;
    const pixels = size * size * 3;
    const pool = {
      count: poolTensor.shape[0]!,
      size,
      labelNames: [],
      image: (i: number) => poolValues.subarray(i * pixels, (i + 1) * pixels),
      label: () => new Float32Array(0),
    };
    const stages = (indices: number[], flips?: boolean[]) =>
      pyramid(
        tf.tensor4d(gatherImages(pool, indices, flips).images, [indices.length, size, size, 3]),
        config.branches,
      );
    const lossErrors: number[] = [];
    for (const step of trajectory.iterations) {
      const batch: StackGanBatch = {
        reals: stages(step.indices, step.flips),
        wrongs: stages(step.wrongIndices),
        z: decode(step.z) as tf.Tensor2D,
        text: decode(step.text) as tf.Tensor2D,
        eps: decode(step.eps) as tf.Tensor2D,
      };
      const out = model.train(batch, { d: true, g: true });
      const losses = tf.concat([...out.d!, out.g!]) as tf.Tensor1D;
      lossErrors.push(await lossError(losses, step.losses));
      tf.dispose([losses, ...out.d!, out.g!]);
      disposeBatch(batch);
    }
    poolTensor.dispose();

    // Weights in units of lr beyond 8 ulps of the weight (five steps of float32 rounding);
    // running averages absolutely. Each update moves the average by (1 - decay) times its
    // distance from the live G, a few lr: within the live weights' rounding allowance, so it
    // is compared in units of (1 - decay) lr, beyond its own rounding (five updates and the
    // fixture's float32, each at most half an ulp: under 4 ulps).
    const averageStep = config.lrG * (1 - config.emaDecay);
    const errors: Record<string, number> = { losses: Math.max(...lossErrors) };
    const worse = (key: string, value: number) => {
      errors[key] = Math.max(errors[key] ?? 0, value);
    };
    for (const [name, encoded] of Object.entries(trajectory.final)) {
      tf.tidy(() => {
        const reference = decode(encoded);
        const error = tf.abs(tf.sub(variables.get(name)!, reference));
        const max = (t: tf.Tensor) => tf.max(t).dataSync()[0]!;
        const beyond = (ulps: number) =>
          max(tf.relu(tf.sub(error, tf.mul(ulps * 2 ** -23, tf.abs(reference)))));
        const net = name.split('/')[0]!;
        if (name.includes('running')) {
          worse('running', max(error));
        } else if (net === 'Gema') {
          const initial = decode(c.weights[name.replace('Gema/', 'G/')]!);
          worse('Gema/step', beyond(4) / averageStep);
          // How far the average moved: what the check above can tell from no averaging.
          worse('GemaMoved/step', max(tf.abs(tf.sub(reference, initial))) / averageStep);
        } else {
          const g = net === 'G';
          worse(g ? 'G/lr' : 'D/lr', beyond(8) / (g ? config.lrG : config.lrD));
        }
      });
    }
    report('stackgan text trajectory', errors);
    expect(errors.losses).toBeLessThan(1e-4);
    expect(errors['G/lr'], 'G').toBeLessThan(1e-3);
    expect(errors['D/lr'], 'D').toBeLessThan(1e-3);
    expect(errors['Gema/step'], 'Gema').toBeLessThan(0.01);
    expect(errors['GemaMoved/step'], 'the average moved').toBeGreaterThan(1);
    expect(errors.running, 'running').toBeLessThan(1e-4);
    model.dispose();
  });
});
