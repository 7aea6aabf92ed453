import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  type Float32StateDict,
  flattenTensors,
  readTorchCheckpoint,
  TorchCheckpointError,
  writeSafetensors,
  writeTorchZip,
} from './index';
import { ZipArchive } from './zip';

const fixture = () =>
  flattenTensors(
    readTorchCheckpoint(readFileSync(join(import.meta.dirname, 'fixtures/stargan_g.zip.pt'))).root,
  );

function floats(): Float32StateDict {
  const out: Float32StateDict = {};
  for (const [name, t] of Object.entries(fixture())) {
    if (t.data instanceof Float32Array) out[name] = { shape: t.shape, data: t.data };
  }
  out['odd.name/with slash'] = { shape: [], data: Float32Array.of(-1.5) };
  out.empty = { shape: [0, 3], data: new Float32Array(0) };
  out.big = { shape: [70000], data: Float32Array.from({ length: 70000 }, (_, i) => i) };
  return out;
}

/** Same bytes (fast; toEqual on long typed arrays is slow). */
const same = (a: ArrayBufferView, b: ArrayBufferView) =>
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(
    Buffer.from(b.buffer, b.byteOffset, b.byteLength),
  );

describe('writeTorchZip', () => {
  it('writes a state_dict that reads back identically, each storage 64-byte aligned', () => {
    const input = floats();
    const file = writeTorchZip(input, 'stargan_g');
    const ck = readTorchCheckpoint(file);
    expect(ck.format).toBe('zip');
    const back = flattenTensors(ck.root);
    expect(Object.keys(back)).toEqual(Object.keys(input));
    for (const [name, t] of Object.entries(input)) {
      expect(back[name]!.dtype).toBe('float32');
      expect(back[name]!.shape, name).toEqual(t.shape);
      expect(same(back[name]!.data, t.data), name).toBe(true);
      expect(back[name]!.data.buffer).toBe(file.buffer); // a view: the entry is aligned
    }
    const zip = new ZipArchive(file);
    expect([...zip.entries.keys()].slice(0, 3)).toEqual([
      'stargan_g/data.pkl',
      'stargan_g/byteorder',
      'stargan_g/data/0',
    ]);
    for (const name of zip.entries.keys()) {
      expect(zip.entries.get(name)!.method).toBe(0);
      expect(zip.read(name).byteOffset % 64, name).toBe(0);
    }
    expect(new TextDecoder().decode(zip.read('stargan_g/version'))).toBe('3\n');
  });

  it('writes the same bytes for the same tensors', () => {
    const a = writeTorchZip(floats());
    const b = writeTorchZip(floats());
    expect(same(a, b)).toBe(true);
  });

  it('refuses tensors whose values do not fit their shape, and odd archive names', () => {
    expect(() => writeTorchZip({ w: { shape: [2, 2], data: new Float32Array(3) } })).toThrow(
      TorchCheckpointError,
    );
    expect(() => writeTorchZip({}, '../x')).toThrow(/plain file name/);
  });
});

describe('writeSafetensors', () => {
  it('writes a file that reads back identically, with its metadata and aligned data', () => {
    const input = floats();
    const file = writeSafetensors(input, { format: 'pt' });
    const ck = readTorchCheckpoint(file);
    expect(ck.format).toBe('safetensors');
    expect(ck.metadata).toEqual({ format: 'pt' });
    const back = flattenTensors(ck.root);
    expect(Object.keys(ck.root as object)).toEqual(Object.keys(input));
    for (const [name, t] of Object.entries(input)) {
      expect(back[name]!.shape).toEqual(t.shape);
      expect(same(back[name]!.data, t.data), name).toBe(true);
      expect(back[name]!.data.buffer).toBe(file.buffer);
    }
    const headerLength = Number(new DataView(file.buffer).getBigUint64(0, true));
    expect(headerLength % 8).toBe(0);
  });

  it('matches the hand-written safetensors fixture from PyTorch byte for byte in its data', () => {
    const input: Float32StateDict = {};
    for (const [name, t] of Object.entries(fixture())) {
      if (t.data instanceof Float32Array) input[name] = { shape: t.shape, data: t.data };
    }
    const ours = readTorchCheckpoint(writeSafetensors(input)).root as Record<
      string,
      { data: unknown }
    >;
    const theirs = flattenTensors(
      readTorchCheckpoint(readFileSync(join(import.meta.dirname, 'fixtures/stargan_g.safetensors')))
        .root,
    );
    for (const name of Object.keys(input)) expect(ours[name]!.data).toEqual(theirs[name]!.data);
  });
});
