/**
 * A bounded zip reader: what a file says about itself is believed only as far as its own
 * bytes can back it, so a damaged or hostile zip is refused in time proportional to its size.
 *   - The central directory is parsed here, not trusted: its entry count must fit the bytes the
 *     directory takes (46 bytes an entry at least) and a hard cap; zip64 records must agree
 *     with the classic end record; the directory must be exactly as long as its entries.
 *   - Entries must not share or overlap their local header and data ranges, nor run into the
 *     central directory, and names are unique.
 *   - Only entries asked for are read: stored or deflate (any other method is refused by
 *     name), with their local header checked against the directory (name, method, CRC-32 and
 *     sizes), inflated in chunks that stop as soon as the output passes the declared size,
 *     and then checked for the declared size and CRC-32.
 *   - A declared size is bounded by a limit and by a compression ratio, so no entry costs
 *     more work than a small multiple of the bytes it takes in the file.
 * The same checks run on bytes in memory (a bundle) and on a Blob read in pieces (an upload).
 */
import { Inflate } from 'fflate';

export type ZipProblem = 'damaged' | 'limit' | 'unsupported';

export class ZipError extends Error {
  override readonly name = 'ZipError';
  constructor(
    message: string,
    /** damaged: the bytes contradict themselves; limit: past a bound; unsupported: a feature. */
    readonly problem: ZipProblem,
    /** The entry the problem is in, when it is in one. */
    readonly entry: string | null = null,
  ) {
    super(message);
  }
}

export interface ZipEntry {
  /** The name as stored ("/"-separated by the format; some Windows zips use "\"). */
  readonly name: string;
  readonly isDirectory: boolean;
  readonly method: number;
  readonly flags: number;
  readonly crc: number;
  readonly compressedSize: number;
  /** Uncompressed size, as declared (the actual size is checked when read). */
  readonly size: number;
  /** Where its local header starts. */
  readonly offset: number;
  /** Where the next entry or the central directory starts: its bytes must end by then. */
  readonly end: number;
  readonly rawName: Uint8Array;
}

export interface ZipDirectory {
  /** In central directory order. */
  readonly entries: readonly ZipEntry[];
  readonly byName: ReadonlyMap<string, ZipEntry>;
}

export interface DirectoryOptions {
  /** Refuse a zip listing more entries than this. */
  readonly maxEntries: number;
}

export interface EntryLimits {
  /** Largest uncompressed size read. */
  readonly maxBytes: number;
  /** Largest uncompressed : compressed ratio (beyond RATIO_ALLOWANCE bytes). */
  readonly maxRatio: number;
}

/** Bytes any entry may inflate to whatever its ratio, so small files with headers pass. */
export const RATIO_ALLOWANCE = 16 * 1024;
/**
 * Compressed bytes given to the inflater at a time. Deflate expands at most 1032 : 1, so a
 * chunk sized to what is left of the declared size (at least 1 kB, at most 64 kB) keeps the
 * output of one push within the declared size plus about 1 MB.
 */
const MIN_CHUNK = 1024;
/** 500,000 entries with names of 80 characters take 63 MB. */
const MAX_DIRECTORY_BYTES = 64 * 1024 * 1024;
const MAX_CHUNK = 64 * 1024;
const MAX_DEFLATE_RATIO = 1032;

const END = 0x06054b50;
const END_SIZE = 22;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_LOCATOR_SIZE = 20;
const ZIP64_END = 0x06064b50;
const ZIP64_END_SIZE = 56;
const CENTRAL = 0x02014b50;
const CENTRAL_SIZE = 46;
const LOCAL = 0x04034b50;
const LOCAL_SIZE = 30;
const MAX_COMMENT = 0xffff;
const U16 = 0xffff;
const U32 = 0xffffffff;

const METHODS: Record<number, string> = {
  1: 'Shrink',
  2: 'Reduce',
  3: 'Reduce',
  4: 'Reduce',
  5: 'Reduce',
  6: 'Implode',
  9: 'Deflate64',
  10: 'PKWARE Implode',
  12: 'bzip2',
  14: 'LZMA',
  18: 'IBM TERSE',
  19: 'IBM LZ77',
  20: 'Zstandard',
  93: 'Zstandard',
  94: 'MP3',
  95: 'XZ',
  96: 'JPEG',
  97: 'WavPack',
  98: 'PPMd',
  99: 'AES encryption',
};

const damaged = (message: string, entry: string | null = null) =>
  new ZipError(message, 'damaged', entry);

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

