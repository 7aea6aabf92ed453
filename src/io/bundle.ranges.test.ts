/**
 * Issue 19: every resume field in its valid range, and a file's weights checked against the
 * model its settings describe before that model (or its data) is built.
 */
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { experimentFromBundle, snapshotExperiment } from '../engine/bundles';
import { createExperiment, modelShapes } from '../families/engines';
import { STARGAN_DEFAULTS } from '../models/stargan.config';
import type { ExperimentConfig } from '../protocol/messages';
import { buildExperiment, TINY_EXPERIMENTS } from '../test/tinyConfigs';
import { readBundle } from './bundle';

type Files = Record<string, Uint8Array>;
type Json = Record<string, unknown>;

/** A full training state for each family's first tiny config, after one step. */
const valid = new Map<string, Uint8Array>();

beforeAll(async () => {
  for (const kind of ['gan2d', 'imagegan', 'stargan']) {
    const config = TINY_EXPERIMENTS.find((c) => c.kind === kind)!;
    const experiment = createExperiment(config);
    experiment.step('both').losses.dispose();
    const run = { config, step: 1, name: 'valid' };
    valid.set(kind, (await snapshotExperiment(experiment, run, 'full', (t) => t.data())).bytes);
    experiment.dispose();
  }
});

function edited(kind: string, edit: (files: Files) => void): Uint8Array {
  const files = unzipSync(valid.get(kind)!);
  edit(files);
  return zipSync(files);
}

function withManifest(kind: string, change: (manifest: Json) => void): Uint8Array {
  return edited(kind, (files) => {
    const manifest = JSON.parse(strFromU8(files['manifest.json']!)) as Json;
    change(manifest);
    files['manifest.json'] = strToU8(JSON.stringify(manifest));
  });
}

/** Sets the first value of weight `name` to `value`. */
function withWeight(kind: string, name: string, value: number): Uint8Array {
  return edited(kind, (files) => {
    const model = JSON.parse(strFromU8(files['model.json']!)) as {
      weightsManifest: { weights: { name: string; shape: number[] }[] }[];
    };
    let offset = 0;
    for (const spec of model.weightsManifest[0]!.weights) {
      if (spec.name === name) break;
      offset += spec.shape.reduce((a, b) => a * b, 1);
    }
    const weights = new Float32Array(files['weights.bin']!.slice().buffer);
    expect(offset).toBeLessThan(weights.length);
    weights[offset] = value;
    files['weights.bin'] = new Uint8Array(weights.buffer);
  });
}

const rngOf = (manifest: Json, stream: string) =>
  (
    manifest.resume as {
      rngs: Record<string, { alea: Record<string, number>; spareNormal: number }>;
    }
  ).rngs[stream]!;

