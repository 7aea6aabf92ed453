/**
 * Weights between PyTorch's layouts and ours, for the families' name maps (TF-free): a 4D
 * row-major permutation (Conv2d [out, in, kh, kw] -> our [kh, kw, in, out] is (2, 3, 1, 0)).
 */

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
