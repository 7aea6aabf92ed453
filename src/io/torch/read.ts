/**
 * Reads PyTorch checkpoints without running any of their code: torch.save's zip format
 * (PyTorch >= 1.6), its legacy format (before 1.6, as the official StarGAN checkpoints
 * are) and safetensors. Tensors come back as plain typed arrays (see tensor.ts), dicts as
 * records, in the nesting of the file ({'G': state_dict, ...} stays nested).
 *
 * Only the globals a state_dict needs are resolved (ALLOWED_GLOBALS); anything else, such
 * as posix.system or builtins.eval, is refused by name before it could be called.
 */
import { check, TorchCheckpointError } from './errors';
import { makeCallable, PyDict, PyTuple, typeName, unpickle } from './pickle';
import { readSafetensors } from './safetensors';
import {
  DEFAULT_TENSOR_LIMITS,
  ELEMENT_SIZE,
  rebuildTensor,
  STORAGE_DTYPES,
  type StorageBytes,
  type TensorLimits,
  type TorchDType,
  TorchTensor,
} from './tensor';
import { DEFAULT_ZIP_LIMITS, isZip, ZipArchive, type ZipLimits } from './zip';

export type CheckpointValue =
  | TorchTensor
  | CheckpointRecord
  | CheckpointValue[]
  | string
  | number
  | bigint
  | boolean
  | null
  | Uint8Array;

export interface CheckpointRecord {
  [key: string]: CheckpointValue;
}

export interface TorchCheckpoint {
  format: 'zip' | 'legacy' | 'safetensors';
  /** The saved object: usually a record of tensors, or of such records. */
  root: CheckpointValue;
  /** safetensors' __metadata__, when present. */
  metadata?: Record<string, string>;
}

export interface ReadOptions {
  tensorLimits?: Partial<TensorLimits>;
  zipLimits?: Partial<ZipLimits>;
  /**
   * Legacy format only: allow the reader to move each storage back by up to 7 bytes, over
   * its own (already read) 8-byte length prefix, so it can be returned as an aligned view
   * instead of a copy. The input's bytes are changed; read it again only from a fresh copy.
   */
  inPlace?: boolean;
}

/** The globals a state_dict may name, and nothing else. */
export const ALLOWED_GLOBALS: readonly string[] = [
  'collections.OrderedDict',
  'torch._utils._rebuild_tensor',
  'torch._utils._rebuild_tensor_v2',
  'torch._utils._rebuild_parameter',
  'torch._utils._rebuild_parameter_with_state',
  ...Object.keys(STORAGE_DTYPES).map((s) => `torch.${s}`),
];

/** A storage as the pickle names it; its bytes are found after (legacy) or on demand (zip). */
class StorageRef {
  constructor(
    readonly key: string,
    readonly dtype: TorchDType,
    readonly numel: number,
    /** Legacy storage views: [offset, numel] in elements of the root storage. */
    readonly view: readonly [number, number] | null,
  ) {}
}

/** What _rebuild_tensor_v2 returns until the storages are at hand. */
class TensorSpec {
  constructor(
    readonly storage: StorageRef,
    readonly offset: unknown,
    readonly size: unknown,
    readonly stride: unknown,
  ) {}
}

class StorageType {
  constructor(
    readonly qualifiedName: string,
    readonly dtype: TorchDType,
  ) {}
}

const LEGACY_MAGIC = 0x1950a86a20f9469cfc6cn;
const LEGACY_PROTOCOL = 1001;

