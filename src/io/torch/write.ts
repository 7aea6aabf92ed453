/**
 * Writes a flat record of named float32 tensors as safetensors, or as a PyTorch zip-format
 * state_dict (what `torch.save(model.state_dict(), f)` writes) that `torch.load` reads,
 * with or without weights_only=True. Checked against PyTorch 1.13 by
 * `/usr/bin/python3 scripts/reference/torch_checkpoints.py --verify-export`.
 */
import { strToU8, type Zippable, zipSync } from 'fflate';
import { check } from './errors';

export interface Float32Tensor {
  readonly shape: readonly number[];
  /** float32 values; int64 (BigInt64Array) for counters such as num_batches_tracked. */
  readonly data: Float32Array | BigInt64Array;
}

export type Float32StateDict = Record<string, Float32Tensor>;

function validate(tensors: Float32StateDict): [string, Float32Tensor][] {
  const entries = Object.entries(tensors);
  for (const [name, t] of entries) {
    check(
      t.data instanceof Float32Array || t.data instanceof BigInt64Array,
      () => `Tensor ${name} is not float32 or int64`,
    );
    check(
      t.shape.every((d) => Number.isSafeInteger(d) && d >= 0),
      () => `Tensor ${name} has an invalid shape`,
    );
    const numel = t.shape.reduce((a, b) => a * b, 1);
    check(
      numel === t.data.length,
      () => `Tensor ${name} has ${t.data.length} values but shape [${t.shape.join(', ')}]`,
    );
  }
  return entries;
}

/** Float32 (or int64) values as little-endian bytes (a view when the host is little-endian). */
function le(data: Float32Array | BigInt64Array): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

// --- safetensors ----------------------------------------------------------------------

export function writeSafetensors(
  tensors: Float32StateDict,
  metadata?: Record<string, string>,
): Uint8Array {
  const entries = validate(tensors);
  const header: Record<string, unknown> = {};
  if (metadata) header.__metadata__ = metadata;
  let offset = 0;
  for (const [name, t] of entries) {
    check(name !== '__metadata__', 'A tensor may not be named __metadata__');
    header[name] = {
      dtype: t.data instanceof BigInt64Array ? 'I64' : 'F32',
      shape: [...t.shape],
      data_offsets: [offset, offset + t.data.byteLength],
    };
    offset += t.data.byteLength;
  }
  let json = strToU8(JSON.stringify(header));
  const padded = Math.ceil(json.byteLength / 8) * 8;
  if (padded !== json.byteLength) {
    const p = new Uint8Array(padded).fill(0x20);
    p.set(json);
    json = p;
  }
  const out = new Uint8Array(8 + json.byteLength + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.byteLength), true);
  out.set(json, 8);
  let at = 8 + json.byteLength;
  for (const [, t] of entries) {
    out.set(le(t.data), at);
    at += t.data.byteLength;
  }
  return out;
}

// --- PyTorch zip format ---------------------------------------------------------------

/** Just enough of a protocol-2 pickler for a state_dict. */
class Pickler {
  private chunks: number[] = [];

  op(...codes: number[]): this {
    this.chunks.push(...codes);
    return this;
  }

  global(module: string, name: string): this {
    return this.op(0x63, ...strToU8(`${module}\n${name}\n`, true));
  }

  str(s: string): this {
    const b = strToU8(s);
    const n = b.byteLength;
    this.op(0x58, n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24);
    for (const x of b) this.chunks.push(x);
    return this;
  }

  int(n: number): this {
    check(Number.isSafeInteger(n) && n >= 0, 'Only non-negative integers are written');
    if (n < 0x100) return this.op(0x4b, n);
    if (n < 0x10000) return this.op(0x4d, n & 0xff, n >>> 8);
    if (n < 0x80000000)
      return this.op(0x4a, n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24);
    // LONG1: little-endian two's complement, with a zero byte if the top bit is set.
    const bytes: number[] = [];
    let v = BigInt(n);
    while (v > 0n) {
      bytes.push(Number(v & 0xffn));
      v >>= 8n;
    }
    if (bytes[bytes.length - 1]! & 0x80) bytes.push(0);
    return this.op(0x8a, bytes.length, ...bytes);
  }

  tuple(items: readonly number[]): this {
    if (items.length === 0) return this.op(0x29);
    this.op(0x28);
    for (const x of items) this.int(x);
    return this.op(0x74);
  }

  bytes(): Uint8Array {
    return Uint8Array.from(this.chunks);
  }
}

