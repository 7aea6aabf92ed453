import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { encodeCaption } from '../data/captions';
import { latentBatch } from '../data/latents';
import { createExperiment } from '../families/engines';
import type { Gan2dExperiment } from '../families/gan2d/experiment';
import type { Flavour } from '../io/checkpoint';
import type { ExperimentConfig } from '../protocol/messages';
import { TINY_EXPERIMENTS } from '../test/tinyConfigs';
import { experimentFromBundle, snapshotExperiment } from './bundles';
import type { Experiment } from './experiment';

const build = async (config: ExperimentConfig) => createExperiment(config);

function train(experiment: Experiment, steps: number): void {
  for (let i = 0; i < steps; i++) experiment.step('both').losses.dispose();
}

async function save(experiment: Experiment, config: ExperimentConfig, flavour: Flavour, step = 0) {
  const run = { config, step, name: 'test run' };
  return (await snapshotExperiment(experiment, run, flavour, (t) => t.data())).bytes;
}

/** G's output for fixed inputs: samples at fixed latents, or translations of fixed faces. */
function generatorOutput(experiment: Experiment, config: ExperimentConfig): Float32Array {
  return tf.tidy(() => {
    if (config.kind === 'gan2d') {
      const z = tf.tensor2d(
        latentBatch(9, 8, config.model.noiseDim).flatMap((v) => [...v]),
        [8, config.model.noiseDim],
      );
      return (experiment as Gan2dExperiment).model.G.apply(z).dataSync() as Float32Array;
    }
    if (config.kind === 'imagegan') {
      const zDim = config.model.zDim;
      const z = Float32Array.from(latentBatch(9, 4, zDim).flatMap((v) => [...v]));
      return experiment.render!(
        { kind: 'latent', z, count: 4 },
        new Map(),
      ).dataSync() as Float32Array;
    }
    if (config.kind === 'stackgan') {
      const { zDim, embeddingDim, mode } = config.model;
      const noise = Float32Array.from(
        latentBatch(9, 2, zDim + embeddingDim).flatMap((v) => [...v]),
      );
      const embedding = mode === 'text' ? encodeCaption('a young man with black hair') : null;
      const request = { kind: 'stages', embedding, noise, count: 2 } as const;
      return experiment.render!(request, new Map()).dataSync() as Float32Array;
    }
    if (config.kind === 'stargan') {
      const size = config.model.imageSize;
      const face = new Float32Array(size * size * 3).map((_, i) => Math.sin(i) * 0.9);
      const values = [0, 1, 0, 1, 0];
      const inputs = ['preview-0', 'mine'];
      const request = { kind: 'translate', inputs, domain: 'celeba', values } as const;
      return experiment.render!(request, new Map([['mine', face]])).dataSync() as Float32Array;
    }
    // The others' live views are their generators' outputs on fixed inputs alone.
    return experiment.frameTensor().dataSync() as Float32Array;
  });
}

/** Every variable of every network, by name, as plain arrays. */
function allWeights(experiment: Experiment): Map<string, Float32Array> {
  const { generators, others } = experiment.networks();
  return new Map(
    [...generators, ...others].flatMap((p) =>
      [...p.named()].map(([name, v]) => [name, v.dataSync() as Float32Array] as const),
    ),
  );
}

const label = (c: ExperimentConfig) =>
  c.kind === 'imagegan'
    ? c.model.variant
    : c.kind === 'gan2d'
      ? `2D ${c.model.loss}`
      : c.kind === 'stackgan'
        ? `StackGAN++ ${c.model.mode}`
        : c.kind === 'stargan'
          ? `StarGAN ${c.model.data}`
          : `${c.kind} ${c.model.imageSize} px`;

describe('bundles', () => {
  it.each(TINY_EXPERIMENTS.map((c) => [label(c), c] as const))(
    '%s: a generator-only file gives bit-identical generator outputs in a fresh model',
    async (_, config) => {
      const original = await build(config);
      train(original, 3);
      const bytes = await save(original, config, 'generator', 3);
      const { experiment, manifest } = await experimentFromBundle(bytes, build);
      expect(manifest.flavour).toBe('generator');
      expect(manifest.step).toBe(3);
      expect(manifest.experiment).toEqual(config);
      expect(generatorOutput(experiment, config)).toEqual(generatorOutput(original, config));
      original.dispose();
      experiment.dispose();
    },
  );

  it.each(TINY_EXPERIMENTS.map((c) => [label(c), c] as const))(
    '%s: N steps, save, load, M steps gives the same weights as N + M steps (CPU)',
    async (_, config) => {
      const straight = await build(config);
      train(straight, 5);

      const first = await build(config);
      train(first, 2);
      const bytes = await save(first, config, 'full', 2);
      first.dispose();
      const { experiment: resumed } = await experimentFromBundle(bytes, build);
      train(resumed, 3);

      const expected = allWeights(straight);
      const actual = allWeights(resumed);
      expect([...actual.keys()]).toEqual([...expected.keys()]);
      for (const [name, values] of expected) expect(actual.get(name), name).toEqual(values);
      straight.dispose();
      resumed.dispose();
    },
  );

  it('resumes exactly before any step too (no optimiser slots yet)', async () => {
    const config = TINY_EXPERIMENTS[0]!;
    const fresh = await build(config);
    const bytes = await save(fresh, config, 'full');
    const { experiment } = await experimentFromBundle(bytes, build);
    train(fresh, 2);
    train(experiment, 2);
    expect(allWeights(experiment)).toEqual(allWeights(fresh));
    fresh.dispose();
    experiment.dispose();
  });

  it('leaves no tensors behind, whether a load succeeds or fails', async () => {
    const config = TINY_EXPERIMENTS[4]!;
    const original = await build(config);
    train(original, 2);
    const bytes = await save(original, config, 'full', 2);
    const before = tf.memory().numTensors;
    const { experiment } = await experimentFromBundle(bytes, build);
    experiment.dispose();
    const other = { ...config, model: { ...config.model, gBase: 6 } } as ExperimentConfig;
    await expect(experimentFromBundle(bytes, async () => createExperiment(other))).rejects.toThrow(
      /do not match/,
    );
    expect(tf.memory().numTensors).toBe(before);
    original.dispose();
  });
});
