/**
 * Tensors as plain typed arrays: the dtypes a checkpoint may hold, and the rebuild of a
 * tensor (offset, size, stride) from the raw bytes of its storage.
 */
import { check } from './errors';

export type TorchDType =
  | 'float32'
  | 'float16'
  | 'bfloat16'
  | 'float64'
  | 'int64'
  | 'int32'
  | 'int16'
  | 'int8'
  | 'uint8'
  | 'bool';

/**
 * Floating-point tensors all come back as Float32Array (float16, bfloat16 and float64 are
 * converted); int64 as BigInt64Array; bool as Uint8Array of 0 and 1.
 */
export type TensorData =
  | Float32Array
  | BigInt64Array
  | Int32Array
  | Int16Array
  | Int8Array
  | Uint8Array;

/** A tensor read from a checkpoint: row-major (contiguous) data, its shape and stored dtype. */
export class TorchTensor {
  constructor(
    /** The dtype in the file (the data of floating dtypes is float32 whatever this says). */
    readonly dtype: TorchDType,
    readonly shape: readonly number[],
    readonly data: TensorData,
  ) {}

  get size(): number {
    return this.data.length;
  }
}

export const ELEMENT_SIZE: Record<TorchDType, number> = {
  float32: 4,
  float16: 2,
  bfloat16: 2,
  float64: 8,
  int64: 8,
  int32: 4,
  int16: 2,
  int8: 1,
  uint8: 1,
  bool: 1,
};

/** torch.<Name>Storage → dtype: the only storage classes a checkpoint may name. */
export const STORAGE_DTYPES: Record<string, TorchDType> = {
  FloatStorage: 'float32',
  HalfStorage: 'float16',
  BFloat16Storage: 'bfloat16',
  DoubleStorage: 'float64',
  LongStorage: 'int64',
  IntStorage: 'int32',
  ShortStorage: 'int16',
  CharStorage: 'int8',
  ByteStorage: 'uint8',
  BoolStorage: 'bool',
};

export const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Limits on what a tensor may declare, against absurd or hostile sizes. */
export interface TensorLimits {
  /** Elements in one tensor (default 2^28, 1 GiB as float32). */
  maxElements: number;
  /** Dimensions of one tensor (default 16). */
  maxDims: number;
}

export const DEFAULT_TENSOR_LIMITS: TensorLimits = { maxElements: 2 ** 28, maxDims: 16 };

/** Raw bytes of one storage (a view into the file where possible). */
export interface StorageBytes {
  dtype: TorchDType;
  bytes: Uint8Array;
  /** Elements in the storage. */
  numel: number;
  /** Its name in messages, e.g. "storage data/3". */
  label: string;
}

const isCount = (v: unknown): v is number =>
  typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/**
 * Rebuilds a tensor from its storage as torch does: element i (row-major over `size`) is
 * storage[offset + sum(index_d * stride_d)]. Checks every index stays in the storage.
 */
export function rebuildTensor(
  storage: StorageBytes,
  offset: unknown,
  size: unknown,
  stride: unknown,
  name: string,
  limits: TensorLimits = DEFAULT_TENSOR_LIMITS,
): TorchTensor {
  check(isCount(offset), () => `Tensor ${name} has an invalid storage offset`);
  check(
    Array.isArray(size) && size.every(isCount),
    () => `Tensor ${name} has an invalid size ${JSON.stringify(size)}`,
  );
  check(
    Array.isArray(stride) && stride.length === size.length && stride.every(isCount),
    () => `Tensor ${name} has an invalid stride ${JSON.stringify(stride)}`,
  );
  const shape = size as number[];
  const strides = stride as number[];
  check(
    shape.length <= limits.maxDims,
    () => `Tensor ${name} has ${shape.length} dimensions, more than ${limits.maxDims}`,
  );
  let numel = 1;
  for (const d of shape) {
    numel *= d;
    check(
      numel <= limits.maxElements,
      () => `Tensor ${name} declares an absurd size [${shape.join(', ')}]`,
    );
  }
  // The highest storage index read, and whether the layout is plain row-major.
  let last = offset;
  let contiguous = true;
  let expected = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    const n = shape[d]!;
    if (n !== 1 && strides[d] !== expected) contiguous = false;
    expected *= n;
    last += (n - 1) * strides[d]!;
  }
  check(
    numel === 0 ? offset <= storage.numel : last < storage.numel,
    () =>
      `Tensor ${name} reads past the end of its ${storage.label} (${storage.numel} elements; size [${shape.join(', ')}], stride [${strides.join(', ')}], offset ${offset})`,
  );
  const data =
    contiguous || numel === 0
      ? convert(storage, offset, numel)
      : gather(convert(storage, offset, last - offset + 1), shape, strides, numel);
  return new TorchTensor(storage.dtype, shape, data);
}