describe('resume fields out of range are refused by name', () => {
  it.each([
    ['s0', -1, /rngs\.data\.alea\.s0/],
    ['s1', 1, /rngs\.data\.alea\.s1/],
    ['s2', Number.NaN, /rngs\.data\.alea\.s2/],
    ['c', -1, /rngs\.data\.alea\.c/],
    ['c', 0.5, /rngs\.data\.alea\.c/],
    ['c', 2091639, /rngs\.data\.alea\.c/],
  ])('Alea %s = %s', (field, value, message) => {
    const bytes = withManifest('gan2d', (m) => {
      rngOf(m, 'data').alea[field] = value;
    });
    expect(() => readBundle(bytes)).toThrow(message);
  });

  it('a Box-Muller spare value no Alea stream gives', () => {
    const bytes = withManifest('gan2d', (m) => {
      rngOf(m, 'noise').spareNormal = 1e9;
    });
    expect(() => readBundle(bytes)).toThrow(/rngs\.noise\.spareNormal/);
  });

  it('a negative or fractional counter', () => {
    const negative = withManifest('imagegan', (m) => {
      (m.resume as { counters: Record<string, number> }).counters.generatorIterations = -1;
    });
    expect(() => readBundle(negative)).toThrow(/counters\.generatorIterations/);
    const fraction = withManifest('stargan', (m) => {
      (m.resume as { counters: Record<string, number> }).counters.iteration = 1.5;
    });
    expect(() => readBundle(fraction)).toThrow(/counters\.iteration/);
  });

  it.each([
    ['gan2d', 'opt/D/beta1_power', 1, /opt\/D\/beta1_power holds 1; it must be in \[0, 1\)/],
    ['gan2d', 'opt/G/beta2_power', -0.5, /opt\/G\/beta2_power holds -0\.5/],
    ['gan2d', 'opt/G/iterations', -1, /opt\/G\/iterations holds -1; it must be a whole number/],
    ['gan2d', 'opt/G/iterations', 2.5, /opt\/G\/iterations holds 2\.5/],
    ['gan2d', 'opt/G/fc0/W/v', -1, /opt\/G\/fc0\/W\/v holds -1/],
    ['gan2d', 'G/fc0/W', 3e38, /G\/fc0\/W holds 3\.\d+e\+38; it must be within ±1000000/],
    ['gan2d', 'opt/D/fc0/b/m', -2e6, /opt\/D\/fc0\/b\/m holds -2000000/],
    ['stargan', 'opt/G/in/conv/W/v', -1e-3, /opt\/G\/in\/conv\/W\/v holds/],
  ])('%s: %s = %s', (kind, name, value, message) => {
    expect(() => readBundle(withWeight(kind, name, value))).toThrow(message);
  });

  it('a negative batch-norm running variance', () => {
    const kind = 'imagegan';
    const { specs } = readBundle(valid.get(kind)!);
    const runningVar = specs.find((s) => s.name.endsWith('/runningVar'));
    if (!runningVar) return; // the first tiny image GAN has no batch norm
    expect(() => readBundle(withWeight(kind, runningVar.name, -1))).toThrow(runningVar.name);
  });

  it('accepts Adam beta powers that underflowed to 0 (0.5^150 in float32)', () => {
    expect(() => readBundle(withWeight('gan2d', 'opt/G/beta1_power', 0))).not.toThrow();
  });

  it('every valid file still loads', async () => {
    for (const bytes of valid.values()) {
      const { experiment } = await experimentFromBundle(bytes, buildExperiment);
      experiment.dispose();
    }
  });
});

describe('weights checked before the model is built', () => {
  /** A 2D GAN file whose manifest asks for StarGAN at 64 px, widths 64, 9 blocks, 20,000 faces. */
  const hostile = () =>
    withManifest('gan2d', (m) => {
      m.experiment = {
        kind: 'stargan',
        seed: 1,
        model: {
          ...STARGAN_DEFAULTS,
          imageSize: 64,
          gConvDim: 64,
          gRepeat: 9,
          dConvDim: 64,
          dRepeat: 5,
          datasetSize: 20_000,
        },
      };
      m.resume = { rngs: {}, counters: {} };
    });

  it('refuses a small file asking for a large model without building it', async () => {
    const factory = Object.assign(vi.fn(buildExperiment), { shapes: buildExperiment.shapes });
    const started = performance.now();
    await expect(experimentFromBundle(hostile(), factory)).rejects.toThrow(
      'The weights do not match the settings',
    );
    expect(performance.now() - started).toBeLessThan(1000);
    expect(factory).not.toHaveBeenCalled();
  });

  it('shape-only networks name every weight the built model has, with its shape', () => {
    for (const config of TINY_EXPERIMENTS as ExperimentConfig[]) {
      const bare = modelShapes(config);
      if (!bare) continue; // uploaded data: the labels are not known without the set
      const experiment = createExperiment(config);
      const built = experiment.networks();
      const shapes = (n: typeof built) =>
        [...n.generators, ...n.others].flatMap((p) => p.specs().map((s) => `${s.name}:${s.shape}`));
      expect(shapes(bare.networks())).toEqual(shapes(built));
      expect(bare.networks().optimizers.map((o) => o.optimizer.getClassName())).toEqual(
        built.optimizers.map((o) => o.optimizer.getClassName()),
      );
      bare.dispose();
      experiment.dispose();
    }
  });
});
