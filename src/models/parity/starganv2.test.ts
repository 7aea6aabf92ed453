/**
 * Parity of StarGAN v2 with a PyTorch twin of clovaai/stargan-v2 (issue 14): G, F, E and D
 * forward, every loss term of the reference iteration's four steps (D latent, D reference,
 * G latent, G reference), one Adam step with L2 weight decay of each network those steps
 * update (and none of the others), and the EMA update; then four more loop iterations from
 * there, with lambda_ds decaying, to the weights of every network and EMA copy at the end.
 * Fixture: scripts/reference/make_fixtures_starganv2.py.
 */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/random';
import { StarGanV2, type StarGanV2Batch, type StyleSource } from '../starganv2';
import { lambdaDsAt, STARGANV2_DEFAULTS, type StarGanV2Config } from '../starganv2.config';
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

interface StarGanV2Fixture {
  readonly config: Partial<StarGanV2Config>;
  readonly numDomains: number;
  readonly lambdaDs: number;
  readonly weights: EncodedMap;
  readonly inputs: Record<keyof StarGanV2Batch, Encoded>;
  readonly forward: { F: Encoded; E: Encoded; G: Encoded; D: Encoded };
  readonly steps: Record<'D_latent' | 'D_ref' | 'G_latent' | 'G_ref' | 'ema', StepRecord>;
  /** Iterations 1 to 4 of the loop after `steps`, then every variable at the end. */
  readonly trajectory: {
    readonly dsIter: number;
    readonly iterations: {
      inputs: Record<keyof StarGanV2Batch, Encoded>;
      lambdaDs: number;
      losses: number[];
    }[];
    readonly final: EncodedMap;
  };
}

const fixture = readFixture<StarGanV2Fixture>('starganv2');
const config: StarGanV2Config = { ...STARGANV2_DEFAULTS, ...fixture.config };

const decodeBatch = (inputs: Record<keyof StarGanV2Batch, Encoded>) =>
  Object.fromEntries(
    Object.entries(inputs).map(([k, v]) => [k, decode(v)]),
  ) as unknown as StarGanV2Batch;

const STEPS = [
  { name: 'D_latent', network: 'D', source: 'latent', trains: ['D'] },
  { name: 'D_ref', network: 'D', source: 'ref', trains: ['D'] },
  { name: 'G_latent', network: 'G', source: 'latent', trains: ['G', 'F', 'E'] },
  { name: 'G_ref', network: 'G', source: 'ref', trains: ['G'] },
] as const;

/**
 * G's conv biases whose every path to the output meets an instance norm (all but to_rgb's):
 * their true gradient is 0, PyTorch's float64 one about 1e-13 (a step of 1e-5 lr, since Adam
 * divides by |g| + 1e-8), ours float32 rounding noise of about 1e-8 (a step of up to lr). They
 * are checked as noise: the reference hardly moves them, and ours move at most lr.
 */
const INSTANCE_NORMED_BIAS = /^G\/(from_rgb|encode\.\d+\.conv\d|decode\.\d+\.conv\d)\/b$/;

function normedBiasNoise(
  live: ReadonlyMap<string, tf.Variable>,
  before: ReadonlyMap<string, tf.Tensor>,
  after: EncodedMap,
): number {
  let worst = 0;
  for (const [name, variable] of live) {
    if (!INSTANCE_NORMED_BIAS.test(name)) continue;
    const start = before.get(name)!;
    tf.tidy(() => {
      const reference = after[name] ? decode(after[name]) : start;
      // The reference's own move must be negligible for this to be noise.
      expect(tf.max(tf.abs(tf.sub(reference, start))).dataSync()[0]!, name).toBeLessThan(1e-9);
      worst = Math.max(worst, tf.max(tf.abs(tf.sub(variable, start))).dataSync()[0]!);
    });
  }
  return worst;
}

