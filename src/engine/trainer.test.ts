import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { GAN2D_DEFAULTS } from '../models/gan2d.config';
import type { ExperimentConfig, NoticeLevel } from '../protocol/messages';
import { buildExperiment } from '../test/tinyConfigs';
import { until } from '../test/until';
import { type ProgressUpdate, Trainer } from './trainer';

const config: ExperimentConfig = { kind: 'gan2d', seed: 1, model: GAN2D_DEFAULTS };

function recordingTrainer(now?: () => number) {
  const updates: ProgressUpdate[] = [];
  const notices: { level: NoticeLevel; message: string }[] = [];
  const trainer = new Trainer(
    {
      experiment: () => {},
      progress: (update) => updates.push(update),
      notice: (level, message) => notices.push({ level, message }),
    },
    buildExperiment,
    now,
  );
  return { trainer, updates, notices };
}

describe('Trainer', () => {
  it('measures costly quality figures apart: after the first frame, then on their own cadence', async () => {
    let clock = 0;
    const measuredAt: number[] = [];
    const updates: ProgressUpdate[] = [];
    const trainer = new Trainer(
      { experiment: () => {}, progress: (u) => updates.push(u), notice: () => {} },
      async (c) => {
        const experiment = await buildExperiment(c);
        const decodeFrame = experiment.decodeFrame.bind(experiment);
        // The 2D GAN's figures, moved out of its frames as a costly family's are.
        return Object.assign(experiment, {
          decodeFrame: (values: Float32Array, step: number) => ({
            ...decodeFrame(values, step),
            quality: null,
          }),
          qualityTensor: () => tf.tensor1d([measuredAt.push(trainer.step)]),
          decodeQuality: (values: Float32Array) => [values[0]!, 0, 0],
        });
      },
      () => clock,
    );
    trainer.setLive({ maxStepsPerSecond: 0, metricsEvery: 1 });
    await trainer.reset(config);
    expect(updates.at(-1)?.frame?.step).toBe(0);
    await until(() => updates.some((u) => u.quality !== null));
    expect(updates.find((u) => u.quality)?.quality).toEqual({ step: 0, values: [1, 0, 0] });

    trainer.play();
    await until(() => trainer.step >= 20);
    expect(measuredAt).toEqual([0]); // no time has passed on the trainer's clock
    clock = 5000;
    await until(() => measuredAt.length === 2);
    await until(() => trainer.step >= measuredAt[1]! + 5);
    await trainer.pause();
    await until(() => measuredAt.length === 3); // the paused weights' own figures
    expect(measuredAt[2]).toBe(trainer.step);
    expect(updates.at(-1)?.quality?.step).toBe(trainer.step);
    await trainer.dispose();
  });

  it('starts at step 0 with a frame of the untrained model', async () => {
    const { trainer, updates } = recordingTrainer();
    await trainer.reset(config);
    expect(updates.at(-1)).toMatchObject({ step: 0, running: false });
    expect(updates.at(-1)?.frame?.step).toBe(0);
    await trainer.dispose();
  });

  it('advances by exactly one per single step and sends that step’s losses', async () => {
    const { trainer, updates } = recordingTrainer();
    await trainer.reset(config);
    await trainer.stepOnce('both');
    await trainer.stepOnce('D');
    expect(trainer.step).toBe(2);
    const last = updates.at(-1)!;
    expect(Array.from(last.points.steps)).toEqual([2]);
    expect(Number.isNaN(last.points.values[2])).toBe(true);
    expect(last.frame?.step).toBe(2);
    await trainer.dispose();
  });

  it('runs a single step that arrives while a reset is still building the experiment', async () => {
    const { trainer } = recordingTrainer();
    const resetting = trainer.reset(config);
    const stepping = trainer.stepOnce('both');
    await Promise.all([resetting, stepping]);
    expect(trainer.step).toBe(1);
    await trainer.dispose();
  });

  it('plays, sends only new chart points, pauses and stays paused', async () => {
    const { trainer, updates } = recordingTrainer();
    trainer.setLive({ maxStepsPerSecond: 0, metricsEvery: 5 });
    await trainer.reset(config);
    trainer.play();
    await until(() => trainer.step >= 40);
    await trainer.pause();
    const stoppedAt = trainer.step;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(trainer.step).toBe(stoppedAt);
    expect(updates.at(-1)).toMatchObject({ running: false, step: stoppedAt });
    const allSteps = updates.flatMap((u) => Array.from(u.points.steps));
    expect(new Set(allSteps).size).toBe(allSteps.length);
    // Read every 5 steps (metricsEvery), except the first steps, read while the device's
    // time per step is being measured.
    const gaps = allSteps.slice(1).map((s, i) => s - allSteps[i]!);
    expect(gaps.every((gap) => gap <= 5)).toBe(true);
    expect(gaps.filter((gap) => gap === 5).length).toBeGreaterThanOrEqual(gaps.length - 3);
    await trainer.dispose();
  });

  it('waits for a slow device every step, so a pause waits for one step at most', async () => {
    // A clock on which every step takes several hundred ms, as StarGAN on a software GPU.
    let time = 0;
    const { trainer, updates } = recordingTrainer(() => (time += 150));
    trainer.setLive({ maxStepsPerSecond: 0, metricsEvery: 10 });
    await trainer.reset(config);
    trainer.play();
    await until(() => trainer.step >= 12);
    await trainer.pause();
    const steps = updates.flatMap((u) => Array.from(u.points.steps));
    const gaps = steps.slice(1).map((s, i) => s - steps[i]!);
    expect(gaps.length).toBeGreaterThan(5);
    expect(gaps.every((gap) => gap === 1)).toBe(true);
    await trainer.dispose();
  });

  it('keeps the charts and training time with a saved run, and brings them back', async () => {
    const { trainer } = recordingTrainer();
    trainer.setLive({ maxStepsPerSecond: 0, metricsEvery: 2 });
    await trainer.reset(config);
    for (let i = 0; i < 6; i++) await trainer.stepOnce('both');
    const kept = trainer.runHistory();
    expect(kept.lossSteps).toEqual([1, 2, 3, 4, 5, 6]);
    expect(kept.losses).toHaveLength(6 * 3);
    expect(kept.qualitySteps.length).toBeGreaterThan(0);
    const { bytes } = await trainer.snapshot('full', 'history');
    const { trainer: resumed, updates } = recordingTrainer();
    await resumed.load(bytes);
    expect(resumed.runHistory()).toEqual(kept);
    expect(updates.at(-1)?.elapsedMs).toBe(kept.elapsedMs);
    // A generator-only file carries no history: training from it starts new charts.
    const { bytes: generator } = await trainer.snapshot('generator', 'g');
    await resumed.load(generator);
    expect(resumed.runHistory().lossSteps).toEqual([]);
    await trainer.dispose();
    await resumed.dispose();
  });

  it('respects the speed limit', async () => {
    const { trainer } = recordingTrainer();
    trainer.setLive({ maxStepsPerSecond: 20, metricsEvery: 1 });
    await trainer.reset(config);
    trainer.play();
    await new Promise((resolve) => setTimeout(resolve, 500));
    await trainer.pause();
    expect(trainer.step).toBeGreaterThan(0);
    expect(trainer.step).toBeLessThanOrEqual(11);
    await trainer.dispose();
  });

  it('resets to step 0 with the same initial weights for the same seed', async () => {
    const { trainer, updates } = recordingTrainer();
    await trainer.reset(config);
    const fakeOf = (update: ProgressUpdate | undefined) =>
      update?.frame?.kind === 'gan2d' ? update.frame.fake : null;
    const initial = fakeOf(updates.at(-1));
    expect(initial).not.toBeNull();
    await trainer.stepOnce('both');
    await trainer.reset(config);
    expect(trainer.step).toBe(0);
    expect(fakeOf(updates.at(-1))).toEqual(initial);
    await trainer.dispose();
  });

  it('pauses with a message when a loss turns NaN', async () => {
    const { trainer, notices } = recordingTrainer();
    trainer.setLive({ maxStepsPerSecond: 0, metricsEvery: 1 });
    const exploding: ExperimentConfig = {
      ...config,
      model: { ...GAN2D_DEFAULTS, optimizer: 'sgd', loss: 'leastSquares', lrG: 1e12, lrD: 1e12 },
    };
    await trainer.reset(exploding);
    trainer.play();
    await until(() => !trainer.isRunning);
    expect(notices.at(-1)?.level).toBe('error');
    expect(notices.at(-1)?.message).toMatch(/became NaN or infinite by step \d+/);
    await trainer.dispose();
  });

  it('keeps the tensor count flat while the loop runs', async () => {
    const { trainer } = recordingTrainer();
    trainer.setLive({ maxStepsPerSecond: 0, metricsEvery: 3 });
    await trainer.reset(config);
    await trainer.stepOnce('both');
    const before = tf.memory().numTensors;
    trainer.play();
    await until(() => trainer.step >= 60);
    await trainer.pause();
    expect(tf.memory().numTensors).toBe(before);
    await trainer.dispose();
  });
});
