/**
 * Fuzzing readBundle (issue 19): a real training-state bundle, damaged in seeded ways (bit
 * flips, truncation, zip64 counts, overlapping and over-inflating entries, crafted
 * manifests). Each must be refused with a BundleError, in time proportional to the file's
 * size, or accepted with the same weights (a flip in bytes no check covers: the zip's
 * comment, file times and attributes).
 */
import { deflateRawSync, constants as zlib } from 'node:zlib';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { snapshotExperiment } from '../engine/bundles';
import { createExperiment } from '../families/engines';
import type { ExperimentConfig } from '../protocol/messages';
import { TINY_EXPERIMENTS } from '../test/tinyConfigs';
import { type Bundle, BundleError, fitSpecs, readBundle } from './bundle';
import { crc32 } from './zip';
import { craftZip, deflatedZeros } from './zipCraft';

const CASES_PER_CLASS = 300;
const MB = 1024 * 1024;

let valid: Uint8Array;
let original: Bundle;
let files: Record<string, Uint8Array>;

beforeAll(async () => {
  // A fixed creation date makes the bundle, and so every case, the same on every run.
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2025-01-01T00:00:00Z'));
  const config = TINY_EXPERIMENTS[0] as ExperimentConfig;
  const experiment = createExperiment(config);
  experiment.step('both').losses.dispose();
  const run = { config, step: 1, name: 'valid' };
  valid = (await snapshotExperiment(experiment, run, 'full', (t) => t.data())).bytes;
  experiment.dispose();
  vi.useRealTimers();
  original = readBundle(valid);
  files = unzipSync(valid);
});

/** Seeded uniform numbers (mulberry32). */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  return { next, int, pick };
}

interface Tally {
  cases: number;
  rejected: number;
  /** Accepted with the same weights, specs and manifest. */
  acceptedSame: number;
  /** Accepted with the same weights but another manifest or specs (crafted manifests only). */
  acceptedOther: number;
  wrongAccepts: number;
  unexpected: string[];
  maxSecondsPerMb: number;
  maxMs: number;
  worst: string;
  /** Seconds per MB with files under 0.1 MB counted as 0.1 MB (fixed costs dominate them). */
  maxFlooredSecondsPerMb: number;
  bytes: number;
}

const tallies = new Map<string, Tally>();

const sameArray = (a: Float32Array, b: Float32Array) =>
  a.length === b.length &&
  new Uint8Array(a.buffer).every((v, i) => v === new Uint8Array(b.buffer)[i]);

/**
 * Reads `bytes` and files the outcome under `kind`. `crafted`: the file was rewritten on
 * purpose, so another valid manifest is an acceptable outcome (weights must still match).
 */
function check(kind: string, bytes: Uint8Array, crafted = false): void {
  const tally =
    tallies.get(kind) ??
    ({
      cases: 0,
      rejected: 0,
      acceptedSame: 0,
      acceptedOther: 0,
      wrongAccepts: 0,
      unexpected: [],
      maxSecondsPerMb: 0,
      maxMs: 0,
      worst: '',
      maxFlooredSecondsPerMb: 0,
      bytes: 0,
    } satisfies Tally);
  tallies.set(kind, tally);
  tally.cases++;
  tally.bytes = Math.max(tally.bytes, bytes.length);
  const read = () => {
    try {
      const bundle = readBundle(bytes);
      fitSpecs(bundle.specs, original.specs);
      return bundle;
    } catch (error) {
      return error;
    }
  };
  let start = performance.now();
  const outcome = read();
  let ms = performance.now() - start;
  // The machine is shared (2 cores): a slow case is timed again, and its best time kept, so
  // that a garbage collection or another process is not taken for the cost of the input.
  for (let retry = 0; retry < 2 && ms > 5; retry++) {
    start = performance.now();
    read();
    ms = Math.min(ms, performance.now() - start);
  }
  let bundle: Bundle | null = null;
  if (outcome instanceof BundleError) tally.rejected++;
  else if (outcome instanceof Error) tally.unexpected.push(`${outcome.name}: ${outcome.message}`);
  else bundle = outcome as Bundle;
  tally.maxMs = Math.max(tally.maxMs, ms);
  if (ms / 1000 / (bytes.length / MB) > tally.maxSecondsPerMb) {
    tally.maxSecondsPerMb = ms / 1000 / (bytes.length / MB);
    tally.worst = `${ms.toFixed(1)} ms for ${bytes.length} bytes`;
  }
  tally.maxFlooredSecondsPerMb = Math.max(
    tally.maxFlooredSecondsPerMb,
    ms / 1000 / Math.max(0.1, bytes.length / MB),
  );
  if (!bundle) return;
  const sameWeights = sameArray(bundle.weights, original.weights);
  const sameRest =
    JSON.stringify(bundle.specs) === JSON.stringify(original.specs) &&
    JSON.stringify(bundle.manifest) === JSON.stringify(original.manifest);
  if (!sameWeights) tally.wrongAccepts++;
  else if (sameRest) tally.acceptedSame++;
  else if (crafted) tally.acceptedOther++;
  else tally.wrongAccepts++;
}

