/** Hand-built pickles and checkpoints for the tests (hostile ones included). */
import { strToU8, zipSync } from 'fflate';

/** A pickle assembled opcode by opcode. */
export class P {
  private readonly out: number[] = [];

  raw(...bytes: number[]): this {
    this.out.push(...bytes);
    return this;
  }
  proto(n = 2): this {
    return this.raw(0x80, n);
  }
  global(module: string, name: string): this {
    return this.raw(0x63, ...strToU8(`${module}\n${name}\n`));
  }
  stackGlobal(module: string, name: string): this {
    return this.str(module).str(name).raw(0x93);
  }
  str(s: string): this {
    const b = strToU8(s);
    if (b.length < 256) return this.raw(0x8c, b.length, ...b);
    const n = b.length;
    return this.raw(0x58, n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, n >>> 24, ...b);
  }
  int(n: number): this {
    if (n >= 0 && n < 256) return this.raw(0x4b, n);
    if (n < -(2 ** 31) || n >= 2 ** 31) {
      // LONG1, 8 bytes little-endian two's complement
      const b = new Uint8Array(8);
      new DataView(b.buffer).setBigInt64(0, BigInt(n), true);
      return this.raw(0x8a, 8, ...b);
    }
    const b = new Uint8Array(4);
    new DataView(b.buffer).setInt32(0, n, true);
    return this.raw(0x4a, ...b);
  }
  ints(xs: readonly number[]): this {
    this.mark();
    for (const x of xs) this.int(x);
    return this.raw(0x74);
  }
  mark(): this {
    return this.raw(0x28);
  }
  tuple(): this {
    return this.raw(0x74);
  }
  reduce(): this {
    return this.raw(0x52);
  }
  emptyTuple(): this {
    return this.raw(0x29);
  }
  stop(): this {
    return this.raw(0x2e);
  }
  /** _rebuild_tensor_v2(storage pid, offset, size, stride, False, OrderedDict()). */
  tensor(
    key: string,
    storageType: string,
    numel: number,
    offset: number,
    size: readonly number[],
    stride: readonly number[],
    legacy = false,
  ): this {
    this.global('torch._utils', '_rebuild_tensor_v2').mark();
    this.mark().str('storage').global('torch', storageType).str(key).str('cpu').int(numel);
    if (legacy) this.raw(0x4e);
    this.tuple().raw(0x51);
    this.int(offset).ints(size).ints(stride).raw(0x89);
    return this.global('collections', 'OrderedDict').emptyTuple().reduce().tuple().reduce();
  }
  bytes(): Uint8Array {
    return Uint8Array.from(this.out);
  }
}

/** {name: tensor} as an OrderedDict pickle; `body` adds the tensors. */
export function stateDictPickle(entries: [string, (p: P) => P][]): Uint8Array {
  const p = new P().proto().global('collections', 'OrderedDict').emptyTuple().reduce();
  for (const [name, add] of entries) add(p.str(name)).raw(0x73);
  return p.stop().bytes();
}

/** A zip-format checkpoint from a data.pkl and raw storages. */
export function zipCheckpoint(pkl: Uint8Array, storages: Record<string, Uint8Array>): Uint8Array {
  const files: Record<string, [Uint8Array, { level: 0 }]> = {
    'archive/data.pkl': [pkl, { level: 0 }],
  };
  for (const [k, v] of Object.entries(storages)) files[`archive/data/${k}`] = [v, { level: 0 }];
  files['archive/version'] = [strToU8('3\n'), { level: 0 }];
  return zipSync(files);
}

const LEGACY_HEADER = [
  // magic number 0x1950a86a20f9469cfc6c as LONG1
  new P().proto().raw(0x8a, 10, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19).stop(),
  new P().proto().raw(0x4d, 0xe9, 0x03).stop(), // protocol 1001
  new P().proto().raw(0x7d).str('little_endian').raw(0x88, 0x73).stop(),
];

/** A legacy checkpoint: header pickles, `main`, the key list, then count-prefixed storages. */
export function legacyCheckpoint(
  main: Uint8Array,
  storages: [key: string, count: number, data: Uint8Array][],
): Uint8Array {
  const keys = new P().proto().raw(0x5d).mark();
  for (const [k] of storages) keys.str(k);
  keys.raw(0x65).stop();
  const parts: Uint8Array[] = [...LEGACY_HEADER.map((p) => p.bytes()), main, keys.bytes()];
  for (const [, count, data] of storages) {
    const n = new Uint8Array(8);
    new DataView(n.buffer).setBigUint64(0, BigInt(count), true);
    parts.push(n, data);
  }
  const out = new Uint8Array(parts.reduce((a, b) => a + b.byteLength, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.byteLength;
  }
  return out;
}

export function f32bytes(values: readonly number[]): Uint8Array {
  return new Uint8Array(Float32Array.from(values).buffer);
}
