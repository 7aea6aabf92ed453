/**
 * yunjey/stargan checkpoints in and out: small generators saved by the PyTorch twin with
 * torch.save (zip and legacy formats; scripts/reference/stargan_checkpoints.py) load under our
 * names and give the twin's outputs; mismatches are refused by name; exports read back equal.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it, vi } from 'vitest';
import { Rng } from '../../core/random';
import { snapshotExperiment } from '../../engine/bundles';
import type { ExperimentFactory } from '../../engine/experiment';
import {
  experimentFromFile,
  torchStateOfBundle,
  weightsFileFormat,
} from '../../engine/torchImport';
import {
  flattenTensors,
  readTorchCheckpoint,
  TorchTensor,
  writeSafetensors,
  writeTorchZip,
} from '../../io/torch';
import { StarGan } from '../../models/stargan';
import type { StarGanConfig } from '../../models/stargan.config';
import { TINY_STARGAN } from '../../test/tinyConfigs';
import { createExperiment, experimentOfTorch, torchHooksFor } from '../engines';
import type { StarGanExperiment } from './experiment';
import expected from './fixtures/expected.json';
import { starganTorch } from './torch';
import { starganFromTorch, starganTorchNames } from './torchNames';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const file = (name: string) => new Uint8Array(readFileSync(join(FIXTURES, name)));

function decode(e: { shape: number[]; b64: string }): tf.Tensor {
  const bytes = Buffer.from(e.b64, 'base64');
  const values = new Float32Array(bytes.byteLength / 4);
  new Uint8Array(values.buffer).set(bytes);
  return tf.tensor(values, e.shape);
}

const maxDiff = (a: tf.Tensor, b: tf.Tensor) =>
  tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);

/** A StarGAN at the fixture's widths whose G holds the checkpoint's weights. */
function modelFrom(bytes: Uint8Array): StarGan {
  const tensors = flattenTensors(readTorchCheckpoint(bytes, { inPlace: true }).root, '.');
  const found = starganFromTorch(tensors);
  const { convDim, cDim, repeatNum } = found.shape;
  const config = { imageSize: 16, gConvDim: convDim, gRepeat: repeatNum, dConvDim: 4, dRepeat: 3 };
  const model = new StarGan(config as StarGanConfig, cDim, cDim, new Rng(1));
  for (const [name, variable] of model.paramsG.named()) {
    const { shape, data } = found.value(name);
    tf.tidy(() => variable.assign(tf.tensor(data, [...shape])));
  }
  return model;
}

/** G's outputs on the fixture's input, for its labels and with Male flipped. */
function outputs(G: (x: tf.Tensor4D, c: tf.Tensor2D) => tf.Tensor4D) {
  const x = decode(expected.x) as tf.Tensor4D;
  const y = G(x, decode(expected.c) as tf.Tensor2D);
  const yMale = G(x, decode(expected.cMale) as tf.Tensor2D);
  const errors = [maxDiff(y, decode(expected.y)), maxDiff(yMale, decode(expected.yMale))];
  tf.dispose([x, y, yMale]);
  return errors;
}

const fixtureTensors = () =>
  flattenTensors(readTorchCheckpoint(file('stargan_g16.zip.pt')).root, '.');