/** Reads a checkpoint file's bytes: the format is recognised from its first bytes. */
export function readTorchCheckpoint(
  input: Uint8Array | ArrayBuffer,
  options: ReadOptions = {},
): TorchCheckpoint {
  // A plain Uint8Array view (not a Node Buffer, whose subarray/slice differ).
  const bytes =
    input instanceof Uint8Array
      ? new Uint8Array(input.buffer, input.byteOffset, input.byteLength)
      : new Uint8Array(input);
  const limits: TensorLimits = { ...DEFAULT_TENSOR_LIMITS, ...options.tensorLimits };
  check(bytes.byteLength >= 8, 'The file is too short to be a checkpoint');
  if (isZip(bytes)) {
    return { format: 'zip', root: readZip(bytes, limits, options) };
  }
  if (bytes[0] === 0x80 && bytes[2] === 0x8a) {
    return { format: 'legacy', root: readLegacy(bytes, limits, options) };
  }
  if (bytes[8] === 0x7b /* { */) {
    const { tensors, metadata } = readSafetensors(bytes, limits);
    return { format: 'safetensors', root: tensors, ...(metadata ? { metadata } : {}) };
  }
  if (bytes[257] === 0x75 && String.fromCharCode(...bytes.subarray(257, 262)) === 'ustar') {
    throw new TorchCheckpointError(
      'This is a tar-format checkpoint from PyTorch before 0.1.10; load and re-save it with a newer PyTorch',
    );
  }
  if (bytes[0] === 0x80) {
    throw new TorchCheckpointError(
      'This is a plain pickle, not a torch.save checkpoint (it lacks the magic number)',
    );
  }
  throw new TorchCheckpointError(
    'This is not a PyTorch checkpoint (.pt/.pth/.ckpt) or a safetensors file',
  );
}

/** Every tensor in a checkpoint, by path: nested keys joined with `separator`. */
export function flattenTensors(
  value: CheckpointValue,
  separator = '/',
  prefix = '',
): Record<string, TorchTensor> {
  const out: [string, TorchTensor][] = [];
  const walk = (v: CheckpointValue, path: string): void => {
    if (v instanceof TorchTensor) out.push([path, v]);
    else if (Array.isArray(v)) for (const [i, x] of v.entries()) walk(x, join(path, String(i)));
    else if (isRecord(v)) for (const [k, x] of Object.entries(v)) walk(x, join(path, k));
  };
  const join = (a: string, b: string) => (a === '' ? b : `${a}${separator}${b}`);
  walk(value, prefix);
  return Object.fromEntries(out);
}

export function isRecord(v: unknown): v is CheckpointRecord {
  return (
    typeof v === 'object' &&
    v !== null &&
    !Array.isArray(v) &&
    !(v instanceof TorchTensor) &&
    !(v instanceof Uint8Array)
  );
}

// --- the pickle side ------------------------------------------------------------------

