/**
 * junyanz ResnetGenerator checkpoints in and out: a small generator saved by the PyTorch twin
 * with torch.save (zip and legacy formats; scripts/reference/cyclegan_checkpoints.py) loads
 * through the engine's import into G_AB and gives the twin's output; mismatches are refused by
 * name; our G_AB goes out in junyanz's key order and reads back exactly.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it, vi } from 'vitest';
import { snapshotExperiment } from '../../engine/bundles';
import type { ExperimentFactory } from '../../engine/experiment';
import { experimentFromFile, torchStateOfBundle } from '../../engine/torchImport';
import { Trainer } from '../../engine/trainer';
import { readBundle } from '../../io/bundle';
import {
  flattenTensors,
  readTorchCheckpoint,
  TorchTensor,
  writeSafetensors,
  writeTorchZip,
} from '../../io/torch';
import type { CycleGanConfig } from '../../models/cyclegan.config';
import type { ExperimentConfig } from '../../protocol/messages';
import { createExperiment, experimentOfTorch, torchHooksFor } from '../engines';
import type { CycleGanExperiment } from './experiment';
import expected from './fixtures/expected.json';
import { cycleganFamily } from './spec';
import { cycleganTorch, directionOfFile } from './torch';
import { cycleganFromTorch, cycleganTorchNames } from './torchNames';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const file = (name: string) => new Uint8Array(readFileSync(join(FIXTURES, name)));
const STARGAN_FILE = join(import.meta.dirname, '..', 'stargan', 'fixtures', 'stargan_g16.zip.pt');

function decode(e: { shape: number[]; b64: string }): tf.Tensor {
  const bytes = Buffer.from(e.b64, 'base64');
  const values = new Float32Array(bytes.byteLength / 4);
  new Uint8Array(values.buffer).set(bytes);
  return tf.tensor(values, e.shape);
}

const maxDiff = (a: tf.Tensor, b: tf.Tensor) =>
  tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);

/** The page's CycleGAN at its tiny test size (16 px), as the run a file lands on. */
const current: ExperimentConfig = {
  kind: 'cyclegan',
  seed: 5,
  model: cycleganFamily.testSizes.small,
};

const factory = (build = vi.fn(async (c: ExperimentConfig) => createExperiment(c))) =>
  Object.assign(build, { fromTorch: experimentOfTorch }) as ExperimentFactory;

const fixtureTensors = () =>
  flattenTensors(readTorchCheckpoint(file('cyclegan_g2.zip.pth')).root, '.');

const values = (experiment: CycleGanExperiment, scope: string) =>
  new Map(
    [...experiment.model.paramsG.named()]
      .filter(([n]) => n.startsWith(scope))
      .map(([n, v]) => [n, v.dataSync()]),
  );

