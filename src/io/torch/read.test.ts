import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import expected from './fixtures/expected.json';
import {
  type CheckpointRecord,
  flattenTensors,
  isRecord,
  readTorchCheckpoint,
  TorchCheckpointError,
  type TorchTensor,
} from './index';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const load = (name: string) => new Uint8Array(readFileSync(join(FIXTURES, name)));

interface Row {
  name: string;
  dtype: string;
  shape: number[];
  sum: number | string;
  first: (number | string)[];
  values?: (number | string)[];
}

/** Values as numbers (int64 as strings, like the JSON). */
function values(t: TorchTensor, n = t.size): (number | string)[] {
  const out: (number | string)[] = [];
  for (let i = 0; i < Math.min(n, t.size); i++) {
    const v = t.data[i]!;
    out.push(typeof v === 'bigint' ? v.toString() : v);
  }
  return out;
}

function expectMatches(tensors: Record<string, TorchTensor>, rows: Row[]) {
  expect(Object.keys(tensors)).toEqual(rows.map((r) => r.name));
  for (const row of rows) {
    const t = tensors[row.name]!;
    expect(t.dtype, row.name).toBe(row.dtype);
    expect(t.shape, row.name).toEqual(row.shape);
    expect(t.size).toBe(row.shape.reduce((a, b) => a * b, 1));
    // float64 comes back as float32
    const want = (xs: (number | string)[]) =>
      row.dtype === 'float64' ? xs.map((x) => Math.fround(x as number)) : xs;
    expect(values(t, 4), row.name).toEqual(want(row.first));
    if (row.values) expect(values(t), row.name).toEqual(want(row.values));
    if (row.dtype === 'int64') {
      let s = 0n;
      for (const v of t.data as BigInt64Array) s += v;
      expect(s.toString()).toBe(row.sum);
    } else {
      let s = 0;
      for (const v of t.data as Float32Array) s += v;
      expect(s, row.name).toBeCloseTo(row.sum as number, row.dtype === 'float64' ? 5 : 9);
    }
  }
}

describe('readTorchCheckpoint on files written by PyTorch 1.13', () => {
  it.each([
    ['stargan_g.zip.pt', 'zip'],
    ['stargan_g.legacy.pt', 'legacy'],
    ['stargan_g.safetensors', 'safetensors'],
  ])('reads yunjey/stargan Generator keys from %s', (file, format) => {
    const ck = readTorchCheckpoint(load(file));
    expect(ck.format).toBe(format);
    const tensors = flattenTensors(ck.root);
    expectMatches(tensors, expected.stargan_g as Row[]);
    expect(tensors['main.1.weight']!.shape).toEqual([4]); // InstanceNorm affine
    expect(tensors['main.9.main.0.weight']!.shape).toEqual([16, 16, 3, 3]); // ResidualBlock
    expect(tensors['main.9.main.1.num_batches_tracked']!.data).toEqual(
      BigInt64Array.from([200000n]),
    );
    if (format === 'safetensors') {
      expect(ck.metadata).toEqual({ source: 'scripts/reference/torch_checkpoints.py' });
    }
  });

  it.each(['stargan_v2_nets.legacy.pt', 'stargan_v2_nets.zip.pt'])(
    'keeps the nesting of StarGAN v2 nets in %s',
    (file) => {
      const root = readTorchCheckpoint(load(file)).root as CheckpointRecord;
      expect(Object.keys(root)).toEqual(['generator', 'mapping_network', 'style_encoder']);
      for (const net of Object.values(root)) expect(isRecord(net)).toBe(true);
      const g = root.generator as Record<string, TorchTensor>;
      expect(g['from_rgb.weight']!.shape).toEqual([4, 3, 1, 1]);
      expectMatches(flattenTensors(root), expected.stargan_v2_nets as Row[]);
    },
  );

  it.each(['misc.zip.pt', 'misc.legacy.pt'])(
    'rebuilds views, dtypes, scalars and parameters from %s',
    (file) => {
      const root = readTorchCheckpoint(load(file)).root as CheckpointRecord;
      expectMatches(flattenTensors(root), expected.misc as Row[]);
      expect(root.step).toBe(expected.misc_step);
      expect(root.name).toBe(expected.misc_name);
      const t = root as Record<string, TorchTensor>;
      // The transposed view is the transpose of the tensor it shares its storage with.
      for (let i = 0; i < 5; i++) {
        for (let j = 0; j < 3; j++)
          expect(t.transposed!.data[i * 3 + j]).toBe(t.base!.data[j * 5 + i]);
      }
      expect(t.half!.data).toBeInstanceOf(Float32Array);
      expect(t.bf16!.data).toBeInstanceOf(Float32Array);
      expect(t.double!.data).toBeInstanceOf(Float32Array);
      expect(t.long!.data).toBeInstanceOf(BigInt64Array);
      expect(t.int!.data).toBeInstanceOf(Int32Array);
      expect(t.byte!.data).toBeInstanceOf(Uint8Array);
      expect(t.scalar!.shape).toEqual([]);
    },
  );

  it('returns float32 tensors of a zip checkpoint as views into the file buffer', () => {
    const file = load('stargan_g.zip.pt');
    const tensors = flattenTensors(readTorchCheckpoint(file).root);
    const floats = Object.values(tensors).filter((t) => t.dtype === 'float32');
    expect(floats.length).toBeGreaterThan(30);
    for (const t of floats) expect(t.data.buffer).toBe(file.buffer);
  });

  it('reads a legacy checkpoint in place (aligned views, same values) when allowed', () => {
    const copy = load('stargan_g.legacy.pt');
    const plain = flattenTensors(readTorchCheckpoint(load('stargan_g.legacy.pt')).root);
    const inPlace = flattenTensors(readTorchCheckpoint(copy, { inPlace: true }).root);
    for (const [name, t] of Object.entries(inPlace)) {
      expect(t.data, name).toEqual(plain[name]!.data);
      if (t.dtype === 'float32' || t.dtype === 'int64') expect(t.data.buffer).toBe(copy.buffer);
    }
  });

  it('accepts an ArrayBuffer and a Uint8Array at an odd offset', () => {
    const file = load('stargan_g.zip.pt');
    const ab = file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength);
    expect(Object.keys(flattenTensors(readTorchCheckpoint(ab).root))).toHaveLength(43);
    const shifted = new Uint8Array(file.byteLength + 3);
    shifted.set(file, 3);
    const t = flattenTensors(readTorchCheckpoint(shifted.subarray(3)).root);
    expectMatches(t, expected.stargan_g as Row[]);
  });
});