const u16 = (b: Uint8Array, at: number) => b[at]! | (b[at + 1]! << 8);
const u32 = (b: Uint8Array, at: number) =>
  (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
/** A little-endian 64-bit count or offset; anything past 2^53 cannot be a real one. */
function u64(b: Uint8Array, at: number, what: string): number {
  const high = u32(b, at + 4);
  if (high >= 0x200000) throw damaged(`${what} is ${high} * 2^32 or more, past any file`);
  return high * 2 ** 32 + u32(b, at);
}

// CRC-32 (IEEE 802.3, as zip uses), eight bytes a step (slicing-by-8).
const CRC_TABLE = (() => {
  const table = new Int32Array(8 * 256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c;
  }
  for (let n = 0; n < 256; n++) {
    let c = table[n]!;
    for (let k = 1; k < 8; k++) {
      c = table[c & 0xff]! ^ (c >>> 8);
      table[k * 256 + n] = c;
    }
  }
  return table;
})();

export function crc32(data: Uint8Array, previous = 0): number {
  const t = CRC_TABLE;
  let c = ~previous;
  let i = 0;
  const whole = data.length - (data.length % 8);
  for (; i < whole; i += 8) {
    const a = c ^ (data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24));
    const b = data[i + 4]! | (data[i + 5]! << 8) | (data[i + 6]! << 16) | (data[i + 7]! << 24);
    c =
      t[1792 + (a & 0xff)]! ^
      t[1536 + ((a >>> 8) & 0xff)]! ^
      t[1280 + ((a >>> 16) & 0xff)]! ^
      t[1024 + (a >>> 24)]! ^
      t[768 + (b & 0xff)]! ^
      t[512 + ((b >>> 8) & 0xff)]! ^
      t[256 + ((b >>> 16) & 0xff)]! ^
      t[b >>> 24]!;
  }
  for (; i < data.length; i++) c = t[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

const hex = (n: number) => `0x${n.toString(16).padStart(8, '0')}`;

// Names: UTF-8 when flagged or valid; otherwise the format's default, code page 437.
const utf8 = new TextDecoder('utf-8', { fatal: true });
const CP437_HIGH =
  'ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0';

export function decodeName(raw: Uint8Array): string {
  try {
    return utf8.decode(raw);
  } catch {
    let name = '';
    for (const byte of raw) name += byte < 128 ? String.fromCharCode(byte) : CP437_HIGH[byte - 128];
    return name;
  }
}

/** One read the directory parser needs: `length` bytes at `offset` of the file. */
type Read = readonly [offset: number, length: number];

/**
 * The directory parser as steps: it yields each byte range it needs and gets the bytes back,
 * so the same code reads from memory (synchronously) and from a Blob (asynchronously).
 */
function* directorySteps(
  fileSize: number,
  options: DirectoryOptions,
): Generator<Read, ZipDirectory, Uint8Array> {
  if (fileSize < END_SIZE) {
    throw damaged(`it is ${fileSize} bytes, too short for a zip's end record`);
  }
  const tailStart = Math.max(0, fileSize - (END_SIZE + MAX_COMMENT + ZIP64_LOCATOR_SIZE));
  const tail = yield [tailStart, fileSize - tailStart];
  // The end record: the last signature whose comment runs exactly to the end of the file.
  let at = -1;
  for (let i = tail.length - END_SIZE; i >= 0; i--) {
    if (u32(tail, i) === END && i + END_SIZE + u16(tail, i + 20) === tail.length) {
      at = i;
      break;
    }
  }
  if (at < 0) {
    throw damaged('it has no end-of-central-directory record (truncated, or not a zip)');
  }
  const endOffset = tailStart + at;
  let disk = u16(tail, at + 4);
  let directoryDisk = u16(tail, at + 6);
  let countOnDisk = u16(tail, at + 8);
  let count = u16(tail, at + 10);
  let directorySize = u32(tail, at + 12);
  let directoryOffset = u32(tail, at + 16);
  let directoryEnd = endOffset;

  const locatorAt = at - ZIP64_LOCATOR_SIZE;
  if (locatorAt >= 0 && u32(tail, locatorAt) === ZIP64_LOCATOR) {
    const locatorOffset = tailStart + locatorAt;
    const recordOffset = u64(tail, locatorAt + 8, 'the zip64 end record offset');
    const disks = u32(tail, locatorAt + 16);
    if (u32(tail, locatorAt + 4) !== 0 || disks > 1) {
      throw new ZipError('it spans several disks; only single-file zips are read', 'unsupported');
    }
    if (recordOffset + ZIP64_END_SIZE > locatorOffset) {
      throw damaged(`its zip64 end record at byte ${recordOffset} runs past its locator`);
    }
    const record = yield [recordOffset, ZIP64_END_SIZE];
    if (u32(record, 0) !== ZIP64_END) {
      throw damaged(`it has no zip64 end record at byte ${recordOffset}, where its locator points`);
    }
    if (recordOffset + 12 + u64(record, 4, 'the zip64 end record size') !== locatorOffset) {
      throw damaged('its zip64 end record size does not reach its locator');
    }
    const wide = {
      disk: u32(record, 16),
      directoryDisk: u32(record, 20),
      countOnDisk: u64(record, 24, 'the zip64 entry count'),
      count: u64(record, 32, 'the zip64 entry count'),
      directorySize: u64(record, 40, 'the zip64 central directory size'),
      directoryOffset: u64(record, 48, 'the zip64 central directory offset'),
    };
    // Each classic field is either saturated (see zip64) or the same value.
    const agree = (narrow: number, value: number, max: number) =>
      narrow === max || narrow === value;
    if (
      !agree(disk, wide.disk, U16) ||
      !agree(directoryDisk, wide.directoryDisk, U16) ||
      !agree(countOnDisk, wide.countOnDisk, U16) ||
      !agree(count, wide.count, U16) ||
      !agree(directorySize, wide.directorySize, U32) ||
      !agree(directoryOffset, wide.directoryOffset, U32)
    ) {
      throw damaged('its zip64 end record contradicts its end record');
    }
    ({ disk, directoryDisk, countOnDisk, count, directorySize, directoryOffset } = wide);
    directoryEnd = recordOffset;
  }
  if (disk !== 0 || directoryDisk !== 0) {
    throw new ZipError('it spans several disks; only single-file zips are read', 'unsupported');
  }
  if (countOnDisk !== count) {
    throw damaged(`its end record counts ${count} entries in all but ${countOnDisk} on its disk`);
  }
  if (directoryOffset + directorySize !== directoryEnd) {
    throw damaged(
      `its central directory (${directorySize} bytes at byte ${directoryOffset}) does not end where its end record starts (byte ${directoryEnd})`,
    );
  }
  const room = Math.floor(directorySize / CENTRAL_SIZE);
  if (count > room) {
    throw damaged(
      `it declares ${count} entries, but its ${directorySize}-byte central directory holds at most ${room}`,
    );
  }
  if (directorySize > count * (CENTRAL_SIZE + 3 * U16)) {
    throw damaged(
      `its ${directorySize}-byte central directory is longer than ${count} entries can be`,
    );
  }
  if (directorySize > MAX_DIRECTORY_BYTES) {
    throw new ZipError(
      `the zip's central directory is ${mb(directorySize)}; at most ${mb(MAX_DIRECTORY_BYTES)} is read`,
      'limit',
    );
  }
  if (count > options.maxEntries) {
    throw new ZipError(
      `the zip lists ${count} entries; at most ${options.maxEntries} are read`,
      'limit',
    );
  }

  const cd = yield [directoryOffset, directorySize];
  const entries: (ZipEntry & { end: number })[] = [];
  const byName = new Map<string, ZipEntry>();
  let p = 0;
  for (let k = 0; k < count; k++) {
    const which = `central directory entry ${k + 1} of ${count}`;
    if (p + CENTRAL_SIZE > cd.length || u32(cd, p) !== CENTRAL) {
      throw damaged(`${which} is missing or cut off`);
    }
    const nameLength = u16(cd, p + 28);
    const extraLength = u16(cd, p + 30);
    const commentLength = u16(cd, p + 32);
    const next = p + CENTRAL_SIZE + nameLength + extraLength + commentLength;
    if (next > cd.length) throw damaged(`${which} runs past the central directory`);
    const rawName = cd.subarray(p + CENTRAL_SIZE, p + CENTRAL_SIZE + nameLength);
    const name = decodeName(rawName);
    let compressedSize = u32(cd, p + 20);
    let size = u32(cd, p + 24);
    let entryDisk = u16(cd, p + 34);
    let offset = u32(cd, p + 42);
    if (size === U32 || compressedSize === U32 || offset === U32 || entryDisk === U16) {
      // The zip64 extra field holds, in this order, the fields saturated above.
      const extra = findExtra(cd, p + CENTRAL_SIZE + nameLength, extraLength, 0x0001, name);
      if (!extra) throw damaged(`${name} has saturated sizes but no zip64 extra field`, name);
      let q = extra.start;
      const take = (what: string) => {
        if (q + 8 > extra.end) throw damaged(`${name}'s zip64 extra field is cut off`, name);
        const value = u64(cd, q, `${name}'s ${what}`);
        q += 8;
        return value;
      };
      if (size === U32) size = take('size');
      if (compressedSize === U32) compressedSize = take('compressed size');
      if (offset === U32) offset = take('offset');
      if (entryDisk === U16) {
        if (q + 4 > extra.end) throw damaged(`${name}'s zip64 extra field is cut off`, name);
        entryDisk = u32(cd, q);
      }
    }
    if (entryDisk !== 0) {
      throw new ZipError('it spans several disks; only single-file zips are read', 'unsupported');
    }
    if (byName.has(name)) throw damaged(`it holds two entries named ${name}`, name);
    const entry = {
      name,
      isDirectory: name.endsWith('/') || (name.endsWith('\\') && size === 0),
      method: u16(cd, p + 10),
      flags: u16(cd, p + 8),
      crc: u32(cd, p + 16),
      compressedSize,
      size,
      offset,
      end: directoryOffset,
      rawName,
    };
    entries.push(entry);
    byName.set(name, entry);
    p = next;
  }
  if (p !== cd.length) {
    throw damaged(`its central directory has ${cd.length - p} bytes past its ${count} entries`);
  }

  // Entries in file order: each one's local header, name and data must end before the next
  // one starts, and the last before the central directory.
  const ordered = [...entries].sort((a, b) => a.offset - b.offset);
  for (let i = 0; i < ordered.length; i++) {
    const entry = ordered[i]!;
    const next = ordered[i + 1];
    if (next && next.offset === entry.offset) {
      throw damaged(
        `entries ${entry.name} and ${next.name} both start at byte ${entry.offset} (overlapping entries)`,
        entry.name,
      );
    }
    entry.end = next ? next.offset : directoryOffset;
    const least = entry.offset + LOCAL_SIZE + entry.rawName.length + entry.compressedSize;
    if (least > entry.end) {
      throw damaged(
        `${entry.name} (${entry.compressedSize} bytes compressed at byte ${entry.offset}) overlaps ${next ? `entry ${next.name}` : 'the central directory'}`,
        entry.name,
      );
    }
  }
  return { entries, byName };
}

function findExtra(
  bytes: Uint8Array,
  start: number,
  length: number,
  id: number,
  name: string,
): { start: number; end: number } | null {
  let q = start;
  const end = start + length;
  while (q + 4 <= end) {
    const size = u16(bytes, q + 2);
    if (q + 4 + size > end) throw damaged(`${name}'s extra fields are cut off`, name);
    if (u16(bytes, q) === id) return { start: q + 4, end: q + 4 + size };
    q += 4 + size;
  }
  return null;
}

/** The directory of a zip held in memory. */
export function zipDirectory(bytes: Uint8Array, options: DirectoryOptions): ZipDirectory {
  const steps = directorySteps(bytes.length, options);
  let step = steps.next();
  while (!step.done) {
    const [offset, length] = step.value;
    step = steps.next(bytes.subarray(offset, offset + length));
  }
  return step.value;
}

/** The directory of a zip in a Blob (a File), reading only its tail and directory. */
export async function zipDirectoryOfBlob(
  blob: Blob,
  options: DirectoryOptions,
): Promise<ZipDirectory> {
  const steps = directorySteps(blob.size, options);
  let step = steps.next();
  while (!step.done) {
    const [offset, length] = step.value;
    const bytes = new Uint8Array(await blob.slice(offset, offset + length).arrayBuffer());
    step = steps.next(bytes);
  }
  return step.value;
}

/** The byte range an entry's local header and data lie in, relative to the file. */
function extentOf(entry: ZipEntry): Read {
  const longest = LOCAL_SIZE + entry.rawName.length + U16 + entry.compressedSize;
  return [entry.offset, Math.min(entry.end, entry.offset + longest) - entry.offset];
}

/** Everything about an entry that can be refused before reading it. */
function checkBeforeReading(entry: ZipEntry, limits: EntryLimits): void {
  const { name } = entry;
  if (entry.flags & 0x41) {
    throw new ZipError(`${name} is encrypted; encrypted zips are not read`, 'unsupported', name);
  }
  if (entry.method !== 0 && entry.method !== 8) {
    const method = METHODS[entry.method];
    throw new ZipError(
      `${name} uses compression method ${entry.method}${method ? ` (${method})` : ''}; only stored and deflate entries are read`,
      'unsupported',
      name,
    );
  }
  if (entry.size > limits.maxBytes) {
    throw new ZipError(
      `${name} declares ${mb(entry.size)} uncompressed; the limit is ${mb(limits.maxBytes)}`,
      'limit',
      name,
    );
  }
  if (entry.size > RATIO_ALLOWANCE + limits.maxRatio * entry.compressedSize) {
    throw new ZipError(
      `${name} declares ${entry.size} bytes uncompressed from ${entry.compressedSize} compressed, a ratio over the ${limits.maxRatio} : 1 read`,
      'limit',
      name,
    );
  }
  if (entry.method === 0 && entry.compressedSize !== entry.size) {
    throw damaged(
      `${name} is stored uncompressed in ${entry.compressedSize} bytes but declares ${entry.size}`,
      name,
    );
  }
}

/** Reads an entry from its extent (the bytes from its local header on). */
function readExtent(extent: Uint8Array, entry: ZipEntry): Uint8Array {
  const { name } = entry;
  if (extent.length < LOCAL_SIZE || u32(extent, 0) !== LOCAL) {
    throw damaged(`${name} has no local header at byte ${entry.offset}`, name);
  }
  const nameLength = u16(extent, 26);
  const start = LOCAL_SIZE + nameLength + u16(extent, 28);
  if (start + entry.compressedSize > extent.length) {
    throw damaged(
      `${name}'s data runs past byte ${entry.end}, where the next entry or the central directory starts (overlapping entries)`,
      name,
    );
  }
  const localName = extent.subarray(LOCAL_SIZE, LOCAL_SIZE + nameLength);
  if (
    localName.length !== entry.rawName.length ||
    localName.some((byte, i) => byte !== entry.rawName[i])
  ) {
    throw damaged(`${name}'s local header names it ${decodeName(localName)}`, name);
  }
  const localFlags = u16(extent, 6);
  if (u16(extent, 8) !== entry.method) {
    throw damaged(`${name}'s local header gives another compression method`, name);
  }
  if (!((localFlags | entry.flags) & 0x8)) {
    // Without a data descriptor the local header repeats the CRC-32 and sizes.
    const crc = u32(extent, 14);
    const compressed = u32(extent, 18);
    const size = u32(extent, 22);
    if (
      crc !== entry.crc ||
      (compressed !== U32 && compressed !== entry.compressedSize) ||
      (size !== U32 && size !== entry.size)
    ) {
      throw damaged(`${name}'s local header contradicts the central directory`, name);
    }
  }
  const data = extent.subarray(start, start + entry.compressedSize);
  const out = entry.method === 0 ? data : inflate(data, entry);
  const crc = crc32(out);
  if (crc !== entry.crc) {
    throw damaged(`${name} has CRC-32 ${hex(crc)}; the zip says ${hex(entry.crc)}`, name);
  }
  return out;
}

function inflate(data: Uint8Array, entry: ZipEntry): Uint8Array {
  const { name, size } = entry;
  const out = new Uint8Array(size);
  let length = 0;
  let ended = false;
  const inflater = new Inflate((chunk, final) => {
    if (length + chunk.length > size) {
      throw damaged(`${name} inflates to more than the ${size} bytes it declares`, name);
    }
    out.set(chunk, length);
    length += chunk.length;
    ended ||= final;
  });
  try {
    let at = 0;
    do {
      const left = Math.ceil((size - length) / MAX_DEFLATE_RATIO);
      const next = Math.min(at + Math.max(MIN_CHUNK, Math.min(MAX_CHUNK, left)), data.length);
      inflater.push(data.subarray(at, next), next === data.length);
      at = next;
    } while (at < data.length);
  } catch (error) {
    if (error instanceof ZipError) throw error;
    throw damaged(
      `${name} is not valid deflate data (${error instanceof Error ? error.message : String(error)})`,
      name,
    );
  }
  if (!ended || length !== size) {
    throw damaged(`${name} inflates to ${length} bytes but declares ${size}`, name);
  }
  return out;
}

/**
 * An entry's bytes from a zip held in memory, checked (sizes, CRC-32, ranges). A stored
 * entry's bytes are a view of `bytes`.
 */
export function zipEntryData(bytes: Uint8Array, entry: ZipEntry, limits: EntryLimits): Uint8Array {
  checkBeforeReading(entry, limits);
  const [offset, length] = extentOf(entry);
  return readExtent(bytes.subarray(offset, offset + length), entry);
}

/** An entry's bytes from a zip in a Blob, checked as zipEntryData does. */
export async function zipEntryDataOfBlob(
  blob: Blob,
  entry: ZipEntry,
  limits: EntryLimits,
): Promise<Uint8Array> {
  checkBeforeReading(entry, limits);
  const [offset, length] = extentOf(entry);
  const extent = new Uint8Array(await blob.slice(offset, offset + length).arrayBuffer());
  return readExtent(extent, entry);
}