function torchHooks(what: string, onStorage: (ref: StorageRef) => void) {
  const orderedDict = makeCallable(
    'collections.OrderedDict',
    (args) => {
      const d = new PyDict();
      const items = args[0];
      if (items !== undefined) {
        check(
          Array.isArray(items) && args.length === 1,
          'OrderedDict is built from something other than a list of pairs',
        );
        for (const pair of items) {
          check(
            pair instanceof PyTuple && pair.items.length === 2,
            'OrderedDict is built from something other than a list of pairs',
          );
          d.set(pair.items[0], pair.items[1]);
        }
      }
      return d;
    },
    // state_dict()'s `_metadata` (module versions) arrives by BUILD: not needed.
    () => {},
  );
  const rebuildV2 = makeCallable('torch._utils._rebuild_tensor_v2', (args) => {
    check(
      args.length >= 4 && args.length <= 7,
      '_rebuild_tensor_v2 is called with the wrong arguments',
    );
    return tensorSpec(args);
  });
  const rebuild = makeCallable('torch._utils._rebuild_tensor', (args) => {
    check(args.length === 4, '_rebuild_tensor is called with the wrong arguments');
    return tensorSpec(args);
  });
  const parameter = (name: string) =>
    makeCallable(`torch._utils.${name}`, (args) => {
      check(
        args.length >= 1 && args[0] instanceof TensorSpec,
        `${name} is called without a tensor`,
      );
      return args[0];
    });
  const tensorSpec = (args: unknown[]) => {
    const [storage, offset, size, stride] = args;
    check(
      storage instanceof StorageRef,
      () => `A tensor is rebuilt from a ${typeName(storage)} instead of a storage`,
    );
    return new TensorSpec(storage, offset, tupleItems(size), tupleItems(stride));
  };
  const callables = new Map<string, unknown>([
    ['collections.OrderedDict', orderedDict],
    ['torch._utils._rebuild_tensor_v2', rebuildV2],
    ['torch._utils._rebuild_tensor', rebuild],
    ['torch._utils._rebuild_parameter', parameter('_rebuild_parameter')],
    ['torch._utils._rebuild_parameter_with_state', parameter('_rebuild_parameter_with_state')],
  ]);
  for (const [name, dtype] of Object.entries(STORAGE_DTYPES)) {
    callables.set(`torch.${name}`, new StorageType(`torch.${name}`, dtype));
  }

  return {
    resolveGlobal(module: string, name: string): unknown {
      const qualified = `${module}.${name}`;
      const found = callables.get(qualified);
      if (found !== undefined) return found;
      if (module.startsWith('torch.nn.modules') || module === '__main__') {
        throw new TorchCheckpointError(
          `The ${what} holds a whole pickled model (${qualified}), not a state_dict; it was not loaded (save model.state_dict() instead)`,
        );
      }
      throw new TorchCheckpointError(
        `The checkpoint refers to ${qualified}, which a weights file never needs; it was not loaded`,
      );
    },
    persistentLoad(pid: unknown): unknown {
      check(
        pid instanceof PyTuple && pid.items.length >= 5,
        () => `The ${what} has a persistent id that is not a storage`,
      );
      const [kind, type, key, , numel, view] = pid.items;
      const typename = asText(kind);
      if (typename === 'module') {
        throw new TorchCheckpointError(
          `The ${what} holds a whole pickled model, not a state_dict; it was not loaded (save model.state_dict() instead)`,
        );
      }
      check(
        typename === 'storage',
        () => `The ${what} has a persistent id of kind ${String(typename)}`,
      );
      check(
        type instanceof StorageType,
        () => `The ${what} has a storage of unknown type ${typeName(type)}`,
      );
      const k = typeof key === 'number' ? String(key) : asText(key);
      check(typeof k === 'string' && k.length > 0, () => `The ${what} has an invalid storage key`);
      check(
        typeof numel === 'number' && Number.isSafeInteger(numel) && numel >= 0,
        () => `The ${what} declares an invalid size for storage ${k}`,
      );
      let viewRange: [number, number] | null = null;
      if (view !== undefined && view !== null) {
        check(
          view instanceof PyTuple && view.items.length === 3,
          () => `The ${what} has a malformed storage view`,
        );
        const [, off, len] = view.items;
        check(
          typeof off === 'number' && typeof len === 'number' && off >= 0 && len >= 0,
          () => `The ${what} has a malformed storage view`,
        );
        viewRange = [off, len];
      }
      const ref = new StorageRef(k, type.dtype, numel, viewRange);
      onStorage(ref);
      return ref;
    },
  };
}

function tupleItems(v: unknown): unknown {
  return v instanceof PyTuple ? v.items : v;
}

function asText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (v instanceof Uint8Array) return new TextDecoder('latin1').decode(v);
  return undefined;
}

/** Pickle values → checkpoint values, tensors materialised through `tensorOf`. */
function toCheckpointValue(
  v: unknown,
  tensorOf: (spec: TensorSpec, path: string) => TorchTensor,
  storageOf: (ref: StorageRef, path: string) => TorchTensor,
): CheckpointValue {
  const seen = new Map<unknown, CheckpointValue>();
  const convert = (x: unknown, path: string, depth: number): CheckpointValue => {
    check(depth < 100, 'The checkpoint nests values more than 100 deep');
    if (x === null || typeof x !== 'object') {
      check(
        typeof x === 'string' ||
          typeof x === 'number' ||
          typeof x === 'bigint' ||
          typeof x === 'boolean' ||
          x === null,
        () => `The checkpoint holds an unexpected ${typeof x} at ${path}`,
      );
      return x;
    }
    const done = seen.get(x);
    if (done !== undefined) return done;
    let out: CheckpointValue;
    if (x instanceof TensorSpec) out = tensorOf(x, path);
    else if (x instanceof StorageRef) out = storageOf(x, path);
    else if (x instanceof Uint8Array) out = x;
    else if (x instanceof PyDict) {
      out = Object.fromEntries(
        x.entries.map(([k, val]) => {
          const key = typeof k === 'string' ? k : keyText(k);
          return [key, convert(val, path === '' ? key : `${path}/${key}`, depth + 1)];
        }),
      );
    } else if (x instanceof PyTuple || Array.isArray(x)) {
      const items = x instanceof PyTuple ? x.items : x;
      out = items.map((item, i) => convert(item, `${path}[${i}]`, depth + 1));
    } else {
      throw new TorchCheckpointError(
        `The checkpoint holds a ${typeName(x)} at ${path || 'its root'}, which a weights file never needs`,
      );
    }
    seen.set(x, out);
    return out;
  };
  return convert(v, '', 0);
}

