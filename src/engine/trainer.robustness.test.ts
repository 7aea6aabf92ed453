/**
 * Issue 19: a rejected import leaves a training run training; a diverged run's last state
 * reaches the page and never replaces the last finite autosave; a lost device's run is
 * abandoned without waiting on it and rebuilt from the last finite state.
 */
import 'fake-indexeddb/auto';
import * as tf from '@tensorflow/tfjs-core';
import { strToU8 } from 'fflate';
import { describe, expect, it, vi } from 'vitest';
import { readBundle } from '../io/bundle';
import { loadRunFile } from '../io/runStore';
import { GAN2D_DEFAULTS } from '../models/gan2d.config';
import type { ExperimentConfig, FromWorker } from '../protocol/messages';
import { buildExperiment } from '../test/tinyConfigs';
import { until } from '../test/until';
import { Autosave } from '../worker/autosave';
import type { Experiment } from './experiment';
import { type ProgressUpdate, Trainer, type TrainerEvents } from './trainer';

const config: ExperimentConfig = { kind: 'gan2d', seed: 1, model: GAN2D_DEFAULTS };
const exploding: ExperimentConfig = {
  ...config,
  model: { ...GAN2D_DEFAULTS, optimizer: 'sgd', loss: 'leastSquares', lrG: 1e12, lrD: 1e12 },
};

function recordingTrainer(events: Partial<TrainerEvents> = {}) {
  const updates: ProgressUpdate[] = [];
  const notices: string[] = [];
  const trainer = new Trainer(
    {
      experiment: () => {},
      progress: (update) => updates.push(update),
      notice: (_, message) => notices.push(message),
      ...events,
    },
    buildExperiment,
  );
  return { trainer, updates, notices };
}

describe('a rejected import', () => {
  it('leaves a training run training', async () => {
    const { trainer } = recordingTrainer();
    await trainer.reset(config);
    trainer.play();
    await until(() => trainer.step >= 5);
    await expect(trainer.load(strToU8('not a bundle'))).rejects.toThrow(
      'neither a GAN Playground file',
    );
    expect(trainer.isRunning).toBe(true);
    const after = trainer.step;
    await until(() => trainer.step >= after + 5);
    await trainer.pause();
    await trainer.dispose();
  });

  it('a successful one pauses the run it replaces', async () => {
    const { trainer } = recordingTrainer();
    await trainer.reset(config);
    await trainer.stepOnce('both');
    const { bytes } = await trainer.snapshot('full', 'x');
    trainer.play();
    await until(() => trainer.step >= 3);
    await trainer.load(bytes);
    expect(trainer.isRunning).toBe(false);
    expect(trainer.step).toBe(1);
    await trainer.dispose();
  });
});

describe('a diverged run', () => {
  it('sends its final state to the page despite the rate limit', async () => {
    const { trainer, updates } = recordingTrainer();
    trainer.setLive({ maxStepsPerSecond: 0, metricsEvery: 1 });
    await trainer.reset(exploding);
    trainer.play();
    await until(() => !trainer.isRunning);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(updates.at(-1)).toMatchObject({ step: trainer.step, running: false });
    await trainer.dispose();
  });

  it('never overwrites the last finite autosave, which stays what a reload offers', async () => {
    const { trainer } = recordingTrainer();
    const posted: FromWorker[] = [];
    const autosave = new Autosave(trainer, (message) => posted.push(message));
    trainer.setLive({ maxStepsPerSecond: 0, metricsEvery: 1 });
    await trainer.reset(config);
    const run = autosave.begin(config, null, 0);
    await trainer.stepOnce('both');
    await autosave.maybeSave(true);
    expect(posted).toEqual([{ type: 'saved', run: expect.objectContaining({ step: 1 }) }]);
    // The run diverges: a weight turns NaN.
    const experiment = (trainer as unknown as { experiment: Experiment }).experiment;
    const weight = experiment.networks().generators[0]!.named().get('G/fc0/W')!;
    weight.assign(tf.fill(weight.shape, Number.NaN));
    trainer.play();
    await until(() => !trainer.isRunning);
    const diverged = await trainer.snapshot('full', 'x');
    expect(diverged.finite).toBe(false);
    // Pausing a diverged run saves; the save is skipped, not written over the finite one.
    await trainer.pause();
    await autosave.maybeSave(true);
    expect(posted).toHaveLength(1);
    expect(autosave.lastFinite?.step).toBe(1);
    const saved = await loadRunFile(run.id);
    expect(readBundle(saved).manifest.step).toBe(1);
    await trainer.dispose();
  });
});

describe('a lost device', () => {
  it('abandons a step that never finishes, and the run goes on from its last finite state', async () => {
    const { trainer } = recordingTrainer();
    trainer.setLive({ maxStepsPerSecond: 0, metricsEvery: 1 });
    await trainer.reset(config);
    await trainer.stepOnce('both');
    const kept = await trainer.snapshot('full', 'kept');
    trainer.play();
    await until(() => trainer.step >= 5);
    // Every read now waits forever, as on a lost WebGL context.
    const data = vi
      .spyOn(tf.Tensor.prototype, 'data')
      .mockImplementation(() => new Promise(() => {}));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const stuckAt = trainer.step;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(trainer.step).toBe(stuckAt);
    data.mockRestore();

    expect(trainer.abandon()).toBe(true);
    // Nothing waits on the hung step: loading and training go on at once.
    await trainer.load(kept.bytes);
    expect(trainer.step).toBe(1);
    trainer.play();
    await until(() => trainer.step >= 6);
    await trainer.pause();
    await trainer.dispose();
  });

  it('reports a failed read on a lost device to its listener, not as a stop', async () => {
    const lost: string[] = [];
    const { trainer, notices } = recordingTrainer({ deviceLost: (reason) => lost.push(reason) });
    trainer.setLive({ maxStepsPerSecond: 0, metricsEvery: 1 });
    await trainer.reset(config);
    trainer.play();
    await until(() => trainer.step >= 2);
    // The next read fails as WebGPU's does once device.destroy() was called.
    const data = vi
      .spyOn(tf.Tensor.prototype, 'data')
      .mockRejectedValue(new Error("Failed to execute 'mapAsync' on 'GPUBuffer': Device lost"));
    await until(() => lost.length > 0);
    data.mockRestore();
    expect(lost[0]).toMatch(/mapAsync/);
    expect(notices.filter((n) => n.startsWith('Training stopped'))).toEqual([]);
    trainer.abandon();
    await trainer.dispose();
  });
});
