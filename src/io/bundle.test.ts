import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { experimentFromBundle, snapshotExperiment } from '../engine/bundles';
import { Trainer } from '../engine/trainer';
import { createExperiment } from '../families/engines';
import type { ExperimentConfig } from '../protocol/messages';
import { buildExperiment, TINY_EXPERIMENTS } from '../test/tinyConfigs';
import { BUNDLE_VERSION, MAX_BUNDLE_BYTES, readBundle } from './bundle';

const config = TINY_EXPERIMENTS[0] as Extract<ExperimentConfig, { kind: 'gan2d' }>;
const build = async (c: ExperimentConfig) => createExperiment(c);
let valid: Uint8Array;

beforeAll(async () => {
  const experiment = createExperiment(config);
  experiment.step('both').losses.dispose();
  const run = { config, step: 1, name: 'valid' };
  valid = (await snapshotExperiment(experiment, run, 'full', (t) => t.data())).bytes;
  experiment.dispose();
});

type Files = Record<string, Uint8Array>;
type Json = Record<string, unknown>;

/** A copy of the valid bundle with its files changed by `edit`. */
function edited(edit: (files: Files) => void): Uint8Array {
  const files = unzipSync(valid);
  edit(files);
  return zipSync(files);
}

const editJson = (name: string, change: (json: Json) => void) =>
  edited((files) => {
    const json = JSON.parse(strFromU8(files[name]!)) as Json;
    change(json);
    files[name] = strToU8(JSON.stringify(json));
  });

const specsOf = (json: Json) =>
  (json.weightsManifest as { weights: { name: string; shape: number[]; dtype: string }[] }[])[0]!
    .weights;

const rejects = (bytes: Uint8Array) => expect(experimentFromBundle(bytes, build)).rejects;

describe('reading a bundle', () => {
  it('reads back what it wrote', () => {
    const { manifest, specs, weights } = readBundle(valid);
    expect(manifest.experiment).toEqual(config);
    expect(manifest.formatVersion).toBe(BUNDLE_VERSION);
    expect(manifest.data).toEqual({ name: 'ring', attributes: [] });
    expect(specs[0]!.name).toBe('G/fc0/W');
    expect(weights.length).toBe(specs.reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1), 0));
  });

  it('rejects a file that is not a zip', async () => {
    await rejects(strToU8('{"hello": 1}')).toThrow('not a zip archive');
  });

  it('rejects a damaged zip', async () => {
    await rejects(valid.slice(0, valid.length / 2)).toThrow(/damaged|has no/);
  });

  it('rejects a zip without a manifest', async () => {
    await rejects(edited((files) => delete files['manifest.json'])).toThrow(
      'The file has no manifest.json',
    );
  });

  it('rejects a manifest that is not JSON or not ours', async () => {
    await rejects(edited((files) => (files['manifest.json'] = strToU8('{oops')))).toThrow(
      'manifest.json is not valid JSON',
    );
    await rejects(editJson('manifest.json', (m) => (m.format = 'other'))).toThrow(
      'not a GAN Playground manifest',
    );
  });

  it('rejects newer and unknown format versions', async () => {
    await rejects(editJson('manifest.json', (m) => (m.formatVersion = BUNDLE_VERSION + 1))).toThrow(
      `format version ${BUNDLE_VERSION + 1}, newer than this app reads`,
    );
    await rejects(editJson('manifest.json', (m) => (m.formatVersion = 'one'))).toThrow(
      'Unknown format version "one"',
    );
  });

  it('rejects an unknown model kind and invalid settings', async () => {
    await rejects(
      editJson('manifest.json', (m) => ((m.experiment as Json).kind = 'vqgan')),
    ).toThrow('Unknown model kind "vqgan"');
    await rejects(
      editJson('manifest.json', (m) => (((m.experiment as Json).model as Json).gWidth = -3)),
    ).toThrow(/settings are invalid \(model.gWidth/);
  });

  it('rejects weights that do not fit the settings: names, shapes, dtypes, byte lengths', async () => {
    await rejects(
      editJson('manifest.json', (m) => (((m.experiment as Json).model as Json).gWidth = 16)),
    ).toThrow(/do not match the settings: G\/fc0\/W has shape \[2,32\], the model's is \[2,16\]/);
    await rejects(
      editJson('model.json', (m) => {
        specsOf(m)[0]!.name = 'G/renamed';
      }),
    ).toThrow(/missing G\/fc0\/W/);
    await rejects(
      editJson('model.json', (m) => {
        specsOf(m)[0]!.dtype = 'int32';
      }),
    ).toThrow('Weight G/fc0/W has dtype int32; only float32 is read');
    await rejects(
      edited((files) => (files['weights.bin'] = files['weights.bin']!.slice(0, 100))),
    ).toThrow(/weights.bin holds 100 bytes; model.json describes \d+/);
  });

  it('rejects NaN and infinite weights', async () => {
    const bytes = edited((files) => {
      const weights = new Float32Array(files['weights.bin']!.slice().buffer);
      weights[5] = Number.NaN;
      files['weights.bin'] = new Uint8Array(weights.buffer);
    });
    await rejects(bytes).toThrow('Weight G/fc0/W holds NaN or infinite values');
  });

  it('rejects files and entries over the size limit, declared or actual', async () => {
    await rejects(new Uint8Array(MAX_BUNDLE_BYTES + 1)).toThrow(/The file is 256.0 MB; the limit/);
    // 2 MB of spaces deflates to a few kB, past the 1 MB limit for JSON entries.
    const bomb = edited((files) => (files['model.json'] = strToU8(' '.repeat(2 << 20))));
    await rejects(bomb).toThrow('model.json declares 2.0 MB uncompressed; the limit is 1.0 MB');
    // The same entry with its declared sizes forged small: found out when inflated.
    const forged = bomb.slice();
    const view = new DataView(forged.buffer);
    for (let at = 0; at < forged.length - 4; at++) {
      const signature = view.getUint32(at, true);
      if (signature === 0x04034b50 && view.getUint32(at + 22, true) === 2 << 20) {
        view.setUint32(at + 22, 10, true);
      }
      if (signature === 0x02014b50 && view.getUint32(at + 24, true) === 2 << 20) {
        view.setUint32(at + 24, 10, true);
      }
    }
    await rejects(forged).toThrow(/damaged|model.json holds 2.0 MB uncompressed|not valid JSON/);
  });

  it('keeps the current run untouched when a load fails, and it trains on', async () => {
    const events = { experiment: () => {}, progress: () => {}, notice: () => {} };
    const trainer = new Trainer(events, buildExperiment);
    await trainer.reset(config);
    await trainer.stepOnce('both');
    const before = (await trainer.snapshot('full', 'x')).bytes;
    await expect(trainer.load(strToU8('nope'))).rejects.toThrow('neither a GAN Playground file');
    await expect(
      trainer.load(editJson('manifest.json', (m) => (m.formatVersion = 99))),
    ).rejects.toThrow('newer');
    expect(trainer.step).toBe(1);
    const after = (await trainer.snapshot('full', 'x')).bytes;
    expect(unzipSync(after)['weights.bin']).toEqual(unzipSync(before)['weights.bin']);
    await trainer.stepOnce('both');
    expect(trainer.step).toBe(2);
    await trainer.load(valid);
    expect(trainer.step).toBe(1);
    await trainer.dispose();
  });
});