describe('hostile files from PyTorch', () => {
  it.each(['malicious_system.zip.pt', 'malicious_system.legacy.pt'])(
    'refuses the os.system payload in %s, naming it',
    (file) => {
      expect(() => readTorchCheckpoint(load(file))).toThrow(
        new TorchCheckpointError(
          'The checkpoint refers to posix.system, which a weights file never needs; it was not loaded',
        ),
      );
    },
  );

  it('refuses a whole pickled nn.Module and says to save a state_dict', () => {
    expect(() => readTorchCheckpoint(load('whole_module.zip.pt'))).toThrow(
      /whole pickled model \(torch\.nn\.modules\.linear\.Linear\).*state_dict/,
    );
  });

  it.each([
    'stargan_g.zip.pt',
    'stargan_g.legacy.pt',
    'stargan_g.safetensors',
    'misc.zip.pt',
    'misc.legacy.pt',
  ])('refuses %s cut short at any of 60 lengths with a TorchCheckpointError', (file) => {
    const bytes = load(file);
    for (let k = 0; k < 60; k++) {
      const cut = Math.floor((bytes.byteLength * k) / 60);
      expect(() => readTorchCheckpoint(bytes.slice(0, cut)), `${file} at ${cut}`).toThrow(
        TorchCheckpointError,
      );
    }
    expect(() => readTorchCheckpoint(bytes.slice(0, -1))).toThrow(TorchCheckpointError);
  });

  it.each(['misc.zip.pt', 'misc.legacy.pt', 'stargan_v2_nets.legacy.pt', 'stargan_g.safetensors'])(
    'either reads %s with random bytes flipped or refuses it cleanly',
    (file) => {
      const original = load(file);
      let seed = 12345;
      const rand = () => {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        return seed / 2 ** 31;
      };
      // Flip bytes in the first 1,500 (pickles and headers), where the structure is.
      const span = Math.min(original.byteLength, 1500);
      let refused = 0;
      for (let trial = 0; trial < 400; trial++) {
        const bytes = original.slice();
        for (let k = 0; k < 1 + Math.floor(rand() * 3); k++) {
          bytes[Math.floor(rand() * span)] = Math.floor(rand() * 256);
        }
        try {
          readTorchCheckpoint(bytes);
        } catch (e) {
          if (!(e instanceof TorchCheckpointError)) throw e;
          refused++;
        }
      }
      expect(refused).toBeGreaterThan(0);
    },
  );
});
