/**
 * clovaai/stargan-v2 checkpoints in and out: tiny networks saved by the PyTorch twin as
 * CheckpointIO does (a dict of state_dicts; zip and legacy formats;
 * scripts/reference/starganv2_checkpoints.py) load into our EMA networks and give the twin's
 * styles and images; mismatches are refused by name; exports read back equal.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it, vi } from 'vitest';
import { Rng } from '../../core/random';
import { snapshotExperiment } from '../../engine/bundles';
import type { ExperimentFactory } from '../../engine/experiment';
import { experimentFromFile, torchStateOfBundle } from '../../engine/torchImport';
import {
  flattenTensors,
  isRecord,
  readTorchCheckpoint,
  TorchTensor,
  writeSafetensors,
  writeTorchZip,
} from '../../io/torch';
import { StarGanV2 } from '../../models/starganv2';
import type { StarGanV2Config } from '../../models/starganv2.config';
import { createExperiment, experimentOfTorch, torchHooksFor } from '../engines';
import type { StarGanV2Experiment } from './experiment';
import expected from './fixtures/expected.json';
import { starganv2Torch } from './torch';
import { MODULES, type StarGanV2TorchShape, starganv2TorchNames } from './torchNames';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const file = (name: string) => new Uint8Array(readFileSync(join(FIXTURES, name)));
const SHAPE: StarGanV2TorchShape = expected.shape;
const MODULE_NAMES = MODULES.map(([m]) => m);

function decode(e: { shape: number[]; b64: string }): tf.Tensor {
  const bytes = Buffer.from(e.b64, 'base64');
  const values = new Float32Array(bytes.byteLength / 4);
  new Uint8Array(values.buffer).set(bytes);
  return tf.tensor(values, e.shape);
}

/** The script's pattern(): ((sum_i a_i idx_i) mod m) / d - 1, indices in NCHW order. */
function pattern(nchw: readonly number[], a: readonly number[], m: number, d: number) {
  const [n, c, h, w] = nchw as [number, number, number, number];
  const out = new Float32Array(n * c * h * w);
  let k = 0;
  for (let i = 0; i < n; i++)
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++)
        for (let ch = 0; ch < c; ch++)
          out[k++] = ((a[0]! * i + a[1]! * ch + a[2]! * y + a[3]! * x) % m) / d - 1;
  return tf.tensor4d(out, [n, h, w, c]);
}

const maxDiff = (a: tf.Tensor, b: tf.Tensor) =>
  tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);

interface EmaNets {
  GEma: StarGanV2['GEma'];
  FEma: StarGanV2['FEma'];
  EEma: StarGanV2['EEma'];
}

/** Max errors of F(z, y), E(x_ref, y), G(x, F(z, y)), G(x, E(x_ref, y)) against the twin's. */
function errors(m: EmaNets): number[] {
  return tf.tidy(() => {
    const size = SHAPE.imageSize;
    const x = pattern([2, 3, size, size], [7, 5, 3, 11], 17, 8);
    const xRef = pattern([2, 3, size, size], [5, 3, 7, 2], 13, 6);
    const z = tf.tensor2d(
      Array.from({ length: 2 * SHAPE.latentDim }, (_, k) => {
        const [i, j] = [Math.floor(k / SHAPE.latentDim), k % SHAPE.latentDim];
        return ((3 * i + 5 * j) % 7) / 3 - 1;
      }),
      [2, SHAPE.latentDim],
    );
    const y = tf.oneHot(tf.tensor1d(expected.y, 'int32'), SHAPE.numDomains) as tf.Tensor2D;
    const sLatent = m.FEma(z, y);
    const sRef = m.EEma(xRef, y);
    return [
      maxDiff(sLatent, decode(expected.sLatent)),
      maxDiff(sRef, decode(expected.sRef)),
      maxDiff(m.GEma(x, sLatent), decode(expected.gLatent)),
      maxDiff(m.GEma(x, sRef), decode(expected.gRef)),
    ];
  });
}

const tensorsOf = (bytes: Uint8Array) =>
  flattenTensors(readTorchCheckpoint(bytes, { inPlace: true }).root, '.');

/** A fresh model at the fixture's shape whose EMA networks hold `tensors`' weights. */
function modelFrom(tensors: Record<string, TorchTensor>): StarGanV2 {
  const found = starganv2Torch.fromTorch(tensors, undefined, null)!;
  const model = new StarGanV2(found.config.model as StarGanV2Config, SHAPE.numDomains, new Rng(1));
  for (const p of [model.paramsGEma, model.paramsFEma, model.paramsEEma]) {
    for (const [name, variable] of p.named()) {
      const { shape, data } = found.value(name);
      tf.tidy(() => variable.assign(tf.tensor(data, [...shape])));
    }
  }
  return model;
}

