/**
 * Test helper: writes zips byte by byte, including the hostile ones a normal writer never
 * makes (aliased or overlapping entries, forged sizes and CRCs, zip64 records with any
 * count), for zip.test.ts and bundle.fuzz.test.ts. Not used by the app.
 */
import { deflateRawSync, constants as zlib } from 'node:zlib';
import { crc32 } from './zip';

export interface CraftEntry {
  readonly name: string;
  /** The bytes written as the entry's data (already compressed when method is 8). */
  readonly data: Uint8Array;
  readonly method?: number;
  /** Declared values; by default the true ones for a stored entry. */
  readonly crc?: number;
  readonly size?: number;
  readonly compressedSize?: number;
  readonly flags?: number;
}

export interface CraftAlias {
  /** A central directory entry pointing at entry `of`'s local header. */
  readonly name: string;
  readonly of: number;
  readonly size?: number;
  readonly compressedSize?: number;
  /** Added to the local header offset (to point inside another entry). */
  readonly shift?: number;
}

export interface CraftOptions {
  readonly aliases?: readonly CraftAlias[];
  readonly comment?: string;
  /** Writes a zip64 end record and locator with these counts, the classic fields saturated. */
  readonly zip64?: { readonly count: number; readonly countOnDisk?: number };
}

const text = new TextEncoder();

class Writer {
  private chunks: Uint8Array[] = [];
  private small: number[] = [];
  length = 0;
  private flush() {
    if (this.small.length > 0) this.chunks.push(Uint8Array.from(this.small));
    this.small = [];
  }
  u16(v: number) {
    this.small.push(v & 0xff, (v >>> 8) & 0xff);
    this.length += 2;
  }
  u32(v: number) {
    this.u16(v & 0xffff);
    this.u16((v >>> 16) & 0xffff);
  }
  u64(v: number) {
    this.u32(v % 2 ** 32);
    this.u32(Math.floor(v / 2 ** 32));
  }
  raw(data: Uint8Array) {
    this.flush();
    this.chunks.push(data);
    this.length += data.length;
  }
  done() {
    this.flush();
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const chunk of this.chunks) {
      out.set(chunk, at);
      at += chunk.length;
    }
    return out;
  }
}

/** A zip of `entries` (in order), with extra central entries and zip64 records on request. */
export function craftZip(entries: readonly CraftEntry[], options: CraftOptions = {}): Uint8Array {
  const w = new Writer();
  const central: {
    name: Uint8Array;
    method: number;
    flags: number;
    crc: number;
    size: number;
    compressedSize: number;
    offset: number;
  }[] = [];
  for (const entry of entries) {
    const name = text.encode(entry.name);
    const method = entry.method ?? 0;
    const fields = {
      name,
      method,
      flags: entry.flags ?? 0x800,
      crc: entry.crc ?? crc32(entry.data),
      size: entry.size ?? entry.data.length,
      compressedSize: entry.compressedSize ?? entry.data.length,
      offset: w.length,
    };
    w.u32(0x04034b50);
    w.u16(20);
    w.u16(fields.flags);
    w.u16(method);
    w.u16(0);
    w.u16(0x21);
    w.u32(fields.crc);
    w.u32(fields.compressedSize);
    w.u32(fields.size);
    w.u16(name.length);
    w.u16(0);
    w.raw(name);
    w.raw(entry.data);
    central.push(fields);
  }
  for (const alias of options.aliases ?? []) {
    const of = central[alias.of]!;
    central.push({
      ...of,
      name: text.encode(alias.name),
      size: alias.size ?? of.size,
      compressedSize: alias.compressedSize ?? of.compressedSize,
      offset: of.offset + (alias.shift ?? 0),
    });
  }
  const directoryOffset = w.length;
  for (const c of central) {
    w.u32(0x02014b50);
    w.u16(20);
    w.u16(20);
    w.u16(c.flags);
    w.u16(c.method);
    w.u16(0);
    w.u16(0x21);
    w.u32(c.crc);
    w.u32(c.compressedSize);
    w.u32(c.size);
    w.u16(c.name.length);
    w.u16(0);
    w.u16(0);
    w.u16(0);
    w.u16(0);
    w.u32(0);
    w.u32(c.offset);
    w.raw(c.name);
  }
  const directorySize = w.length - directoryOffset;
  const comment = text.encode(options.comment ?? '');
  if (options.zip64) {
    const recordOffset = w.length;
    w.u32(0x06064b50);
    w.u64(44);
    w.u16(45);
    w.u16(45);
    w.u32(0);
    w.u32(0);
    w.u64(options.zip64.countOnDisk ?? options.zip64.count);
    w.u64(options.zip64.count);
    w.u64(directorySize);
    w.u64(directoryOffset);
    w.u32(0x07064b50);
    w.u32(0);
    w.u64(recordOffset);
    w.u32(1);
  }
  w.u32(0x06054b50);
  w.u16(0);
  w.u16(0);
  const saturate = Boolean(options.zip64);
  w.u16(saturate ? 0xffff : central.length);
  w.u16(saturate ? 0xffff : central.length);
  w.u32(saturate ? 0xffffffff : directorySize);
  w.u32(saturate ? 0xffffffff : directoryOffset);
  w.u16(comment.length);
  w.raw(comment);
  return w.done();
}

/** Raw deflate of `size` zeros, built from copies of one flushed segment (fast for GiBs). */
export function deflatedZeros(size: number, segment = 16 * 1024 * 1024): Uint8Array {
  const part = deflateRawSync(new Uint8Array(Math.min(size, segment)), {
    level: 9,
    finishFlush: zlib.Z_SYNC_FLUSH,
  });
  const whole = Math.floor(size / segment);
  const rest = size - whole * segment;
  const pieces: Uint8Array[] = [];
  if (size >= segment) for (let i = 0; i < whole; i++) pieces.push(part);
  if (rest > 0) {
    pieces.push(deflateRawSync(new Uint8Array(rest), { finishFlush: zlib.Z_SYNC_FLUSH }));
  }
  // A final empty block with fixed codes: BFINAL 1, BTYPE 01, end-of-block.
  pieces.push(Uint8Array.from([0x03, 0x00]));
  const out = new Uint8Array(pieces.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const piece of pieces) {
    out.set(piece, at);
    at += piece.length;
  }
  return out;
}
