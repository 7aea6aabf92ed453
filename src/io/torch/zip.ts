/**
 * The central directory of a zip archive, read without copying: torch.save stores its
 * entries uncompressed (and 64-byte aligned), so each entry is a view into the file.
 * fflate inflates the rare deflated entry (an archive re-zipped by another tool).
 *
 * fflate's unzipSync would copy every entry (doubling memory for a large checkpoint) and
 * relies on the local headers, whose sizes torch leaves at 0 (it writes data descriptors);
 * the central directory, with ZIP64 records as torch always writes them, is read here.
 */
import { inflateSync } from 'fflate';
import { check, TorchCheckpointError } from './errors';

export interface ZipLimits {
  /** Entries in the archive (default 100,000). */
  maxEntries: number;
  /** Bytes of one inflated entry (default 2 GiB). */
  maxEntryBytes: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = { maxEntries: 100_000, maxEntryBytes: 2 ** 31 };

export interface ZipEntry {
  name: string;
  /** 0 stored, 8 deflated. */
  method: number;
  compressedSize: number;
  size: number;
  /** Offset of the local file header. */
  headerOffset: number;
}

const decoder = new TextDecoder('utf-8');

export function isZip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

export class ZipArchive {
  readonly entries = new Map<string, ZipEntry>();
  private readonly view: DataView;

  constructor(
    private readonly bytes: Uint8Array,
    limits: ZipLimits = DEFAULT_ZIP_LIMITS,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const v = this.view;
    const n = bytes.byteLength;
    // End of central directory: 22 bytes plus a comment of up to 65,535.
    let eocd = -1;
    for (let i = n - 22; i >= Math.max(0, n - 22 - 0xffff); i--) {
      if (v.getUint32(i, true) === 0x06054b50) {
        eocd = i;
        break;
      }
    }
    check(eocd >= 0, 'The zip archive is truncated: its central directory is missing');
    let count = v.getUint16(eocd + 10, true);
    let cdSize = v.getUint32(eocd + 12, true);
    let cdOffset = v.getUint32(eocd + 16, true);
    if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
      // ZIP64: the locator (20 bytes) sits just before the EOCD.
      const loc = eocd - 20;
      check(
        loc >= 0 && v.getUint32(loc, true) === 0x07064b50,
        'The zip archive is malformed: its ZIP64 locator is missing',
      );
      const rec = this.u64(loc + 8);
      check(
        rec + 56 <= n && v.getUint32(rec, true) === 0x06064b50,
        'The zip archive is malformed: its ZIP64 directory record is missing',
      );
      count = this.u64(rec + 32);
      cdSize = this.u64(rec + 40);
      cdOffset = this.u64(rec + 48);
    }
    check(
      count <= limits.maxEntries,
      () => `The zip archive lists ${count} entries, more than ${limits.maxEntries}`,
    );
    check(
      cdOffset + cdSize <= n,
      'The zip archive is truncated: its central directory lies past the end of the file',
    );
    let p = cdOffset;
    for (let i = 0; i < count; i++) {
      check(
        p + 46 <= n && v.getUint32(p, true) === 0x02014b50,
        'The zip archive is malformed: a central directory entry is damaged',
      );
      const method = v.getUint16(p + 10, true);
      let compressedSize = v.getUint32(p + 20, true);
      let size = v.getUint32(p + 24, true);
      const nameLen = v.getUint16(p + 28, true);
      const extraLen = v.getUint16(p + 30, true);
      const commentLen = v.getUint16(p + 32, true);
      let headerOffset = v.getUint32(p + 42, true);
      check(
        p + 46 + nameLen + extraLen + commentLen <= n,
        'The zip archive is truncated inside its central directory',
      );
      const name = decoder.decode(bytes.subarray(p + 46, p + 46 + nameLen));
      // ZIP64 extended information: only the fields saturated above are present, in order.
      let e = p + 46 + nameLen;
      const extraEnd = e + extraLen;
      while (e + 4 <= extraEnd) {
        const id = v.getUint16(e, true);
        const len = v.getUint16(e + 2, true);
        if (id === 0x0001) {
          let q = e + 4;
          const field = () => {
            check(q + 8 <= e + 4 + len, 'The zip archive has a damaged ZIP64 field');
            const x = this.u64(q);
            q += 8;
            return x;
          };
          if (size === 0xffffffff) size = field();
          if (compressedSize === 0xffffffff) compressedSize = field();
          if (headerOffset === 0xffffffff) headerOffset = field();
        }
        e += 4 + len;
      }
      check(
        method === 0 || method === 8,
        () =>
          `The zip entry ${name} uses compression method ${method}; only stored and deflated entries are read`,
      );
      check(
        size <= limits.maxEntryBytes,
        () => `The zip entry ${name} declares ${size} bytes, more than ${limits.maxEntryBytes}`,
      );
      check(!this.entries.has(name), () => `The zip archive holds ${name} twice`);
      this.entries.set(name, { name, method, compressedSize, size, headerOffset });
      p += 46 + nameLen + extraLen + commentLen;
    }
  }

  /** The bytes of one entry: a view into the archive when stored. */
  read(name: string): Uint8Array {
    const entry = this.entries.get(name);
    check(entry, () => `The zip archive has no entry ${name}`);
    const v = this.view;
    const h = entry.headerOffset;
    check(
      h + 30 <= this.bytes.byteLength && v.getUint32(h, true) === 0x04034b50,
      () => `The zip entry ${name} is damaged: its local header is missing`,
    );
    const start = h + 30 + v.getUint16(h + 26, true) + v.getUint16(h + 28, true);
    const end = start + entry.compressedSize;
    check(
      end <= this.bytes.byteLength,
      () =>
        `The zip archive is truncated: entry ${name} needs ${end - this.bytes.byteLength} more bytes`,
    );
    const raw = this.bytes.subarray(start, end);
    if (entry.method === 0) {
      check(
        entry.size === entry.compressedSize,
        () => `The zip entry ${name} is damaged: stored sizes disagree`,
      );
      return raw;
    }
    let out: Uint8Array;
    try {
      out = inflateSync(raw, { out: new Uint8Array(entry.size) });
    } catch (e) {
      throw new TorchCheckpointError(`The zip entry ${name} does not inflate: ${String(e)}`);
    }
    check(
      out.byteLength === entry.size,
      () =>
        `The zip entry ${name} inflates to ${out.byteLength} bytes, not the ${entry.size} it declares`,
    );
    return out;
  }

  private u64(at: number): number {
    check(at + 8 <= this.bytes.byteLength, 'The zip archive is truncated');
    const lo = this.view.getUint32(at, true);
    const hi = this.view.getUint32(at + 4, true);
    check(hi < 0x200000, 'The zip archive declares an absurd size');
    return hi * 2 ** 32 + lo;
  }
}