/** An OrderedDict of _rebuild_tensor_v2(FloatStorage '<first + i>', 0, shape, stride, False, OrderedDict()). */
function pickleOrderedDict(p: Pickler, entries: readonly [string, Float32Tensor][], first: number) {
  p.global('collections', 'OrderedDict').op(0x29, 0x52); // OrderedDict()
  if (entries.length > 0) p.op(0x28); // MARK
  entries.forEach(([name, t], i) => {
    const stride = t.shape.map((_, d) => t.shape.slice(d + 1).reduce((a, b) => a * b, 1));
    p.str(name).global('torch._utils', '_rebuild_tensor_v2').op(0x28); // MARK: args
    // The persistent id ('storage', torch.FloatStorage, key, 'cpu', numel) and BINPERSID.
    const storage = t.data instanceof BigInt64Array ? 'LongStorage' : 'FloatStorage';
    p.op(0x28)
      .str('storage')
      .global('torch', storage)
      .str(String(first + i))
      .str('cpu');
    p.int(t.data.length).op(0x74, 0x51);
    p.int(0).tuple(t.shape).tuple(stride).op(0x89); // offset, size, stride, requires_grad
    p.global('collections', 'OrderedDict').op(0x29, 0x52); // backward_hooks
    p.op(0x74, 0x52); // TUPLE, REDUCE
  });
  if (entries.length > 0) p.op(0x75); // SETITEMS
}

/** data.pkl: OrderedDict of _rebuild_tensor_v2(FloatStorage 'i', 0, shape, stride, False, OrderedDict()). */
export function stateDictPickle(entries: readonly [string, Float32Tensor][]): Uint8Array {
  const p = new Pickler().op(0x80, 2);
  pickleOrderedDict(p, entries, 0);
  return p.op(0x2e).bytes();
}

/** data.pkl of a plain dict of state_dicts, {module: OrderedDict}, storages numbered across all. */
function modulesPickle(groups: readonly [string, [string, Float32Tensor][]][]): Uint8Array {
  const p = new Pickler().op(0x80, 2, 0x7d); // EMPTY_DICT
  if (groups.length > 0) p.op(0x28); // MARK
  let first = 0;
  for (const [module, entries] of groups) {
    p.str(module);
    pickleOrderedDict(p, entries, first);
    first += entries.length;
  }
  if (groups.length > 0) p.op(0x75); // SETITEMS
  return p.op(0x2e).bytes();
}

/** Splits '<module>.<key>' names into each module's state_dict, in `modules`' order. */
function groupByModule(
  entries: readonly [string, Float32Tensor][],
  modules: readonly string[],
): [string, [string, Float32Tensor][]][] {
  const groups = modules.map((m): [string, [string, Float32Tensor][]] => [m, []]);
  for (const [name, t] of entries) {
    const group = groups.find(([m]) => name.startsWith(`${m}.`));
    check(
      group !== undefined,
      () => `Tensor ${name} is in none of the modules ${modules.join(', ')}`,
    );
    group[1].push([name.slice(group[0].length + 1), t]);
  }
  return groups;
}

/**
 * A zip-format checkpoint as torch.save writes it: `<archive>/data.pkl`, one stored
 * `<archive>/data/<i>` per tensor aligned to 64 bytes, `<archive>/byteorder`, `<archive>/version`.
 * With `modules`, tensors named '<module>.<key>' are saved as a dict of the modules'
 * state_dicts, `torch.save({m: net_m.state_dict(), ...}, f)` (clovaai/stargan-v2's CheckpointIO).
 */
export function writeTorchZip(
  tensors: Float32StateDict,
  archiveName = 'archive',
  modules?: readonly string[],
): Uint8Array {
  check(/^[\w.-]+$/.test(archiveName), 'The archive name must be a plain file name');
  let entries = validate(tensors);
  let pickle: Uint8Array;
  if (modules) {
    const groups = groupByModule(entries, modules);
    // Storages are numbered in the order the pickle meets them: module by module.
    entries = groups.flatMap(([, g]) => g);
    pickle = modulesPickle(groups);
  } else pickle = stateDictPickle(entries);
  const files: [string, Uint8Array][] = [
    [`${archiveName}/data.pkl`, pickle],
    [`${archiveName}/byteorder`, strToU8('little')],
    ...entries.map(([, t], i): [string, Uint8Array] => [`${archiveName}/data/${i}`, le(t.data)]),
    [`${archiveName}/version`, strToU8('3\n')],
  ];
  // fflate writes entries in this order, each after a 30-byte local header, its name and
  // its extra field, so a padding extra field ('FB', as torch uses) aligns every payload.
  const zippable: Zippable = {};
  let offset = 0;
  for (const [name, data] of files) {
    const nameLen = strToU8(name).byteLength;
    const pad = (64 - ((offset + 30 + nameLen + 4) % 64)) % 64;
    zippable[name] = [
      data,
      { level: 0, mtime: new Date(1980, 0, 1), extra: { 16966: new Uint8Array(pad).fill(0x5a) } },
    ];
    offset += 30 + nameLen + 4 + pad + data.byteLength;
  }
  return zipSync(zippable);
}