// The valid zip's layout: its central directory records and end record (no comment).
function layout(zip: Uint8Array) {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const end = zip.length - 22;
  const count = view.getUint16(end + 10, true);
  const size = view.getUint32(end + 12, true);
  const offset = view.getUint32(end + 16, true);
  const records: Uint8Array[] = [];
  let p = offset;
  for (let i = 0; i < count; i++) {
    const length = 46 + view.getUint16(p + 28, true) + view.getUint16(p + 30, true);
    records.push(zip.slice(p, p + length + view.getUint16(p + 32, true)));
    p += length + view.getUint16(p + 32, true);
  }
  expect(p).toBe(offset + size);
  return { local: zip.slice(0, offset), records };
}

/** A zip from its local part and central records, with an ordinary end record. */
function assemble(local: Uint8Array, records: readonly Uint8Array[], tail?: Uint8Array) {
  const size = records.reduce((n, r) => n + r.length, 0);
  const end = tail ?? endRecord(records.length, size, local.length);
  const out = new Uint8Array(local.length + size + end.length);
  out.set(local);
  let at = local.length;
  for (const r of records) {
    out.set(r, at);
    at += r.length;
  }
  out.set(end, at);
  return out;
}

function endRecord(count: number, size: number, offset: number, comment = new Uint8Array(0)) {
  const out = new Uint8Array(22 + comment.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, 0x06054b50, true);
  view.setUint16(8, count, true);
  view.setUint16(10, count, true);
  view.setUint32(12, size, true);
  view.setUint32(16, offset, true);
  view.setUint16(20, comment.length, true);
  out.set(comment, 22);
  return out;
}

const recordName = (r: Uint8Array) =>
  strFromU8(r.subarray(46, 46 + new DataView(r.buffer, r.byteOffset).getUint16(28, true)));

function withName(record: Uint8Array, name: string): Uint8Array {
  const view = new DataView(record.buffer, record.byteOffset);
  const old = view.getUint16(28, true);
  const bytes = strToU8(name);
  const out = new Uint8Array(record.length - old + bytes.length);
  out.set(record.subarray(0, 46));
  out.set(bytes, 46);
  out.set(record.subarray(46 + old), 46 + bytes.length);
  new DataView(out.buffer).setUint16(28, bytes.length, true);
  return out;
}

afterAll(() => {
  const rows = [...tallies].map(([kind, t]) => ({
    kind,
    cases: t.cases,
    rejected: t.rejected,
    acceptedSame: t.acceptedSame,
    acceptedOther: t.acceptedOther,
    wrongAccepts: t.wrongAccepts,
    unexpected: t.unexpected.length,
    'max ms': Number(t.maxMs.toFixed(1)),
    'max s/MB': Number(t.maxSecondsPerMb.toFixed(3)),
    'max s/MB (0.1 MB floor)': Number(t.maxFlooredSecondsPerMb.toFixed(3)),
    'largest file': t.bytes,
    'worst s/MB': t.worst,
  }));
  console.table(rows);
});

