import { describe, expect, it } from 'vitest';
import {
  flattenTensors,
  readTorchCheckpoint,
  TorchCheckpointError,
  type TorchTensor,
} from './index';
import { f32bytes, legacyCheckpoint, P, stateDictPickle, zipCheckpoint } from './testing';

type Spec = [storageType: string, numel: number, offset: number, size: number[], stride: number[]];

const one = ([type, numel, offset, size, stride]: Spec, legacy = false) =>
  stateDictPickle([['w', (p: P) => p.tensor('0', type, numel, offset, size, stride, legacy)]]);

const zipOne = (spec: Spec, data: Uint8Array) =>
  readTorchCheckpoint(zipCheckpoint(one(spec), { '0': data }));
const legacyOne = (spec: Spec, count: number, data: Uint8Array) =>
  readTorchCheckpoint(legacyCheckpoint(one(spec, true), [['0', count, data]]));

const w = (ck: { root: unknown }) => (ck.root as Record<string, TorchTensor>).w!;

describe('storage bounds', () => {
  it('reads a tensor that exactly fits its storage, in both formats', () => {
    const data = f32bytes([1, 2, 3, 4, 5, 6]);
    const spec: Spec = ['FloatStorage', 6, 0, [2, 3], [3, 1]];
    expect(Array.from(w(zipOne(spec, data)).data as Float32Array)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(Array.from(w(legacyOne(spec, 6, data)).data as Float32Array)).toEqual([
      1, 2, 3, 4, 5, 6,
    ]);
  });

  it('gathers transposed and strided views, and broadcasts a zero stride', () => {
    const data = f32bytes([1, 2, 3, 4, 5, 6]);
    expect(
      Array.from(w(zipOne(['FloatStorage', 6, 0, [3, 2], [1, 3]], data)).data as Float32Array),
    ).toEqual([1, 4, 2, 5, 3, 6]);
    expect(
      Array.from(w(zipOne(['FloatStorage', 6, 1, [2, 2], [3, 1]], data)).data as Float32Array),
    ).toEqual([2, 3, 5, 6]);
    expect(() => zipOne(['FloatStorage', 6, 1, [2, 2], [3, 2]], data)).toThrow(
      /reads past the end/,
    );
    expect(
      Array.from(w(zipOne(['FloatStorage', 6, 2, [2, 3], [0, 1]], data)).data as Float32Array),
    ).toEqual([3, 4, 5, 3, 4, 5]);
  });

  it('refuses a storage entry smaller than its declared element count', () => {
    expect(() => zipOne(['FloatStorage', 6, 0, [6], [1]], f32bytes([1, 2, 3]))).toThrow(
      new TorchCheckpointError(
        'The storage data/0 holds 12 bytes but declares 6 float32 elements (24 bytes)',
      ),
    );
  });

  it('refuses a tensor that reads past the end of its storage', () => {
    const data = f32bytes([1, 2, 3, 4]);
    expect(() => zipOne(['FloatStorage', 4, 0, [5], [1]], data)).toThrow(
      /reads past the end of its storage data\/0/,
    );
    expect(() => zipOne(['FloatStorage', 4, 2, [3], [1]], data)).toThrow(/reads past the end/);
    expect(() => zipOne(['FloatStorage', 4, 0, [2, 2], [1, 3]], data)).toThrow(
      /reads past the end/,
    );
    expect(() => legacyOne(['FloatStorage', 4, 0, [2, 3], [3, 1]], 4, data)).toThrow(
      /reads past the end/,
    );
  });

  it('refuses absurd sizes, negative strides and shapes that do not match their strides', () => {
    const data = f32bytes([1, 2, 3, 4]);
    expect(() => zipOne(['FloatStorage', 4, 0, [1 << 20, 1 << 20], [0, 0]], data)).toThrow(
      /absurd size/,
    );
    expect(() => zipOne(['FloatStorage', 4, 0, [2], [-1]], data)).toThrow(/invalid stride/);
    expect(() => zipOne(['FloatStorage', 4, 0, [2, 2], [1]], data)).toThrow(/invalid stride/);
    expect(() =>
      zipOne(['FloatStorage', 4, 0, Array(17).fill(1), Array(17).fill(1)], data),
    ).toThrow(/17 dimensions/);
    // A storage declaring 2^40 elements never gets that far.
    expect(() => zipOne(['FloatStorage', 2 ** 40, 0, [4], [1]], data)).toThrow(
      /holds 16 bytes but declares/,
    );
  });

  it('applies configurable limits', () => {
    const data = f32bytes([1, 2, 3, 4]);
    const ck = zipCheckpoint(one(['FloatStorage', 4, 0, [4], [1]]), { '0': data });
    expect(() => readTorchCheckpoint(ck, { tensorLimits: { maxElements: 3 } })).toThrow(
      /absurd size/,
    );
    expect(() => readTorchCheckpoint(ck, { zipLimits: { maxEntries: 2 } })).toThrow(
      /lists 3 entries, more than 2/,
    );
    expect(() => readTorchCheckpoint(ck, { zipLimits: { maxEntryBytes: 8 } })).toThrow(
      /archive\/data\.pkl declares \d+ bytes, more than 8/,
    );
  });

  it('refuses a legacy storage whose length prefix disagrees, or that is cut short', () => {
    const spec: Spec = ['FloatStorage', 4, 0, [4], [1]];
    expect(() => legacyOne(spec, 5, f32bytes([1, 2, 3, 4, 5]))).toThrow(
      /holds 5 elements but its tensors declare 4/,
    );
    expect(() => legacyOne(spec, 4, f32bytes([1, 2, 3]))).toThrow(
      /truncated: storage 0 needs 16 bytes, 12 remain/,
    );
    expect(() => legacyOne(spec, 2 ** 52, f32bytes([1]))).toThrow(TorchCheckpointError);
  });

  it('reads a legacy storage view (PyTorch < 0.4) as a range of its root storage', () => {
    // pid ('storage', FloatStorage, root '0', 'cpu', 6, ('view', offset 2, 3 elements))
    const pkl = stateDictPickle([
      [
        'w',
        (p) =>
          p
            .global('torch._utils', '_rebuild_tensor_v2')
            .mark()
            .mark()
            .str('storage')
            .global('torch', 'FloatStorage')
            .str('0')
            .str('cpu')
            .int(6)
            .mark()
            .str('view')
            .int(2)
            .int(3)
            .tuple()
            .tuple()
            .raw(0x51)
            .int(1)
            .ints([2])
            .ints([1])
            .raw(0x89)
            .global('collections', 'OrderedDict')
            .emptyTuple()
            .reduce()
            .tuple()
            .reduce(),
      ],
    ]);
    const ck = readTorchCheckpoint(legacyCheckpoint(pkl, [['0', 6, f32bytes([1, 2, 3, 4, 5, 6])]]));
    expect(Array.from(w(ck).data as Float32Array)).toEqual([4, 5]);
  });

  it('refuses a missing storage entry and a storage used with two dtypes', () => {
    const pkl = one(['FloatStorage', 4, 0, [4], [1]]);
    expect(() => readTorchCheckpoint(zipCheckpoint(pkl, {}))).toThrow(
      /missing its storage archive\/data\/0/,
    );
    const twice = stateDictPickle([
      ['a', (p) => p.tensor('0', 'FloatStorage', 4, 0, [4], [1])],
      ['b', (p) => p.tensor('0', 'IntStorage', 4, 0, [4], [1])],
    ]);
    expect(() =>
      readTorchCheckpoint(zipCheckpoint(twice, { '0': f32bytes([1, 2, 3, 4]) })),
    ).toThrow(/used as both float32 and int32/);
  });

  it('reads float16, bfloat16 and float64 storages as float32', () => {
    const half = new Uint8Array(
      new Uint16Array([0x3c00, 0xc000, 0x7bff, 0x0001, 0x8000, 0x7c00, 0x7e00]).buffer,
    );
    const t = w(zipOne(['HalfStorage', 7, 0, [7], [1]], half)).data as Float32Array;
    expect(Array.from(t)).toEqual([
      1,
      -2,
      65504,
      2 ** -24,
      -0,
      Number.POSITIVE_INFINITY,
      Number.NaN,
    ]);
    const bf = new Uint8Array(new Uint16Array([0x3f80, 0xc060]).buffer);
    expect(
      Array.from(w(zipOne(['BFloat16Storage', 2, 0, [2], [1]], bf)).data as Float32Array),
    ).toEqual([1, -3.5]);
    const f64 = new Uint8Array(new Float64Array([0.1, -2]).buffer);
    const d = w(zipOne(['DoubleStorage', 2, 0, [2], [1]], f64));
    expect(d.dtype).toBe('float64');
    expect(Array.from(d.data as Float32Array)).toEqual([Math.fround(0.1), -2]);
  });
});

describe('file detection', () => {
  it('names what it was given when it is not a checkpoint', () => {
    expect(() => readTorchCheckpoint(new Uint8Array(4))).toThrow(/too short/);
    expect(() =>
      readTorchCheckpoint(new TextEncoder().encode('hello, this is not a model')),
    ).toThrow(/not a PyTorch checkpoint/);
    expect(() =>
      readTorchCheckpoint(new P().proto().int(1).stop().bytes().slice().fill(0x80, 0, 1)),
    ).toThrow(TorchCheckpointError);
    const plainPickle = new P().proto().raw(0x7d).str('a').int(1).raw(0x73).stop().bytes();
    expect(() => readTorchCheckpoint(plainPickle)).toThrow(/plain pickle/);
    const tar = new Uint8Array(1024);
    tar.set(new TextEncoder().encode('ustar'), 257);
    expect(() => readTorchCheckpoint(tar)).toThrow(/tar-format checkpoint/);
  });

  it('refuses a zip without data.pkl, or with deflate damage', () => {
    const noPkl = zipCheckpoint(new Uint8Array(0), {});
    // rename archive/data.pkl in both headers
    const renamed = noPkl.slice();
    const text = new TextDecoder('latin1').decode(renamed);
    for (let i = text.indexOf('data.pkl'); i >= 0; i = text.indexOf('data.pkl', i + 1))
      renamed[i] = 0x65;
    expect(() => readTorchCheckpoint(renamed)).toThrow(/has no data\.pkl/);
  });

  it('refuses a big-endian legacy checkpoint', () => {
    const ck = legacyCheckpoint(one(['FloatStorage', 1, 0, [1], [1]], true), [
      ['0', 1, f32bytes([1])],
    ]);
    const text = new TextDecoder('latin1').decode(ck);
    const at = text.indexOf('little_endian') + 'little_endian'.length;
    expect(ck[at]).toBe(0x88);
    ck[at] = 0x89;
    expect(() => readTorchCheckpoint(ck)).toThrow(/big-endian/);
  });

  it('refuses malformed safetensors headers and offsets', () => {
    const st = (header: unknown, data = new Uint8Array(16)) => {
      const json = new TextEncoder().encode(JSON.stringify(header));
      const out = new Uint8Array(8 + json.length + data.length);
      new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
      out.set(json, 8);
      out.set(data, 8 + json.length);
      return out;
    };
    const ok = st({ w: { dtype: 'F32', shape: [2, 2], data_offsets: [0, 16] } });
    expect(flattenTensors(readTorchCheckpoint(ok).root).w!.shape).toEqual([2, 2]);
    expect(() =>
      readTorchCheckpoint(st({ w: { dtype: 'F32', shape: [2, 3], data_offsets: [0, 16] } })),
    ).toThrow(/has 16 bytes of data, but its shape \[2, 3\] needs 24/);
    expect(() =>
      readTorchCheckpoint(st({ w: { dtype: 'F32', shape: [8], data_offsets: [0, 32] } })),
    ).toThrow(/truncated: tensor w ends at byte 32 of 16/);
    expect(() =>
      readTorchCheckpoint(st({ w: { dtype: 'F8_E4M3', shape: [1], data_offsets: [0, 1] } })),
    ).toThrow(/unsupported dtype F8_E4M3/);
    expect(() =>
      readTorchCheckpoint(st({ w: { dtype: 'F32', shape: [1], data_offsets: [8, 4] } })),
    ).toThrow(/invalid data_offsets/);
    const bad = st({ w: 1 });
    bad[8] = 0x7b;
    bad[9] = 0x7b;
    expect(() => readTorchCheckpoint(bad)).toThrow(/not valid JSON/);
  });
});