function keyText(k: unknown): string {
  if (typeof k === 'string') return k;
  if (typeof k === 'number' || typeof k === 'bigint' || typeof k === 'boolean') return String(k);
  if (k === null) return 'None';
  if (k instanceof PyTuple) return `(${k.items.map(keyText).join(', ')})`;
  if (k instanceof Uint8Array) return new TextDecoder('latin1').decode(k);
  throw new TorchCheckpointError(`The checkpoint has a dict key of type ${typeName(k)}`);
}

/** Rebuilds tensors against storages found by `storageBytes(ref)`. */
function materialiser(
  storageBytes: (ref: StorageRef) => StorageBytes,
  limits: TensorLimits,
): [(s: TensorSpec, path: string) => TorchTensor, (r: StorageRef, path: string) => TorchTensor] {
  const tensor = (spec: TensorSpec, path: string) =>
    rebuildTensor(storageBytes(spec.storage), spec.offset, spec.size, spec.stride, path, limits);
  const storage = (ref: StorageRef, path: string) => {
    const s = storageBytes(ref);
    return rebuildTensor(s, 0, [s.numel], [1], path, limits);
  };
  return [tensor, storage];
}

/** A view's range of its root storage. */
function applyView(root: StorageBytes, ref: StorageRef): StorageBytes {
  if (!ref.view) return root;
  const [offset, numel] = ref.view;
  const elem = ELEMENT_SIZE[ref.dtype];
  check(
    offset + numel <= root.numel,
    () => `A view of ${root.label} reaches past its end (${offset} + ${numel} > ${root.numel})`,
  );
  return {
    dtype: ref.dtype,
    numel,
    bytes: root.bytes.subarray(offset * elem, (offset + numel) * elem),
    label: `${root.label} (view at ${offset})`,
  };
}

// --- zip format (PyTorch >= 1.6) ------------------------------------------------------

function readZip(bytes: Uint8Array, limits: TensorLimits, options: ReadOptions): CheckpointValue {
  const zip = new ZipArchive(bytes, { ...DEFAULT_ZIP_LIMITS, ...options.zipLimits });
  const pkl = [...zip.entries.keys()].filter((n) => /^[^/]+\/data\.pkl$/.test(n));
  check(pkl.length > 0, 'This zip file is not a torch.save checkpoint: it has no data.pkl');
  check(pkl.length === 1, 'This zip file holds more than one torch.save checkpoint');
  const prefix = pkl[0]!.slice(0, -'data.pkl'.length);
  const byteorder = `${prefix}byteorder`;
  if (zip.entries.has(byteorder)) {
    const order = new TextDecoder().decode(zip.read(byteorder)).trim();
    check(
      order === 'little',
      () => `The checkpoint was saved on a ${order}-endian machine; only little-endian is read`,
    );
  }
  const refs: StorageRef[] = [];
  const hooks = torchHooks('checkpoint', (ref) => refs.push(ref));
  const { value } = unpickle(zip.read(pkl[0]!), hooks, 0, 'checkpoint pickle (data.pkl)');

  const storages = new Map<string, StorageBytes>();
  const roots = (ref: StorageRef): StorageBytes => {
    let s = storages.get(ref.key);
    if (!s) {
      check(/^[\w.-]+$/.test(ref.key), () => `The checkpoint has an invalid storage key`);
      const name = `${prefix}data/${ref.key}`;
      check(zip.entries.has(name), () => `The checkpoint is missing its storage ${name}`);
      const data = zip.read(name);
      const need = ref.numel * ELEMENT_SIZE[ref.dtype];
      check(
        data.byteLength >= need,
        () =>
          `The storage data/${ref.key} holds ${data.byteLength} bytes but declares ${ref.numel} ${ref.dtype} elements (${need} bytes)`,
      );
      s = {
        dtype: ref.dtype,
        numel: ref.numel,
        bytes: data.subarray(0, need),
        label: `storage data/${ref.key}`,
      };
      storages.set(ref.key, s);
    }
    check(
      s.dtype === ref.dtype,
      () => `The storage data/${ref.key} is used as both ${s!.dtype} and ${ref.dtype}`,
    );
    return applyView(s, ref);
  };
  const [tensorOf, storageOf] = materialiser(roots, limits);
  return toCheckpointValue(value, tensorOf, storageOf);
}