const factory = () => {
  const build = vi.fn(async (c: Parameters<typeof createExperiment>[0]) => createExperiment(c));
  return {
    build,
    factory: Object.assign(build, { fromTorch: experimentOfTorch }) as ExperimentFactory,
  };
};

/** A flattened checkpoint written back as clovaai's dict of state_dicts (zip format). */
const asFile = (tensors: Record<string, TorchTensor>, modules: readonly string[] = MODULE_NAMES) =>
  writeTorchZip(
    tensors as Record<string, { shape: readonly number[]; data: Float32Array }>,
    'archive',
    modules,
  );

/** Zero-valued networks of `shape`, as a flattened checkpoint. */
const zeros = (shape: StarGanV2TorchShape) =>
  Object.fromEntries(
    starganv2TorchNames(shape).map((e) => [
      e.torch,
      new TorchTensor(
        'float32',
        [...e.torchShape],
        new Float32Array(e.torchShape.reduce((a, b) => a * b, 1)),
      ),
    ]),
  );

describe("clovaai/stargan-v2 checkpoints (a dict of the modules' state_dicts)", () => {
  it("names every key of the reference's modules, in their state_dict order", () => {
    const tensors = tensorsOf(file('nets_ema.zip.ckpt'));
    expect(Object.keys(tensors)).toEqual(starganv2TorchNames(SHAPE).map((e) => e.torch));
  });

  for (const name of ['nets_ema.zip.ckpt', 'nets_ema.legacy.ckpt']) {
    it(`loads ${name} and gives the twin's styles and images to 1e-4`, () => {
      const model = modelFrom(tensorsOf(file(name)));
      const errs = errors(model);
      for (const e of errs) expect(e).toBeLessThan(1e-4);
      model.dispose();
    });
  }

  it('builds a StarGAN v2 experiment whose EMA networks are the file, through the import path', async () => {
    const { factory: build } = factory();
    const { experiment, manifest, description } = await experimentFromFile(
      file('nets_ema.legacy.ckpt'),
      build,
    );
    expect(manifest.flavour).toBe('generator');
    expect(manifest.experiment.kind).toBe('starganv2');
    const { model } = experiment as StarGanV2Experiment;
    const { numDomains, ...widths } = SHAPE;
    expect(model.config).toMatchObject({ ...widths, data: 'animals' });
    expect(numDomains).toBe(model.numDomains);
    expect(description).toMatch(/img_size 16, dim_in 2, max_conv_dim 4, style_dim 3, latent_dim 2/);
    for (const e of errors(model)) expect(e).toBeLessThan(1e-4);

    // Exported (ours -> clovaai's layout) and read back (-> ours): every weight exactly.
    const config = { kind: 'starganv2' as const, seed: 1, model: model.config };
    const snapshot = await snapshotExperiment(
      experiment,
      { config, step: 0, name: 'r' },
      'generator',
      (t) => t.data(),
    );
    const { tensors, metadata, modules } = torchStateOfBundle(snapshot.bytes, torchHooksFor);
    expect(modules).toEqual(MODULE_NAMES);
    expect(Object.keys(tensors)).toEqual(starganv2TorchNames(SHAPE).map((e) => e.torch));
    const ours = new Map(
      [model.paramsGEma, model.paramsFEma, model.paramsEEma].flatMap((p) =>
        [...p.named()].map(([n, v]) => [n, v.dataSync()] as const),
      ),
    );
    const pt = writeTorchZip(tensors, 'archive', modules);
    const root = readTorchCheckpoint(pt).root;
    // torch.load gives {'generator': OrderedDict, ...}, as CheckpointIO.load indexes it.
    expect(isRecord(root) && Object.keys(root)).toEqual(MODULE_NAMES);
    for (const bytes of [pt, writeSafetensors(tensors, metadata)]) {
      const back = readTorchCheckpoint(bytes);
      const found = starganv2Torch.fromTorch(flattenTensors(back.root, '.'), back.metadata, null)!;
      expect(found.specs.map((s) => s.name)).toEqual(
        [...ours.keys()].sort(
          (a, b) =>
            found.specs.findIndex((s) => s.name === a) - found.specs.findIndex((s) => s.name === b),
        ),
      );
      for (const [name, values] of ours) expect(found.value(name).data, name).toEqual(values);
    }
    experiment.dispose();
  });

  it('takes a discriminator (…_nets.ckpt) and DataParallel prefixes, and says D is not loaded', () => {
    const t = tensorsOf(file('nets_ema.zip.ckpt'));
    const withD: Record<string, TorchTensor> = {};
    for (const [k, v] of Object.entries(t)) withD[k.replace(/^(\w+)\./, '$1.module.')] = v;
    withD['discriminator.main.0.weight'] = new TorchTensor(
      'float32',
      [2, 3, 3, 3],
      new Float32Array(54),
    );
    const found = starganv2Torch.fromTorch(
      tensorsOf(asFile(withD, [...MODULE_NAMES, 'discriminator'])),
      undefined,
      null,
    )!;
    expect(found.description).toMatch(/its discriminator is not loaded/);
    expect(found.specs).toHaveLength(starganv2TorchNames(SHAPE).length);
  });

  it("reads the reference's AFHQ size, 256 px, with few toy animals to show it on", () => {
    const found = starganv2Torch.fromTorch(zeros({ ...SHAPE, imageSize: 256 }), undefined, null)!;
    expect(found.config.model).toMatchObject({ imageSize: 256, convDim: 2, datasetSize: 16 });
  });

  describe('refuses what it cannot build, naming the first mismatch, before building', () => {
    const refused = async (bytes: Uint8Array, message: string | RegExp) => {
      const { build, factory: f } = factory();
      await expect(experimentFromFile(bytes, f)).rejects.toThrow(message);
      expect(build).not.toHaveBeenCalled();
    };
    const fixture = () => tensorsOf(file('nets_ema.zip.ckpt'));
    const what = /clovaai\/stargan-v2's networks with img_size 16, dim_in 2, max_conv_dim 4/;

    it('a StarGAN v1 checkpoint is not taken for one (v1 loads it as v1)', () => {
      const v1 = tensorsOf(
        new Uint8Array(readFileSync(join(FIXTURES, '../../stargan/fixtures/stargan_g16.zip.pt'))),
      );
      expect(starganv2Torch.fromTorch(v1, undefined, null)).toBeNull();
      expect(experimentOfTorch(v1, undefined).config.kind).toBe('stargan');
    });

    it('a wrong shape', async () => {
      const t = fixture();
      t['generator.encode.0.conv2.weight'] = new TorchTensor(
        'float32',
        [4, 2, 1, 1],
        new Float32Array(8),
      );
      await refused(asFile(t), 'generator.encode.0.conv2.weight is [4, 2, 1, 1] where');
      await refused(asFile(t), what);
    });

    it('a missing key, and an extra one', async () => {
      const t = fixture();
      delete t['style_encoder.unshared.2.bias'];
      await refused(
        asFile(t),
        /^The checkpoint lacks style_encoder.unshared.2.bias, which clovaai/,
      );
      const u = fixture();
      u['generator.encode.0.conv1x1.bias'] = new TorchTensor('float32', [4], new Float32Array(4));
      await refused(asFile(u), 'The checkpoint has generator.encode.0.conv1x1.bias [4], which');
    });

    it('a w_hpf > 0 checkpoint (with the FAN), a lone generator, a missing module', async () => {
      const fan = {
        ...fixture(),
        'fan.conv1.weight': new TorchTensor('float32', [1], new Float32Array(1)),
      };
      await refused(asFile(fan, [...MODULE_NAMES, 'fan']), /holds fan.conv1.weight, a w_hpf > 0/);
      const hpf = {
        ...fixture(),
        'generator.hpf.filter': new TorchTensor('float32', [3, 3], new Float32Array(9)),
      };
      await refused(asFile(hpf), /holds generator.hpf.filter, a w_hpf > 0/);
      const g = Object.fromEntries(
        Object.entries(fixture())
          .filter(([k]) => k.startsWith('generator.'))
          .map(([k, v]) => [k.slice('generator.'.length), v]),
      );
      await refused(writeTorchZip(g as never), /lone Generator state_dict/);
      const noE = Object.fromEntries(
        Object.entries(fixture()).filter(([k]) => !k.startsWith('style_encoder.')),
      );
      await refused(asFile(noE, MODULE_NAMES.slice(0, 2)), 'The checkpoint has no style_encoder');
    });

    it('a domain count or image size the page does not build', async () => {
      const two = Object.fromEntries(
        Object.entries(fixture()).filter(([k]) => !/unshared\.2\b/.test(k)),
      );
      await refused(asFile(two), /^num_domains 2: the page's animals have 3 domains/);
      // 128 px: the style encoder's five down-sampling blocks say so; the form has no 128.
      await refused(
        asFile(zeros({ ...SHAPE, imageSize: 128 })),
        /^img_size 128 .*builds StarGAN v2 at 16, 32, 64, 256 px/,
      );
      // Widths beyond the form: a style code of 200 (the field stops at 128).
      const wide = zeros({ ...SHAPE, styleDim: 200 });
      await refused(
        asFile(wide),
        /^These networks are beyond what the page builds \(model.styleDim/,
      );
    });

    it('NaN weights', async () => {
      const t = fixture();
      const w = t['mapping_network.unshared.1.6.weight']!;
      const nan = new Float32Array(w.data as Float32Array);
      nan[2] = Number.NaN;
      t['mapping_network.unshared.1.6.weight'] = new TorchTensor('float32', w.shape, nan);
      await refused(asFile(t), "The checkpoint's F_ema/unshared.1.6/W holds a NaN");
    });
  });
});
