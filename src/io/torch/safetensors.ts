/**
 * safetensors: an 8-byte little-endian header length, a JSON header
 * {name: {dtype, shape, data_offsets: [begin, end]}, __metadata__?: {str: str}}, then the
 * raw little-endian data, offsets counted from the end of the header.
 */
import { check, TorchCheckpointError } from './errors';
import {
  ELEMENT_SIZE,
  rebuildTensor,
  type TensorLimits,
  type TorchDType,
  type TorchTensor,
} from './tensor';

export const SAFETENSORS_DTYPES: Record<string, TorchDType> = {
  F32: 'float32',
  F16: 'float16',
  BF16: 'bfloat16',
  F64: 'float64',
  I64: 'int64',
  I32: 'int32',
  I16: 'int16',
  I8: 'int8',
  U8: 'uint8',
  BOOL: 'bool',
};

/** The header may not exceed 100 MB (as in the reference implementation). */
const MAX_HEADER = 100_000_000;

export function readSafetensors(
  bytes: Uint8Array,
  limits: TensorLimits,
): { tensors: Record<string, TorchTensor>; metadata?: Record<string, string> } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lo = view.getUint32(0, true);
  const hi = view.getUint32(4, true);
  const n = hi * 2 ** 32 + lo;
  check(hi === 0 && n <= MAX_HEADER, 'The safetensors header declares an absurd length');
  check(8 + n <= bytes.byteLength, 'The safetensors file is truncated inside its header');
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n)));
  } catch {
    throw new TorchCheckpointError('The safetensors header is not valid JSON');
  }
  check(
    typeof header === 'object' && header !== null && !Array.isArray(header),
    'The safetensors header is not a JSON object',
  );
  const data = bytes.subarray(8 + n);
  const out: [string, TorchTensor][] = [];
  let metadata: Record<string, string> | undefined;
  for (const [name, info] of Object.entries(header)) {
    if (name === '__metadata__') {
      check(
        typeof info === 'object' &&
          info !== null &&
          Object.values(info).every((x) => typeof x === 'string'),
        'The safetensors __metadata__ is not a record of strings',
      );
      metadata = { ...(info as Record<string, string>) };
      continue;
    }
    check(
      typeof info === 'object' && info !== null,
      () => `The safetensors entry ${name} is malformed`,
    );
    const { dtype, shape, data_offsets: offsets } = info as Record<string, unknown>;
    const dt = typeof dtype === 'string' ? SAFETENSORS_DTYPES[dtype] : undefined;
    check(dt, () => `The safetensors tensor ${name} has an unsupported dtype ${String(dtype)}`);
    check(
      Array.isArray(offsets) &&
        offsets.length === 2 &&
        offsets.every((x) => Number.isSafeInteger(x) && x >= 0) &&
        offsets[0] <= offsets[1],
      () => `The safetensors tensor ${name} has invalid data_offsets`,
    );
    const [begin, end] = offsets as [number, number];
    check(
      end <= data.byteLength,
      () =>
        `The safetensors file is truncated: tensor ${name} ends at byte ${end} of ${data.byteLength}`,
    );
    check(
      Array.isArray(shape) && shape.every((d) => Number.isSafeInteger(d) && d >= 0),
      () => `The safetensors tensor ${name} has an invalid shape`,
    );
    const dims = shape as number[];
    const elem = ELEMENT_SIZE[dt];
    const numel = (end - begin) / elem;
    const strides = dims.map((_, i) => dims.slice(i + 1).reduce((a, b) => a * b, 1));
    let declared = 1;
    for (const d of dims) declared *= d;
    check(
      declared === numel,
      () =>
        `The safetensors tensor ${name} has ${end - begin} bytes of data, but its shape [${dims.join(', ')}] needs ${declared * elem}`,
    );
    const storage = {
      dtype: dt,
      numel,
      bytes: data.subarray(begin, end),
      label: `data of ${name}`,
    };
    out.push([name, rebuildTensor(storage, 0, dims, strides, name, limits)]);
  }
  return { tensors: Object.fromEntries(out), ...(metadata ? { metadata } : {}) };
}
