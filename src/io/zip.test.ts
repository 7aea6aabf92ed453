import { deflateRawSync } from 'node:zlib';
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import {
  crc32,
  decodeName,
  type EntryLimits,
  ZipError,
  zipDirectory,
  zipDirectoryOfBlob,
  zipEntryData,
  zipEntryDataOfBlob,
} from './zip';
import { craftZip, deflatedZeros } from './zipCraft';

const OPTIONS = { maxEntries: 1000 };
const LIMITS: EntryLimits = { maxBytes: 256 * 1024 * 1024, maxRatio: 64 };
const MB = 1024 * 1024;

/** Every entry of a zip, read from memory. */
function readAll(bytes: Uint8Array, limits = LIMITS, options = OPTIONS) {
  const directory = zipDirectory(bytes, options);
  return Object.fromEntries(
    directory.entries.map((entry) => [entry.name, zipEntryData(bytes, entry, limits)]),
  );
}

/** The ZipError reading `bytes` throws, and how long it took. */
function refusal(bytes: Uint8Array, limits = LIMITS, options = OPTIONS) {
  const start = performance.now();
  try {
    readAll(bytes, limits, options);
  } catch (error) {
    const seconds = (performance.now() - start) / 1000;
    expect(error).toBeInstanceOf(ZipError);
    return { error: error as ZipError, seconds, perMb: seconds / (bytes.length / MB) };
  }
  throw new Error('the zip was accepted');
}

const random = (n: number, seed = 1) => {
  const out = new Uint8Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    out[i] = s >>> 24;
  }
  return out;
};

describe('crc32', () => {
  it('matches the standard check value and works in pieces', () => {
    expect(crc32(strToU8('123456789'))).toBe(0xcbf43926);
    const data = random(1000);
    expect(crc32(data.subarray(3), crc32(data.subarray(0, 3)))).toBe(crc32(data));
    expect(crc32(new Uint8Array(0))).toBe(0);
  });
});

describe('reading zips', () => {
  it('reads what fflate writes, stored and deflated, from memory and from a Blob', async () => {
    const weights = random(100_000);
    const bytes = zipSync({
      'a.json': strToU8('{"x": 1}'.repeat(100)),
      'dir/': new Uint8Array(0),
      'weights.bin': [weights, { level: 0 }],
    });
    const files = readAll(bytes);
    expect(files['weights.bin']).toEqual(weights);
    expect(new TextDecoder().decode(files['a.json'])).toBe('{"x": 1}'.repeat(100));
    const blob = new Blob([bytes as BlobPart]);
    const directory = await zipDirectoryOfBlob(blob, OPTIONS);
    expect(directory.entries.map((e) => [e.name, e.isDirectory])).toEqual([
      ['a.json', false],
      ['dir/', true],
      ['weights.bin', false],
    ]);
    const entry = directory.byName.get('weights.bin')!;
    expect(await zipEntryDataOfBlob(blob, entry, LIMITS)).toEqual(weights);
  });

  it('reads a zip64 end record whose count agrees, and a comment', () => {
    const data = strToU8('hello');
    const bytes = craftZip([{ name: 'a.txt', data }], { zip64: { count: 1 }, comment: 'hi' });
    expect(readAll(bytes)['a.txt']).toEqual(data);
  });

  it('decodes UTF-8 names, and code page 437 when a name is not UTF-8', () => {
    expect(decodeName(strToU8('Ängste/é.png'))).toBe('Ängste/é.png');
    expect(decodeName(Uint8Array.from([0x8e, 0x2e, 0x70, 0x6e, 0x67]))).toBe('Ä.png');
  });
});

