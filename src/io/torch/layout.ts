/**
 * Weights between PyTorch's layouts and ours, for the families' name maps (TF-free): a 4D
 * row-major permutation (Conv2d [out, in, kh, kw] -> our [kh, kw, in, out] is (2, 3, 1, 0)),
 * and the check of a state_dict against the tensors a reference network has.
 */
import type { TorchTensor } from './tensor';

/** A tensor in our layout: the shape and float32 values one of our variables takes. */
export interface OurTensor {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/** Row-major permutation of a 4D array: out dims are in dims `perm`. */
export function permute4(data: Float32Array, shape: readonly number[], perm: readonly number[]) {
  const [d0, d1, d2, d3] = shape as [number, number, number, number];
  const inStrides = [d1 * d2 * d3, d2 * d3, d3, 1];
  const outShape = perm.map((p) => shape[p]!);
  const out = new Float32Array(data.length);
  const s = perm.map((p) => inStrides[p]!) as [number, number, number, number];
  const [o0, o1, o2, o3] = outShape as [number, number, number, number];
  let k = 0;
  for (let a = 0; a < o0; a++)
    for (let b = 0; b < o1; b++)
      for (let c = 0; c < o2; c++) {
        const base = a * s[0] + b * s[1] + c * s[2];
        for (let d = 0; d < o3; d++) out[k++] = data[base + d * s[3]]!;
      }
  if (d0 * d1 * d2 * d3 !== data.length) throw new Error('permute4: shape and data disagree');
  return { shape: outShape, data: out };
}

/** A shape as the refusals print it: [64, 3, 7, 7]. */
export const formatShape = (shape: readonly number[]) => `[${shape.join(', ')}]`;

/** The state_dict without nn.DataParallel's leading `module.` on each key. */
export function withoutDataParallel(
  input: Readonly<Record<string, TorchTensor>>,
): Record<string, TorchTensor> {
  const tensors: Record<string, TorchTensor> = {};
  for (const [k, v] of Object.entries(input)) tensors[k.startsWith('module.') ? k.slice(7) : k] = v;
  return tensors;
}

/**
 * Checks a state_dict against a reference network (`what`, for the messages): every tensor it
 * has with its shape (`weights`, float), norm buffers it may carry (`buffers`, ignored) and
 * nothing else; throws `fail(message)` naming the first mismatch. Returns the buffers ignored.
 */
export function checkStateDict(
  tensors: Readonly<Record<string, TorchTensor>>,
  weights: ReadonlyMap<string, readonly number[]>,
  buffers: ReadonlyMap<string, readonly number[]>,
  what: string,
  fail: (message: string) => Error,
): number {
  let ignored = 0;
  for (const [name, t] of Object.entries(tensors)) {
    const weight = weights.get(name);
    const expected = weight ?? buffers.get(name);
    if (!expected) {
      throw fail(`The checkpoint has ${name} ${formatShape(t.shape)}, which ${what} does not have`);
    }
    if (t.shape.length !== expected.length || t.shape.some((d, i) => d !== expected[i])) {
      throw fail(`${name} is ${formatShape(t.shape)} where ${what} has ${formatShape(expected)}`);
    }
    if (weight && !(t.data instanceof Float32Array)) {
      throw fail(`${name} is ${t.dtype}, not a floating-point tensor`);
    }
    if (!weight) ignored++;
  }
  for (const name of weights.keys()) {
    if (!(name in tensors)) throw fail(`The checkpoint lacks ${name}, which ${what} has`);
  }
  return ignored;
}