describe('StarGAN v2 matches its PyTorch twin', () => {
  it('forward, the four steps of an iteration with their loss terms, and the EMA', async () => {
    const batch = decodeBatch(fixture.inputs);
    const model = new StarGanV2(config, fixture.numDomains, new Rng(1));
    const live = variablesOf(model.paramsG, model.paramsF, model.paramsE, model.paramsD);
    const all = variablesOf(
      model.paramsG,
      model.paramsF,
      model.paramsE,
      model.paramsD,
      model.paramsGEma,
      model.paramsFEma,
      model.paramsEEma,
    );
    expect([...live.keys()].sort()).toEqual(Object.keys(fixture.weights).sort());
    const errors: Record<string, number> = {};

    assign(live, fixture.weights);
    tf.tidy(() => {
      const sLatent = model.F(batch.zTrg, batch.yTrg);
      errors.forwardF = maxAbsDiff(sLatent, fixture.forward.F);
      errors.forwardE = maxAbsDiff(model.E(batch.xRef, batch.yTrg), fixture.forward.E);
      errors.forwardG = maxAbsDiff(model.G(batch.xReal, sLatent), fixture.forward.G);
      errors.forwardD = maxAbsDiff(model.D(batch.xReal, batch.yOrg), fixture.forward.D);
    });

    for (const step of STEPS) {
      const record = fixture.steps[step.name];
      assign(live, fixture.weights);
      assign(live, record.start);
      const before = snapshot(live);
      const losses =
        step.network === 'D'
          ? model.trainD(batch, step.source as StyleSource)
          : model.trainG(batch, step.source as StyleSource, fixture.lambdaDs);
      errors[`loss ${step.name}`] = await lossError(losses, record.losses);
      const lr = (name: string) => (name.startsWith('F') ? config.fLr : config.lr);
      let small = 0;
      const after = compareAfterStep(live, before, record.after, {
        trained: (name) => step.trains.some((net) => name.startsWith(`${net}/`)),
        ignore: (name) => step.network === 'G' && INSTANCE_NORMED_BIAS.test(name),
        // Adam's first step is lr g / (|g| + 1e-8): where |g| is below about 1e-6 (a step
        // under 0.99 lr), float32's rounding of g shows in the step. Those entries are held
        // to a looser bound below, the rest to the strict one.
        expected: (name, reference) => {
          const start = before.get(name)!;
          const variable = live.get(name)!;
          const move = tf.abs(tf.sub(reference, start));
          const ill = tf.logicalAnd(tf.greater(move, 0), tf.less(move, 0.99 * lr(name)));
          const error = tf.where(ill, tf.abs(tf.sub(variable, reference)), tf.zerosLike(move));
          small = Math.max(small, tf.max(error).dataSync()[0]! / lr(name));
          return tf.where(ill, variable, reference);
        },
      });
      errors[`small-gradient ${step.name}/lr`] = small;
      errors[`step ${step.name}/lr`] = after.weights / lr(step.trains[0]);
      errors[`noise ${step.name}/lr`] =
        Math.max(after.noise, normedBiasNoise(live, before, record.after)) / lr(step.trains[0]);
      errors[`untrained ${step.name}`] = after.untrained;
      tf.dispose([losses, ...before.values()]);
    }

    // The EMA: copies start at the initial weights, live ones where G_ref left them.
    const ema = fixture.steps.ema;
    model.resetEma();
    assign(all, fixture.weights);
    model.resetEma();
    assign(all, ema.start);
    const before = snapshot(all);
    model.updateEma();
    const after = compareAfterStep(all, before, ema.after, {
      trained: (name) => name.includes('_ema/'),
    });
    errors.ema = after.weightsRaw;
    errors.emaUntouched = after.untrained;
    tf.dispose([...before.values(), ...Object.values(batch)]);
    model.dispose();
    report('starganv2', errors);

    for (const key of ['forwardF', 'forwardE', 'forwardG', 'forwardD']) {
      expect(errors[key], key).toBeLessThan(1e-4);
    }
    for (const step of STEPS) {
      expect(errors[`loss ${step.name}`], step.name).toBeLessThan(1e-4);
      expect(errors[`step ${step.name}/lr`], step.name).toBeLessThan(1e-3);
      expect(errors[`small-gradient ${step.name}/lr`], step.name).toBeLessThan(0.05);
      // Adam's second step can reach sqrt(1.99) lr with beta2 0.99 when g grows 10-fold.
      expect(errors[`noise ${step.name}/lr`], step.name).toBeLessThan(
        step.name === 'G_ref' ? Math.sqrt(1.99) : NOISE_LIMIT,
      );
      expect(errors[`untrained ${step.name}`], step.name).toBe(0);
    }
    expect(errors.ema).toBeLessThan(1e-6);
    expect(errors.emaUntouched).toBe(0);
  });

  // What one iteration cannot show: Adam's moments and bias corrections at t > 1 with weight
  // decay, the EMA's accumulation, and lambda_ds as the loop decays it, over four iterations
  // with other domains, sources, references and latents.
  it('runs four more iterations of the loop as the twin', async () => {
    const model = new StarGanV2(config, fixture.numDomains, new Rng(1));
    const all = variablesOf(
      model.paramsG,
      model.paramsF,
      model.paramsE,
      model.paramsD,
      model.paramsGEma,
      model.paramsFEma,
      model.paramsEEma,
    );
    assign(
      variablesOf(model.paramsG, model.paramsF, model.paramsE, model.paramsD),
      fixture.weights,
    );
    model.resetEma();
    const { dsIter, iterations, final } = fixture.trajectory;
    expect(Object.keys(final).sort()).toEqual([...all.keys()].sort());
    const lossErrors: number[] = [];
    const schedule: number[] = [];
    // G's error after the first iteration (against the twin's weights then), to tell what the
    // next four add to it.
    const carried = new Map<string, tf.Tensor>();
    for (let i = 0; i <= iterations.length; i++) {
      const step = iterations[i - 1];
      const batch = decodeBatch(step ? step.inputs : fixture.inputs);
      // As the experiment's step(): one batch through the four steps, then the EMA.
      const lambdaDs = lambdaDsAt(fixture.lambdaDs, i, dsIter);
      const losses = tf.concat([
        model.trainD(batch, 'latent'),
        model.trainD(batch, 'ref'),
        model.trainG(batch, 'latent', lambdaDs),
        model.trainG(batch, 'ref', lambdaDs),
      ]) as tf.Tensor1D;
      model.updateEma();
      if (step) {
        schedule.push(Math.abs(lambdaDs - step.lambdaDs));
        lossErrors.push(await lossError(losses, step.losses));
      } else {
        for (const [name, variable] of model.paramsG.named()) {
          const twin = fixture.steps.ema.start[name] ?? fixture.weights[name]!;
          carried.set(
            name,
            tf.tidy(() => tf.abs(tf.sub(variable, decode(twin)))),
          );
        }
      }
      tf.dispose([losses, ...Object.values(batch)]);
    }

    // Errors in units of lr beyond 2^-20 |w| (eight ulps: float32 rounding over the steps).
    const lr = (name: string) => (name.startsWith('F') ? config.fLr : config.lr);
    const excess = new Map<string, number>();
    let addedG = 0;
    for (const [name, encoded] of Object.entries(final)) {
      tf.tidy(() => {
        const reference = decode(encoded);
        const error = tf.sub(
          tf.abs(tf.sub(all.get(name)!, reference)),
          tf.mul(2 ** -20, tf.abs(reference)),
        );
        excess.set(name, tf.max(tf.relu(error)).dataSync()[0]! / lr(name));
        const before = carried.get(name);
        if (before && !INSTANCE_NORMED_BIAS.test(name)) {
          const added = tf.max(tf.relu(tf.sub(error, before))).dataSync()[0]! / lr(name);
          addedG = Math.max(addedG, added);
        }
      });
    }
    tf.dispose([...carried.values()]);
    const normed = (name: string) => INSTANCE_NORMED_BIAS.test(name.replace('G_ema/', 'G/'));
    const worst = (scope: string, noise: boolean) =>
      Math.max(
        ...[...excess]
          .filter(([n]) => n.startsWith(`${scope}/`) && normed(n) === noise)
          .map(([, e]) => e),
      );
    const errors: Record<string, number> = {
      schedule: Math.max(...schedule),
      loss: Math.max(...lossErrors),
    };
    for (const scope of ['D', 'G', 'F', 'E', 'G_ema', 'F_ema', 'E_ema']) {
      errors[`${scope}/lr`] = worst(scope, false);
    }
    errors['G added/lr'] = addedG;
    errors['normed bias G/lr'] = worst('G', true);
    errors['normed bias G_ema/lr'] = worst('G_ema', true);
    report('starganv2 trajectory', errors);
    model.dispose();

    expect(errors.schedule).toBeLessThan(1e-12);
    expect(errors.loss).toBeLessThan(1e-4);
    for (const scope of ['D', 'F', 'E', 'G_ema', 'F_ema', 'E_ema']) {
      expect(errors[`${scope}/lr`], scope).toBeLessThan(1e-3);
    }
    // G carries the first step's small-gradient error (one entry of decode.1.conv2/W, 0.02 lr,
    // bounded at 0.05 above); the four iterations after it add 0.001 lr at most.
    expect(errors['G/lr']).toBeLessThan(0.05);
    expect(errors['G added/lr']).toBeLessThan(5e-3);
    // The instance-normed biases: with a zero loss gradient, Adam's step on the decay term alone
    // is lr wd w / 1e-8 = 10 w, so each G step maps w to -9 w and rounding noise (1e-16 in the
    // twin's float64, 1e-8 in our float32) grows to the scale of lr in both, with its own signs.
    // (At the default lr 1e-4 the map is w -> 0.) They change no output; what is checked is
    // that they stay at that scale.
    expect(errors['normed bias G/lr']).toBeLessThan(4);
    expect(errors['normed bias G_ema/lr']).toBeLessThan(0.01);
  });
});