describe("junyanz's ResnetGenerator checkpoints", () => {
  it('names every key of the reference state_dict, in its order and shapes', () => {
    const { entries } = cycleganTorchNames(expected.config);
    expect(entries.map((e) => e.torch)).toEqual(expected.keys);
    expect(entries.map((e) => [...e.torchShape])).toEqual(expected.shapes);
    // The 9-block reference ends where its published files do.
    const nine = cycleganTorchNames({ ngf: 64, nBlocks: 9 }).entries;
    expect(nine.at(-2)).toMatchObject({ torch: 'model.26.weight', torchShape: [3, 64, 7, 7] });
    expect(nine.find((e) => e.torch === 'model.19.weight')?.torchShape).toEqual([256, 128, 3, 3]);
  });

  for (const name of ['cyclegan_g2.zip.pth', 'cyclegan_g2.legacy.pth']) {
    it(`loads ${name} through the import into G_AB, which gives the twin's output to 1e-4`, async () => {
      const build = vi.fn(async (c: ExperimentConfig) => createExperiment(c));
      const { experiment, manifest, description } = await experimentFromFile(
        file(name),
        factory(build),
        current,
      );
      expect(build).toHaveBeenCalledTimes(1);
      expect(manifest.flavour).toBe('generator');
      const model = manifest.experiment.model as CycleGanConfig;
      expect(manifest.experiment.kind).toBe('cyclegan');
      // ngf and n_blocks from the file; the size and the rest from the run the page had.
      expect(model).toEqual({ ...current.model, ngf: 2, nBlocks: 2 });
      expect(description).toBe(
        "junyanz's ResnetGenerator (ngf 2, n_blocks 2) as G_AB at 16 px, G_BA fresh",
      );
      const cyclegan = experiment as CycleGanExperiment;
      const x = decode(expected.x) as tf.Tensor4D;
      const y = cyclegan.model.G_AB(x);
      const err = maxDiff(y, decode(expected.y));
      expect(err).toBeLessThan(1e-4);
      // G_BA keeps the weights a fresh run of these settings starts with (same seed).
      const fresh = createExperiment(manifest.experiment) as CycleGanExperiment;
      expect(values(cyclegan, 'G/BA/')).toEqual(values(fresh, 'G/BA/'));
      expect(values(cyclegan, 'G/AB/')).not.toEqual(values(fresh, 'G/AB/'));
      tf.dispose([x, y]);
      fresh.dispose();
      experiment.dispose();
    });
  }

  it("a file named …G_B loads into G_BA, keeping the current run's G_AB where the widths agree", async () => {
    expect(
      ['latest_net_G_B.pth', '200_net_G_B.pth', 'x-G_B.safetensors'].map(directionOfFile),
    ).toEqual(['BA', 'BA', 'BA']);
    expect(
      ['latest_net_G_A.pth', 'run-12-G.pt', 'G_BA.pth', undefined].map(directionOfFile),
    ).toEqual(['AB', 'AB', 'AB', 'AB']);
    const config: ExperimentConfig = {
      kind: 'cyclegan',
      seed: 9,
      model: { ...cycleganFamily.testSizes.small, ngf: 2, nBlocks: 2 },
    };
    const running = createExperiment(config) as CycleGanExperiment;
    tf.dispose(running.step('G').losses); // G_AB off the seeded initial weights a new run has
    const generator = () =>
      new Map([...running.model.paramsG.named()].map(([n, v]) => [n, v as tf.Tensor]));
    const { experiment, description } = await experimentFromFile(
      file('cyclegan_g2.zip.pth'),
      factory(),
      config,
      { fileName: 'latest_net_G_B.pth', generator },
    );
    expect(description).toBe(
      "junyanz's ResnetGenerator (ngf 2, n_blocks 2) as G_BA at 16 px, G_AB kept from the current run",
    );
    const cyclegan = experiment as CycleGanExperiment;
    const x = decode(expected.x) as tf.Tensor4D;
    const y = cyclegan.model.G_BA(x);
    expect(maxDiff(y, decode(expected.y))).toBeLessThan(1e-4);
    expect(values(cyclegan, 'G/AB/')).toEqual(values(running, 'G/AB/'));
    expect(values(cyclegan, 'G/BA/')).not.toEqual(values(running, 'G/BA/'));
    // The copies are the new run's own: disposing the old run leaves them readable.
    const kept = values(running, 'G/AB/');
    running.dispose();
    expect(values(cyclegan, 'G/AB/')).toEqual(kept);
    tf.dispose([x, y]);
    experiment.dispose();
  });

  it("the worker's trainer: G_A then G_B by name make the reference's pair", async () => {
    const trainer = new Trainer(
      { experiment: () => {}, progress: () => {}, notice: () => {} },
      factory(),
    );
    await trainer.reset(current);
    const bytes = () => file('cyclegan_g2.legacy.pth');
    await trainer.load(bytes(), 'latest_net_G_A.pth');
    const afterA = await trainer.snapshot('generator', 'a');
    const manifest = await trainer.load(bytes(), 'latest_net_G_B.pth');
    expect(manifest.name).toMatch(/as G_BA at 16 px, G_AB kept from the current run/);
    const pair = readBundle((await trainer.snapshot('generator', 'pair')).bytes);
    const byName = (b: ReturnType<typeof readBundle>) => {
      const out = new Map<string, number[]>();
      let offset = 0;
      for (const spec of b.specs) {
        const size = spec.shape.reduce((a, c) => a * c, 1);
        out.set(spec.name, [...b.weights.subarray(offset, offset + size)]);
        offset += size;
      }
      return out;
    };
    const a = byName(readBundle(afterA.bytes));
    const both = byName(pair);
    // G_AB from the first file, kept; G_BA from the second: the same file, so the same weights.
    for (const [name, v] of both) {
      if (!name.startsWith('G/')) continue;
      const twin = name.replace(/^G\/BA\//, 'G/AB/');
      expect(v, name).toEqual(a.get(twin));
    }
    await trainer.dispose();
  });

  it('without a CycleGAN run, takes the default size; accepts old running-statistics buffers', async () => {
    const t = fixtureTensors();
    t['model.2.running_mean'] = new TorchTensor('float32', [2], new Float32Array(2));
    t['model.2.running_var'] = new TorchTensor('float32', [2], new Float32Array([1, 1]));
    const found = cycleganTorch.fromTorch(t, undefined, null)!;
    expect((found.config.model as CycleGanConfig).imageSize).toBe(32);
    expect(found.description).toMatch(
      /n_blocks 2; 2 running-statistics buffers ignored\) as G_AB at 32 px/,
    );
  });

  it('round trip: our G_AB -> junyanz layout -> ours is exact, in the reference key order', async () => {
    const model = { ...cycleganFamily.testSizes.small, ngf: 2, nBlocks: 2 };
    const config: ExperimentConfig = { kind: 'cyclegan', seed: 3, model };
    const experiment = createExperiment(config) as CycleGanExperiment;
    experiment.step('G'); // move the biases off their initial 0
    const run = { config, step: 1, name: 'r' };
    const snapshot = await snapshotExperiment(experiment, run, 'generator', (t) => t.data());
    const { tensors, metadata } = torchStateOfBundle(snapshot.bytes, torchHooksFor);
    expect(Object.keys(tensors)).toEqual(expected.keys);
    const ours = values(experiment, 'G/AB/');
    expect(ours.size).toBe(expected.keys.length);
    for (const bytes of [writeTorchZip(tensors), writeSafetensors(tensors, metadata)]) {
      const checkpoint = readTorchCheckpoint(bytes);
      const back = flattenTensors(checkpoint.root, '.');
      const found = cycleganTorch.fromTorch(back, checkpoint.metadata, null)!;
      expect(found.specs.map((s) => s.name)).toEqual([...ours.keys()]);
      for (const [name, v] of ours) expect(found.value(name).data, name).toEqual(v);
      // safetensors carries the settings; a .pt file gets the default size.
      const size = checkpoint.metadata ? model.imageSize : 32;
      expect((found.config.model as CycleGanConfig).imageSize).toBe(size);
    }
    experiment.dispose();
  });

  describe('refuses a checkpoint that does not match, naming the first mismatch', () => {
    const refused = (tensors: Record<string, TorchTensor>) => {
      const floats = Object.fromEntries(
        Object.entries(tensors).filter(([, t]) => t.data instanceof Float32Array),
      ) as Record<string, { shape: readonly number[]; data: Float32Array }>;
      const build = vi.fn(async (c: ExperimentConfig) => createExperiment(c));
      const result = experimentFromFile(writeTorchZip(floats), factory(build), current);
      return { result, build };
    };
    const what = "junyanz's ResnetGenerator with ngf 2, n_blocks 2";
    const zeros = (shape: number[]) =>
      new TorchTensor('float32', shape, new Float32Array(shape.reduce((a, b) => a * b, 1)));

    it('a wrong shape', async () => {
      const t = fixtureTensors();
      t['model.4.weight'] = zeros([4, 2, 4, 4]);
      const { result, build } = refused(t);
      await expect(result).rejects.toThrow(
        `model.4.weight is [4, 2, 4, 4] where ${what} has [4, 2, 3, 3]`,
      );
      expect(build).not.toHaveBeenCalled();
    });

    it('a missing key, an extra key', async () => {
      const t = fixtureTensors();
      delete t['model.15.bias'];
      await expect(refused(t).result).rejects.toThrow(
        `The checkpoint lacks model.15.bias, which ${what} has`,
      );
      const u = { ...fixtureTensors(), 'model.3.weight': zeros([2]) };
      await expect(refused(u).result).rejects.toThrow(
        `The checkpoint has model.3.weight [2], which ${what} does not have`,
      );
    });

    it("a StarGAN checkpoint: CycleGAN's map names it, and the page reads it as StarGAN", async () => {
      const stargan = flattenTensors(readTorchCheckpoint(readFileSync(STARGAN_FILE)).root, '.');
      expect(() => cycleganFromTorch(stargan)).toThrow(
        "The checkpoint has no model.1.weight: its keys main.* are yunjey/stargan's, not junyanz's ResnetGenerator's",
      );
      expect(cycleganTorch.fromTorch(stargan, undefined, current)).toBeNull();
      expect(experimentOfTorch(stargan, undefined, current).config.kind).toBe('stargan');
    });

    it('dropout, a discriminator, a U-Net, grey images, NaN weights, unknown keys', async () => {
      const t = fixtureTensors();
      const dropout = { ...t, 'model.10.conv_block.6.weight': zeros([8, 8, 3, 3]) };
      await expect(refused(dropout).result).rejects.toThrow(/trained with use_dropout/);
      const d = { 'model.0.weight': zeros([2, 3, 4, 4]), 'model.0.bias': zeros([2]) };
      await expect(refused(d).result).rejects.toThrow(/NLayerDiscriminator \(latest_net_D_A.pth/);
      await expect(refused({ 'model.model.0.weight': zeros([2, 3, 4, 4]) }).result).rejects.toThrow(
        /UnetGenerator \(pix2pix's netG/,
      );
      const grey = { ...t, 'model.1.weight': zeros([2, 1, 7, 7]) };
      await expect(refused(grey).result).rejects.toThrow(
        "model.1.weight is [2, 1, 7, 7]; junyanz's ResnetGenerator for RGB images has [ngf, 3, 7, 7] there",
      );
      const w = t['model.1.weight']!;
      const nan = new Float32Array(w.data as Float32Array);
      nan[7] = Number.NaN;
      const { result, build } = refused({
        ...t,
        'model.1.weight': new TorchTensor('float32', w.shape, nan),
      });
      await expect(result).rejects.toThrow('G/AB/in/W holds a NaN');
      expect(build).not.toHaveBeenCalled();
      await expect(refused({ 'net.0.weight': zeros([2]) }).result).rejects.toThrow(
        /No model here reads this checkpoint \(its first keys: net.0.weight\)/,
      );
    });

    it('a generator wider than the form builds', () => {
      const t = fixtureTensors();
      const wide = Object.fromEntries(
        cycleganTorchNames({ ngf: 65, nBlocks: 0 }).entries.map((e) => [
          e.torch,
          zeros([...e.torchShape]),
        ]),
      );
      expect(Object.keys(t).length).toBeGreaterThan(0);
      expect(() => cycleganTorch.fromTorch(wide, undefined, null)).toThrow(
        /This generator \(ngf 65, n_blocks 0\) is beyond what the page builds/,
      );
    });
  });
});