describe('refusing damaged zips with a message saying what is wrong', () => {
  const data = random(4096);
  const stored = () => craftZip([{ name: 'weights.bin', data }]);

  it('a flipped bit in stored data fails the CRC-32', () => {
    const bytes = stored();
    bytes[30 + 'weights.bin'.length + 100]! ^= 0x10;
    expect(refusal(bytes).error.message).toMatch(
      /^weights\.bin has CRC-32 0x[0-9a-f]{8}; the zip says 0x[0-9a-f]{8}$/,
    );
  });

  it('a truncated file has no end record', () => {
    const { error } = refusal(stored().slice(0, 3000));
    expect(error.message).toContain('no end-of-central-directory record');
    expect(refusal(new Uint8Array(10)).error.message).toContain('too short');
  });

  it('a local header that contradicts the directory', () => {
    const bytes = craftZip([{ name: 'weights.bin', data }]);
    bytes[14]! ^= 1; // the local CRC-32
    expect(refusal(bytes).error.message).toBe(
      "weights.bin's local header contradicts the central directory",
    );
  });

  it('sizes that do not add up, either way', () => {
    const deflated = deflateRawSync(data);
    const method = 8;
    const more = craftZip([{ name: 'w', data: deflated, method, crc: crc32(data), size: 4000 }]);
    expect(refusal(more).error.message).toBe('w inflates to more than the 4000 bytes it declares');
    const less = craftZip([{ name: 'w', data: deflated, method, crc: crc32(data), size: 5000 }]);
    expect(refusal(less).error.message).toBe('w inflates to 4096 bytes but declares 5000');
    const storedWrong = craftZip([{ name: 'w', data, size: 4000 }]);
    expect(refusal(storedWrong).error.message).toBe(
      'w is stored uncompressed in 4096 bytes but declares 4000',
    );
    const garbage = craftZip([{ name: 'w', data: random(100), method, size: 1000 }]);
    expect(refusal(garbage).error.message).toMatch(/^w is not valid deflate data/);
  });

  it('compression methods other than stored and deflate, by name', () => {
    const bzip = craftZip([{ name: 'w', data, method: 12 }]);
    expect(refusal(bzip).error).toMatchObject({
      problem: 'unsupported',
      message: 'w uses compression method 12 (bzip2); only stored and deflate entries are read',
    });
    const encrypted = craftZip([{ name: 'w', data, flags: 1 }]);
    expect(refusal(encrypted).error.message).toBe('w is encrypted; encrypted zips are not read');
  });

  it('entries named twice, declared over the limit or over the ratio', () => {
    const twice = craftZip([{ name: 'w', data }], { aliases: [{ name: 'w', of: 0, shift: 1 }] });
    expect(refusal(twice).error.message).toBe('it holds two entries named w');
    const limit = { maxBytes: 1000, maxRatio: 64 };
    expect(refusal(stored(), limit).error).toMatchObject({
      problem: 'limit',
      message: 'weights.bin declares 0.0 MB uncompressed; the limit is 0.0 MB',
    });
    const zeros = deflatedZeros(8 * MB);
    const dense = craftZip([{ name: 'z', data: zeros, method: 8, size: 8 * MB, crc: 0 }]);
    expect(refusal(dense).error.message).toMatch(
      /^z declares 8388608 bytes uncompressed from \d+ compressed, a ratio over the 64 : 1 read$/,
    );
  });
});

describe('hostile zips are refused in time proportional to their size', () => {
  const cases: [string, () => Uint8Array, RegExp, EntryLimits?][] = [
    [
      'a zip64 end record declaring 4,294,967,294 entries',
      () => craftZip([{ name: 'a', data: strToU8('x') }], { zip64: { count: 4_294_967_294 } }),
      /declares 4294967294 entries, but its \d+-byte central directory holds at most 1/,
    ],
    [
      '5 directory entries pointing at one deflate of 1 GiB of zeros',
      () =>
        craftZip([{ name: 'z0', data: deflatedZeros(1024 * MB), method: 8, size: 1024 * MB }], {
          aliases: [1, 2, 3, 4].map((i) => ({ name: `z${i}`, of: 0 })),
        }),
      /both start at byte 0 \(overlapping entries\)/,
      { maxBytes: 2 ** 31, maxRatio: 2000 },
    ],
    [
      '2,000 aliases declaring 255 MB each',
      () =>
        craftZip([{ name: 'a0', data: random(100_000), size: 255 * MB }], {
          aliases: Array.from({ length: 1999 }, (_, i) => ({ name: `a${i + 1}`, of: 0 })),
        }),
      /both start at byte 0 \(overlapping entries\)/,
    ],
    [
      'aliases shifted into the middle of another entry',
      () =>
        craftZip([{ name: 'a', data: random(100_000) }], {
          aliases: [{ name: 'b', of: 0, shift: 50_000 }],
        }),
      /^a \(100000 bytes compressed at byte 0\) overlaps entry b$/,
    ],
    [
      'an entry declared at its right size that inflates to 1 GiB',
      () =>
        craftZip([
          { name: 'weights.bin', data: deflatedZeros(1024 * MB), method: 8, size: 4096, crc: 0 },
        ]),
      /^weights\.bin inflates to more than the 4096 bytes it declares$/,
    ],
    [
      'an entry declared at 255 MB that inflates to 1 GiB',
      () => craftZip([{ name: 'w', data: deflatedZeros(1024 * MB), method: 8, size: 255 * MB }]),
      /^w declares 267386880 bytes uncompressed from \d+ compressed, a ratio over the 64 : 1 read$/,
    ],
    [
      'an entry declared at 64 times its size (as much as the ratio allows) inflating to 1 GiB',
      () => {
        const data = deflatedZeros(1024 * MB);
        return craftZip([{ name: 'w', data, method: 8, size: 64 * data.length }]);
      },
      /^w inflates to more than the \d+ bytes it declares$/,
    ],
  ];

  it.each(cases)('%s', (name, make, message, limits) => {
    const bytes = make();
    // The dataset worker's entry cap, so the larger cases reach the checks they are about.
    const { error, seconds, perMb } = refusal(bytes, limits ?? LIMITS, { maxEntries: 500_000 });
    expect(error.message).toMatch(message);
    // Under 2 s per MB of input; a tiny file gets the time of a 0.1 MB one.
    expect(seconds).toBeLessThan(2 * Math.max(0.1, bytes.length / MB));
    console.info(
      `${name}: ${bytes.length} bytes, ${seconds.toFixed(3)} s, ${perMb.toFixed(3)} s/MB`,
    );
  });
});