describe('yunjey/stargan Generator checkpoints', () => {
  it('names every key of the reference state_dict, in its order', () => {
    const { entries, norms } = starganTorchNames(expected.config);
    const names = entries.flatMap((e) => {
      const norm = norms.find((n) => `${n.torchPrefix}.bias` === e.torch);
      return norm
        ? [
            e.torch,
            ...['running_mean', 'running_var', 'num_batches_tracked'].map(
              (b) => `${norm.torchPrefix}.${b}`,
            ),
          ]
        : [e.torch];
    });
    expect(names).toEqual(expected.keys);
  });

  for (const name of ['stargan_g16.zip.pt', 'stargan_g16.legacy.pt']) {
    it(`loads ${name} and gives the twin's outputs to 1e-4`, () => {
      const bytes = file(name);
      expect(bytes.byteLength).toBeLessThan(100 * 1024);
      const model = modelFrom(bytes);
      const [err, errMale] = outputs(model.G);
      expect(err).toBeLessThan(1e-4);
      expect(errMale).toBeLessThan(1e-4);
      model.dispose();
    });
  }

  it('recognises each file format from its first bytes', () => {
    expect(weightsFileFormat(file('stargan_g16.zip.pt'))).toBe('torch-zip');
    expect(weightsFileFormat(file('stargan_g16.legacy.pt'))).toBe('torch-legacy');
    const st = writeSafetensors({ a: { shape: [1], data: new Float32Array(1) } });
    expect(weightsFileFormat(st)).toBe('safetensors');
    expect(weightsFileFormat(new Uint8Array(64))).toBe('unknown');
  });

  it('builds a generator-only 128 px StarGAN experiment from a plain checkpoint', async () => {
    const build = Object.assign(
      async (c: Parameters<typeof createExperiment>[0]) => createExperiment(c),
      {
        fromTorch: experimentOfTorch,
      },
    ) as ExperimentFactory;
    const { experiment, manifest, description } = await experimentFromFile(
      file('stargan_g16.legacy.pt'),
      build,
    );
    expect(manifest.flavour).toBe('generator');
    expect(manifest.experiment.kind).toBe('stargan');
    const model = manifest.experiment.model as StarGanConfig;
    expect(model).toMatchObject({
      imageSize: 128,
      gConvDim: 4,
      gRepeat: 1,
      data: 'celeba',
      dRepeat: 6,
    });
    expect(description).toMatch(
      /conv_dim 4, c_dim 5, repeat_num 1; 21 running-statistics buffers ignored\) at 128 px/,
    );
    const [err] = outputs((experiment as StarGanExperiment).model.G);
    expect(err).toBeLessThan(1e-4);
    experiment.dispose();
  });

  describe('refuses a checkpoint that does not match, naming the first mismatch', () => {
    const build = vi.fn(async (c: Parameters<typeof createExperiment>[0]) => createExperiment(c));
    const factory = Object.assign(build, { fromTorch: experimentOfTorch }) as ExperimentFactory;
    const refused = (tensors: Record<string, TorchTensor>) => {
      const floats = Object.fromEntries(
        Object.entries(tensors).filter(([, t]) => t.data instanceof Float32Array),
      ) as Record<string, { shape: readonly number[]; data: Float32Array }>;
      return experimentFromFile(writeTorchZip(floats), factory);
    };

    it('a wrong shape', async () => {
      const t = fixtureTensors();
      t['main.3.weight'] = new TorchTensor('float32', [8, 4, 3, 3], new Float32Array(8 * 4 * 9));
      await expect(refused(t)).rejects.toThrow(
        "main.3.weight is [8, 4, 3, 3] where yunjey/stargan's Generator with conv_dim 4, c_dim 5, repeat_num 1 has [8, 4, 4, 4]",
      );
    });

    it('a missing key', async () => {
      const t = fixtureTensors();
      delete t['main.13.weight'];
      await expect(refused(t)).rejects.toThrow('The checkpoint lacks main.13.weight');
    });

    it('an extra key', async () => {
      const t = fixtureTensors();
      t['main.9.main.0.bias'] = new TorchTensor('float32', [16], new Float32Array(16));
      await expect(refused(t)).rejects.toThrow('The checkpoint has main.9.main.0.bias [16], which');
    });

    it('a discriminator, a label count the page cannot drive, and NaN weights', async () => {
      const d = {
        'main.0.weight': new TorchTensor('float32', [4, 3, 4, 4], new Float32Array(192)),
      };
      await expect(refused({ ...d, 'main.0.bias': d['main.0.weight'] })).rejects.toThrow(
        /main.0.weight is \[4, 3, 4, 4\]/,
      );
      const t = fixtureTensors();
      const w = t['main.0.weight']!;
      const wide = new TorchTensor('float32', [4, 11, 7, 7], new Float32Array(4 * 11 * 49));
      await expect(refused({ ...t, 'main.0.weight': wide })).rejects.toThrow(
        /c_dim 8: the page drives 5 labels/,
      );
      const nan = new Float32Array(w.data as Float32Array);
      nan[7] = Number.NaN;
      await expect(
        refused({ ...t, 'main.0.weight': new TorchTensor('float32', w.shape, nan) }),
      ).rejects.toThrow('G/in/conv/W holds a NaN');
      expect(build).not.toHaveBeenCalled();
    });
  });

  it('exports the generator with the reference names; reading it back gives the same weights', async () => {
    const experiment = createExperiment({
      kind: 'stargan',
      seed: 3,
      model: {
        ...(await import('../../models/stargan.config')).STARGAN_DEFAULTS,
        imageSize: 16,
        gConvDim: 4,
        gRepeat: 1,
        dConvDim: 4,
        dRepeat: 3,
        batchSize: 2,
        datasetSize: 16,
      },
    });
    experiment.step('G'); // move IN's affine weights off 1 and 0
    const run = { config: { kind: 'stargan', seed: 3, model: {} } as never, step: 1, name: 'r' };
    const config = (experiment as StarGanExperiment).config;
    const snapshot = await snapshotExperiment(
      experiment,
      { ...run, config: { kind: 'stargan', seed: 3, model: config } },
      'generator',
      (t) => t.data(),
    );
    const { tensors, metadata } = torchStateOfBundle(snapshot.bytes, torchHooksFor);
    expect(Object.keys(tensors)).toEqual(expected.keys);
    const ours = new Map(
      [...(experiment as StarGanExperiment).model.paramsG.named()].map(([n, v]) => [
        n,
        v.dataSync(),
      ]),
    );
    for (const bytes of [writeTorchZip(tensors), writeSafetensors(tensors, metadata)]) {
      const back = flattenTensors(readTorchCheckpoint(bytes).root, '.');
      expect(back['main.1.num_batches_tracked']!.dtype).toBe('int64');
      const found = starganTorch.fromTorch(back, readTorchCheckpoint(bytes).metadata, null)!;
      for (const [name, values] of ours) expect(found.value(name).data, name).toEqual(values);
    }
    // safetensors carries the settings, so the model comes back at its own size.
    const st = writeSafetensors(tensors, metadata);
    const again = starganTorch.fromTorch(
      flattenTensors(readTorchCheckpoint(st).root, '.'),
      metadata,
      null,
    )!;
    expect((again.config.model as StarGanConfig).imageSize).toBe(16);
    // A .pt file cannot say its size: StarGAN's current size when StarGAN runs, else 128 px.
    const pt = flattenTensors(readTorchCheckpoint(writeTorchZip(tensors)).root, '.');
    const plain = starganTorch.fromTorch(pt, undefined, null)!;
    expect((plain.config.model as StarGanConfig).imageSize).toBe(128);
    const current = { kind: 'stargan', seed: 1, model: TINY_STARGAN } as const;
    const sized = starganTorch.fromTorch(pt, undefined, current)!;
    expect((sized.config.model as StarGanConfig).imageSize).toBe(TINY_STARGAN.imageSize);
    experiment.dispose();
  });
});