/** numel elements of the storage from `offset`, as the output typed array. */
function convert(storage: StorageBytes, offset: number, numel: number): TensorData {
  const elem = ELEMENT_SIZE[storage.dtype];
  const bytes = storage.bytes.subarray(offset * elem, (offset + numel) * elem);
  switch (storage.dtype) {
    case 'float32':
      return typedView(bytes, Float32Array, 4) as Float32Array;
    case 'int32':
      return typedView(bytes, Int32Array, 4) as Int32Array;
    case 'int16':
      return typedView(bytes, Int16Array, 2) as Int16Array;
    case 'int64':
      return typedView(bytes, BigInt64Array, 8) as BigInt64Array;
    case 'int8':
      return new Int8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    case 'uint8':
      return bytes;
    case 'bool': {
      const out = new Uint8Array(numel);
      for (let i = 0; i < numel; i++) out[i] = bytes[i] ? 1 : 0;
      return out;
    }
    case 'float64': {
      const src = typedView(bytes, Float64Array, 8) as Float64Array;
      return Float32Array.from(src);
    }
    case 'float16': {
      const src = typedView(bytes, Uint16Array, 2) as Uint16Array;
      const out = new Float32Array(numel);
      for (let i = 0; i < numel; i++) out[i] = halfToFloat(src[i]!);
      return out;
    }
    case 'bfloat16': {
      const src = typedView(bytes, Uint16Array, 2) as Uint16Array;
      const out = new Float32Array(numel);
      const bits = new Uint32Array(out.buffer);
      for (let i = 0; i < numel; i++) bits[i] = src[i]! << 16;
      return out;
    }
  }
}

type TypedArrayCtor =
  | Float32Array
  | Float64Array
  | Int32Array
  | Int16Array
  | Uint16Array
  | BigInt64Array;

/** A view on `bytes` when aligned (and the host is little-endian), else an aligned copy. */
function typedView(
  bytes: Uint8Array,
  Ctor: new (buffer: ArrayBufferLike, byteOffset: number, length: number) => TypedArrayCtor,
  elem: number,
): TypedArrayCtor {
  check(LITTLE_ENDIAN_HOST, 'This machine is big-endian; checkpoints are little-endian');
  // (Uint8Array.prototype.slice copies; a Node Buffer's own slice would not.)
  const aligned = bytes.byteOffset % elem === 0 ? bytes : Uint8Array.prototype.slice.call(bytes);
  return new Ctor(aligned.buffer, aligned.byteOffset, aligned.byteLength / elem);
}

/** A non-contiguous tensor: one strided read per element of `span` (converted from its offset on). */
function gather(span: TensorData, shape: number[], strides: number[], numel: number): TensorData {
  const out = new (span.constructor as new (n: number) => TensorData)(numel);
  const from = span as { [i: number]: number | bigint };
  const to = out as { [i: number]: number | bigint };
  const dims = shape.length;
  const index = new Array<number>(dims).fill(0);
  let src = 0;
  for (let i = 0; i < numel; i++) {
    to[i] = from[src]!;
    for (let d = dims - 1; d >= 0; d--) {
      index[d]!++;
      src += strides[d]!;
      if (index[d]! < shape[d]!) break;
      src -= strides[d]! * shape[d]!;
      index[d] = 0;
    }
  }
  return out;
}

const HALF_EXP = new Float32Array(32);
for (let e = 0; e < 32; e++) HALF_EXP[e] = 2 ** (e - 15);

/** IEEE 754 binary16 bits → number. */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * HALF_EXP[exp]! * (1 + frac / 1024);
}