// --- legacy format (PyTorch < 1.6) ----------------------------------------------------

function readLegacy(
  bytes: Uint8Array,
  limits: TensorLimits,
  options: ReadOptions,
): CheckpointValue {
  const plain = {
    resolveGlobal(module: string, name: string): unknown {
      throw new TorchCheckpointError(
        `The checkpoint refers to ${module}.${name}, which a weights file never needs; it was not loaded`,
      );
    },
    persistentLoad(): unknown {
      throw new TorchCheckpointError('The checkpoint header has a persistent id');
    },
  };
  const magic = unpickle(bytes, plain, 0, 'checkpoint header');
  check(
    magic.value === LEGACY_MAGIC,
    'This is a plain pickle, not a torch.save checkpoint (its magic number is wrong)',
  );
  const proto = unpickle(bytes, plain, magic.end, 'checkpoint header');
  check(
    proto.value === LEGACY_PROTOCOL,
    () => `The checkpoint uses legacy protocol ${String(proto.value)}, not ${LEGACY_PROTOCOL}`,
  );
  const sys = unpickle(bytes, plain, proto.end, 'checkpoint header');
  if (sys.value instanceof PyDict) {
    const little = sys.value.entries.find(([k]) => k === 'little_endian');
    check(
      !little || little[1] === true,
      'The checkpoint was saved on a big-endian machine; only little-endian is read',
    );
  }

  const refs = new Map<string, StorageRef>();
  const hooks = torchHooks('checkpoint', (ref) => {
    const prev = refs.get(ref.key);
    check(
      !prev || (prev.dtype === ref.dtype && prev.numel === ref.numel),
      () => `The storage ${ref.key} is declared twice with different types or sizes`,
    );
    refs.set(ref.key, ref);
  });
  const main = unpickle(bytes, hooks, sys.end, 'checkpoint pickle');
  const keysPickle = unpickle(bytes, plain, main.end, 'checkpoint storage list');
  const keys = keysPickle.value;
  check(
    Array.isArray(keys) && keys.every((k) => typeof k === 'string'),
    'The checkpoint storage list is not a list of keys',
  );

  const storages = new Map<string, StorageBytes>();
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = keysPickle.end;
  for (const key of keys as string[]) {
    const ref = refs.get(key);
    check(ref, () => `The checkpoint stores data for ${key}, which no tensor uses`);
    check(!storages.has(key), () => `The checkpoint stores data for ${key} twice`);
    check(
      pos + 8 <= bytes.byteLength,
      () => `The checkpoint is truncated: storage ${key}'s length is missing`,
    );
    const lo = view.getUint32(pos, true);
    const hi = view.getUint32(pos + 4, true);
    const count = hi * 2 ** 32 + lo;
    check(
      count === ref.numel,
      () => `The storage ${key} holds ${count} elements but its tensors declare ${ref.numel}`,
    );
    const elem = ELEMENT_SIZE[ref.dtype];
    const n = count * elem;
    check(
      pos + 8 + n <= bytes.byteLength,
      () =>
        `The checkpoint is truncated: storage ${key} needs ${n} bytes, ${bytes.byteLength - pos - 8} remain`,
    );
    let start = pos + 8;
    const misaligned = (bytes.byteOffset + start) % elem;
    if (options.inPlace && misaligned !== 0 && elem > 1) {
      // Slide the storage back over its own length prefix (already read).
      bytes.copyWithin(start - misaligned, start, start + n);
      start -= misaligned;
    }
    storages.set(key, {
      dtype: ref.dtype,
      numel: count,
      bytes: bytes.subarray(start, start + n),
      label: `storage ${key}`,
    });
    pos += 8 + n;
  }
  const roots = (ref: StorageRef): StorageBytes => {
    const s = storages.get(ref.key);
    check(s, () => `The checkpoint is missing the data of storage ${ref.key}`);
    return applyView(s, ref);
  };
  const [tensorOf, storageOf] = materialiser(roots, limits);
  return toCheckpointValue(main.value, tensorOf, storageOf);
}