describe('fuzzing readBundle', () => {
  it('bit flips: rejected, or accepted with identical weights', () => {
    const rng = random(19);
    // One flip in every byte of the headers, the JSON and the directory, and in 300 bytes of
    // the weights (stored: each of their bytes is covered the same way, by the CRC-32).
    const { records } = layout(valid);
    const weightsAt = records
      .map((r) => new DataView(r.buffer))
      .find((_, i) => recordName(records[i]!) === 'weights.bin')!
      .getUint32(42, true);
    const weightsData = weightsAt + 30 + 'weights.bin'.length;
    const weightsEnd = weightsData + files['weights.bin']!.length;
    const positions = Array.from({ length: valid.length }, (_, at) => at).filter(
      (at) => at < weightsData || at >= weightsEnd,
    );
    for (let i = 0; i < CASES_PER_CLASS; i++) {
      positions.push(weightsData + rng.int(weightsEnd - weightsData));
    }
    for (const at of positions) {
      const bytes = valid.slice();
      bytes[at]! ^= 1 << rng.int(8);
      check('bit flip (every byte but the weights)', bytes);
    }
    for (let i = 0; i < CASES_PER_CLASS; i++) {
      const bytes = valid.slice();
      const flips = 1 + rng.int(8);
      for (let k = 0; k < flips; k++) bytes[rng.int(bytes.length)]! ^= 1 << rng.int(8);
      check('bit flips (1-8 random)', bytes);
    }
    // A comment is covered by no check: a flip there changes nothing read.
    const { local } = layout(valid);
    for (let i = 0; i < 20; i++) {
      const comment = strToU8(`a comment ${'x'.repeat(rng.int(200))}`);
      comment[rng.int(comment.length)]! ^= 1 << rng.int(8);
      const size = records.reduce((n, r) => n + r.length, 0);
      const tail = endRecord(records.length, size, local.length, comment);
      check('comment flips', assemble(local, records, tail));
    }
  });

  it('truncation and trailing bytes', () => {
    const rng = random(20);
    for (let i = 0; i < CASES_PER_CLASS; i++) {
      check('truncated', valid.slice(0, rng.int(valid.length)));
    }
    for (let i = 0; i < 50; i++) {
      const extra = new Uint8Array(1 + rng.int(100)).map(() => rng.int(256));
      const bytes = new Uint8Array(valid.length + extra.length);
      bytes.set(valid);
      bytes.set(extra, valid.length);
      check('trailing bytes', bytes);
    }
  });

  it('zip64 end records with any counts, sizes and offsets', () => {
    const rng = random(64);
    const { local, records } = layout(valid);
    const size = records.reduce((n, r) => n + r.length, 0);
    const counts = [0, 1, 2, 3, 4, 100, 65535, 2 ** 32 - 2, 2 ** 32 - 1, 2 ** 32, 2 ** 53 - 1];
    for (let i = 0; i < CASES_PER_CLASS; i++) {
      const fields = {
        countOnDisk: records.length,
        count: records.length,
        size,
        offset: local.length,
        recordSize: 44,
        locatorDisks: 1,
        locatorShift: 0,
        classicCount: 0xffff,
      };
      const field = rng.pick(Object.keys(fields) as (keyof typeof fields)[]);
      const choice = rng.int(3);
      fields[field] =
        choice === 0
          ? rng.pick(counts)
          : choice === 1
            ? fields[field] + rng.pick([-2, -1, 1, 2, 46])
            : rng.int(2 ** 32) * (rng.int(2) ? 2 ** 21 : 1);
      if (field === 'count' && rng.int(2)) fields.countOnDisk = fields.count;
      const tail = new Uint8Array(56 + 20 + 22);
      const view = new DataView(tail.buffer);
      const u64 = (at: number, v: number) => {
        view.setUint32(at, v % 2 ** 32, true);
        view.setUint32(at + 4, Math.floor(v / 2 ** 32) % 2 ** 32, true);
      };
      view.setUint32(0, 0x06064b50, true);
      u64(4, fields.recordSize);
      u64(24, fields.countOnDisk);
      u64(32, fields.count);
      u64(40, fields.size);
      u64(48, fields.offset);
      view.setUint32(56, 0x07064b50, true);
      u64(64, local.length + size + fields.locatorShift);
      view.setUint32(72, fields.locatorDisks, true);
      view.setUint32(76, 0x06054b50, true);
      view.setUint16(84, fields.classicCount, true);
      view.setUint16(86, fields.classicCount, true);
      view.setUint32(88, 0xffffffff, true);
      view.setUint32(92, 0xffffffff, true);
      const bytes = assemble(local, records, tail);
      check('zip64 records', bytes);
    }
  });

  it('overlapping, aliased and shifted entries', () => {
    const rng = random(5);
    const { local, records } = layout(valid);
    const names = records.map(recordName);
    const offsets = records.map((r) => new DataView(r.buffer).getUint32(42, true));
    for (let i = 0; i < CASES_PER_CLASS; i++) {
      const list: Uint8Array[] = records.map((r) => r.slice());
      const mutations = 1 + rng.int(3);
      for (let m = 0; m < mutations; m++) {
        const k = rng.int(list.length);
        const view = new DataView(list[k]!.buffer);
        switch (rng.int(5)) {
          case 0: {
            // Aliases of one entry, under new names, at its offset or near it.
            const copies = rng.pick([1, 4, 50, 2000]);
            const shift = rng.pick([0, 0, 1, -1, 30, rng.int(400) - 200]);
            for (let c = 0; c < copies; c++) {
              const alias = withName(list[k]!, rng.int(3) ? `alias${c}` : rng.pick(names));
              const v = new DataView(alias.buffer);
              v.setUint32(42, Math.max(0, v.getUint32(42, true) + shift), true);
              if (rng.int(2)) v.setUint32(24, 255 * MB, true);
              list.splice(rng.int(list.length + 1), 0, alias);
            }
            break;
          }
          case 1:
            view.setUint32(42, Math.max(0, view.getUint32(42, true) + rng.int(200) - 100), true);
            break;
          case 2:
            view.setUint32(42, rng.pick(offsets), true);
            break;
          case 3:
            view.setUint32(20, view.getUint32(20, true) + 1 + rng.int(5000), true);
            break;
          default: {
            // Two entries swap places in the directory's view of the file.
            const j = rng.int(list.length);
            const other = new DataView(list[j]!.buffer);
            const a = view.getUint32(42, true);
            view.setUint32(42, other.getUint32(42, true), true);
            other.setUint32(42, a, true);
          }
        }
      }
      check('overlapping entries', assemble(local, list));
    }
  });

  it('entries whose data inflates to more or less than declared, and bombs', () => {
    const rng = random(7);
    const weights = files['weights.bin']!;
    const flushed = deflateRawSync(weights, { finishFlush: zlib.Z_SYNC_FLUSH });
    const plain = (name: string) => ({ name, data: files[name]! });
    const bombs = new Map<number, Uint8Array>();
    const bomb = (size: number) => {
      if (!bombs.has(size)) bombs.set(size, deflatedZeros(size));
      return bombs.get(size)!;
    };
    const gib = bomb(1024 * MB);
    for (let i = 0; i < CASES_PER_CLASS; i++) {
      const kind = rng.int(5);
      let data: Uint8Array;
      let crc = crc32(weights);
      if (kind === 0) {
        // The weights then 1 GiB of zeros, declared at the weights' size.
        data = new Uint8Array(flushed.length + gib.length);
        data.set(flushed);
        data.set(gib, flushed.length);
      } else if (kind === 1) {
        // The weights and a few more bytes, with the CRC-32 of either.
        const extra = new Uint8Array(1 + rng.int(5000)).map(() => rng.int(256));
        const longer = new Uint8Array(weights.length + extra.length);
        longer.set(weights);
        longer.set(extra, weights.length);
        data = deflateRawSync(longer);
        if (rng.int(2)) crc = crc32(longer);
      } else if (kind === 2) {
        // Fewer bytes than declared.
        const shorter = weights.slice(0, rng.int(weights.length));
        data = deflateRawSync(shorter);
        if (rng.int(2)) crc = crc32(shorter);
      } else if (kind === 3) {
        data = bomb(rng.pick([1024 * MB, 64 * MB, 8 * MB, MB, 100_000, weights.length + 1]));
        crc = rng.int(2) ? 0 : crc;
      } else {
        data = deflateRawSync(weights);
      }
      const declared =
        kind === 4
          ? rng.pick([weights.length + 1, weights.length - 1, 300 * MB, 2 ** 32 - 2])
          : weights.length;
      const jsonBomb = rng.int(4) === 0;
      const entries = [
        jsonBomb
          ? {
              name: 'manifest.json',
              data: bomb(rng.pick([2 * MB, 64 * MB])),
              method: 8,
              size: rng.pick([files['manifest.json']!.length, 2 * MB, 64 * MB]),
            }
          : plain('manifest.json'),
        plain('model.json'),
        { name: 'weights.bin', data, method: 8, crc, size: declared },
      ];
      check('over- and under-inflating entries', craftZip(entries));
    }
  });

  it('crafted manifests and weight lists', () => {
    const rng = random(11);
    const values: unknown[] = [
      null,
      true,
      -1,
      0,
      1.5,
      1e308,
      -1e308,
      2 ** 53,
      '',
      'x'.repeat(300),
      'NaN',
      [],
      {},
      [[[[1]]]],
      { __proto__: { polluted: true } },
      { constructor: { prototype: { polluted: true } } },
    ];
    const deep = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
    type Node = Record<string, unknown> | unknown[];
    const nodes = (json: unknown, out: [Node, string | number][] = []) => {
      if (json && typeof json === 'object') {
        for (const key of Object.keys(json)) {
          const index = Array.isArray(json) ? Number(key) : key;
          out.push([json as Node, index]);
          nodes((json as Record<string, unknown>)[key], out);
        }
      }
      return out;
    };
    for (let i = 0; i < CASES_PER_CLASS; i++) {
      const name = rng.pick(['manifest.json', 'model.json']);
      const json = JSON.parse(strFromU8(files[name]!)) as unknown;
      let text: string;
      const kind = rng.int(10);
      if (kind === 0) {
        text = rng.pick([
          '',
          'null',
          '[]',
          '"x"',
          '\uFEFF{}',
          deep(100_000),
          `{"a":${deep(200_000)}}`,
          '{"format":"gan-playground-bundle","formatVersion":1e999}',
          JSON.stringify({ ...(json as object), formatVersion: 2 ** 53 }),
        ]);
      } else {
        const all = nodes(json);
        const edits = 1 + rng.int(3);
        for (let e = 0; e < edits && all.length > 0; e++) {
          const [parent, key] = rng.pick(all);
          const what = rng.int(4);
          if (what === 0 && !Array.isArray(parent)) delete parent[key as string];
          else if (what === 1 && typeof (parent as Record<string, unknown>)[key] === 'number') {
            const n = (parent as Record<string, number>)[key]!;
            (parent as Record<string, number>)[key] = rng.pick([n + 1, n - 1, -n, n * 1e9, 0]);
          } else if (what === 2 && typeof (parent as Record<string, unknown>)[key] === 'string') {
            const s = (parent as Record<string, string>)[key]!;
            (parent as Record<string, string>)[key] = rng.pick([
              `${s}x`,
              s.slice(1),
              s.toUpperCase(),
            ]);
          } else {
            (parent as Record<string, unknown>)[key] = rng.pick(values);
          }
        }
        text = JSON.stringify(json, null, rng.int(2) ? 2 : undefined);
        if (rng.int(20) === 0) text = text.replace('{', `{"pad":"${'y'.repeat(2 * MB)}",`);
      }
      const weights = files['weights.bin']!;
      const zip = zipSync({
        ...files,
        [name]: strToU8(text),
        'weights.bin': [rng.int(5) ? weights : weights.slice(0, rng.int(2000)), { level: 0 }],
      });
      check('crafted manifests', zip, true);
    }
  });

  it('found no wrong accepts, no unexpected exceptions, and stayed under 2 s per MB', () => {
    expect(tallies.size).toBeGreaterThan(0);
    for (const [kind, tally] of tallies) {
      expect(tally.unexpected, kind).toEqual([]);
      expect(tally.wrongAccepts, kind).toBe(0);
      expect(tally.rejected + tally.acceptedSame + tally.acceptedOther, kind).toBe(tally.cases);
      expect(tally.maxFlooredSecondsPerMb, kind).toBeLessThan(2);
    }
  });
});
