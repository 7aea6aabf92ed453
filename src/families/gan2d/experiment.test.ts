import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { GAN2D_DEFAULTS, type Gan2dConfig } from '../../models/gan2d.config';
import { DISPLAY_POINTS, Gan2dExperiment, HEAT_GRID } from './experiment';

async function firstLosses(config: Gan2dConfig, seed: number, steps: number): Promise<number[][]> {
  const experiment = new Gan2dExperiment(config, seed);
  const rows: number[][] = [];
  for (let i = 0; i < steps; i++) {
    const { losses } = experiment.step('both');
    rows.push(Array.from(await losses.data()));
    losses.dispose();
  }
  experiment.dispose();
  return rows;
}

async function frameOf(experiment: Gan2dExperiment, step: number) {
  const tensor = experiment.frameTensor();
  const frame = experiment.decodeFrame((await tensor.data()) as Float32Array, step);
  tensor.dispose();
  return frame;
}

describe('2D GAN experiment', () => {
  it('gives the same first 5 losses for the same seed, and others for another seed', async () => {
    const a = await firstLosses(GAN2D_DEFAULTS, 42, 5);
    expect(await firstLosses(GAN2D_DEFAULTS, 42, 5)).toEqual(a);
    expect(await firstLosses(GAN2D_DEFAULTS, 43, 5)).not.toEqual(a);
    for (const row of a) for (const v of row) expect(Number.isFinite(v)).toBe(true);
  });

  it('reports only the terms a phase computes', async () => {
    const experiment = new Gan2dExperiment(GAN2D_DEFAULTS, 1);
    const onlyD = experiment.step('D');
    const onlyG = experiment.step('G');
    expect(onlyD.computed).toEqual([true, true, false]);
    expect(onlyG.computed).toEqual([false, false, true]);
    const [dReal, dFake, g] = Array.from(await onlyD.losses.data());
    expect(Number.isFinite(dReal!) && Number.isFinite(dFake!)).toBe(true);
    expect(g).toBeNaN();
    tf.dispose([onlyD.losses, onlyG.losses]);
    experiment.dispose();
  });

  it('only updates the network of the phase it runs', async () => {
    const experiment = new Gan2dExperiment(GAN2D_DEFAULTS, 1);
    const snapshot = async (vars: tf.Variable[]) =>
      Promise.all(vars.map(async (v) => Array.from(await v.data())));
    const gBefore = await snapshot(experiment.model.paramsG.list());
    const dBefore = await snapshot(experiment.model.paramsD.list());
    experiment.step('D').losses.dispose();
    expect(await snapshot(experiment.model.paramsG.list())).toEqual(gBefore);
    expect(await snapshot(experiment.model.paramsD.list())).not.toEqual(dBefore);
    experiment.dispose();
  });

  it('keeps the tensor count flat over 50 steps and frames', async () => {
    const experiment = new Gan2dExperiment(GAN2D_DEFAULTS, 3);
    // One burn-in step creates the optimisers' slot variables.
    experiment.step('both').losses.dispose();
    await frameOf(experiment, 1);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 50; i++) {
      experiment.step(i % 3 === 0 ? 'D' : i % 3 === 1 ? 'G' : 'both').losses.dispose();
      if (i % 10 === 0) await frameOf(experiment, i);
    }
    expect(tf.memory().numTensors).toBe(before);
    experiment.dispose();
  });

  it('frees every tensor it made when disposed', () => {
    const before = tf.memory().numTensors;
    const experiment = new Gan2dExperiment(GAN2D_DEFAULTS, 3);
    experiment.step('both').losses.dispose();
    experiment.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('draws a frame of generated points and a heat map in [0, 1]', async () => {
    const experiment = new Gan2dExperiment(GAN2D_DEFAULTS, 1);
    const frame = await frameOf(experiment, 0);
    expect(frame.fake.length).toBe(DISPLAY_POINTS * 2);
    expect(frame.realness.length).toBe(HEAT_GRID * HEAT_GRID);
    expect(Math.min(...frame.realness)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...frame.realness)).toBeLessThanOrEqual(1);
    expect(experiment.info.modesTotal).toBe(8);
    expect(experiment.info.qualityNames).toHaveLength(frame.quality.length);
    experiment.dispose();
  });

  it.each(['wasserstein', 'wassersteinGp'] as const)('trains with the %s loss', async (loss) => {
    const config = { ...GAN2D_DEFAULTS, loss, optimizer: 'rmsprop' as const, kD: 5 };
    const experiment = new Gan2dExperiment(config, 1);
    expect(experiment.info.lossNames).toEqual(
      loss === 'wassersteinGp' ? ['D real', 'D fake', 'GP', 'G'] : ['D real', 'D fake', 'G'],
    );
    experiment.step('both').losses.dispose();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) {
      const { losses, computed } = experiment.step('both');
      expect(Array.from(await losses.data()).every(Number.isFinite)).toBe(true);
      expect(computed.every(Boolean)).toBe(true);
      losses.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
    if (loss === 'wasserstein') {
      for (const v of experiment.model.paramsD.list()) {
        expect(Math.max(...Array.from(await tf.abs(v).data()))).toBeLessThanOrEqual(0.01 + 1e-7);
      }
    }
    const frame = await frameOf(experiment, 6);
    expect(Math.min(...frame.realness)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...frame.realness)).toBeCloseTo(1, 5);
    experiment.dispose();
  });

  it('learns the ring of 8: at least 6 modes and half the samples high quality', async () => {
    // Seeded budget measured here: modes 8/8 and 53% high quality after 1,500 steps (seed 1),
    // and 8/8 with 53-57% after 3,000 steps for seeds 2 and 3; 3,000 steps take ~25 s.
    const experiment = new Gan2dExperiment(GAN2D_DEFAULTS, 1);
    const initial = await frameOf(experiment, 0);
    for (let i = 0; i < 3000; i++) experiment.step('both').losses.dispose();
    const trained = await frameOf(experiment, 3000);
    // The quality row: [JS divergence, high-quality share, modes covered / 8].
    const [js, highQuality, modes] = trained.quality;
    expect(modes! * 8).toBeGreaterThanOrEqual(6);
    expect(highQuality).toBeGreaterThanOrEqual(0.5);
    expect(js).toBeLessThan(initial.quality[0]! - 0.3);
    experiment.dispose();
  });
});
