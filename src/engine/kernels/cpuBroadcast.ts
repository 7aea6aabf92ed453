/**
 * Faster CPU kernels for what every normalisation layer does: element-wise ops between a
 * tensor and a broadcast one (x - mean, x * rsqrt(var), x * (1 + y_s)), and sums and means
 * over some axes (instance norm's mean over H and W). TF.js 4.22's CPU backend computes a
 * broadcast element through indexToLoc / locToIndex, allocating per element (30x slower than
 * the same op on equal shapes), and reduces over inner axes only, transposing first. Here the
 * flat arrays are walked with per-axis strides (0 along a broadcast axis), the innermost axis
 * in a tight loop; sums accumulate in float64. Other dtypes go to the stock kernels.
 */

import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';

type KernelArgs = Parameters<tf.KernelFunc>[0];

const sizeOf = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** Row-major strides of `shape` placed at the end of `rank` axes, 0 where it broadcasts. */
function broadcastStrides(shape: readonly number[], outShape: readonly number[]): number[] {
  const rank = outShape.length;
  const strides = new Array<number>(rank).fill(0);
  let stride = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    const axis = rank - shape.length + i;
    strides[axis] = shape[i] === 1 && outShape[axis] !== 1 ? 0 : stride;
    stride *= shape[i]!;
  }
  return strides;
}

const OPS = {
  Add: (a: number, b: number) => a + b,
  Sub: (a: number, b: number) => a - b,
  Multiply: (a: number, b: number) => a * b,
  RealDiv: (a: number, b: number) => a / b,
} as const;

/**
 * out[i] = op(a[i_a], b[i_b]) over the broadcast shape, one pass over the output with the
 * input offsets advanced per axis.
 */
function broadcastBinary(
  op: (a: number, b: number) => number,
  a: Float32Array,
  aShape: readonly number[],
  b: Float32Array,
  bShape: readonly number[],
  outShape: readonly number[],
): Float32Array {
  const out = new Float32Array(sizeOf(outShape));
  const rank = outShape.length;
  if (rank === 0) {
    out[0] = op(a[0]!, b[0]!);
    return out;
  }
  const aStrides = broadcastStrides(aShape, outShape);
  const bStrides = broadcastStrides(bShape, outShape);
  const inner = outShape[rank - 1]!;
  const aInner = aStrides[rank - 1]!;
  const bInner = bStrides[rank - 1]!;
  const counter = new Array<number>(rank - 1).fill(0);
  let aBase = 0;
  let bBase = 0;
  for (let o = 0; o < out.length; o += inner) {
    for (let k = 0, ai = aBase, bi = bBase; k < inner; k++, ai += aInner, bi += bInner) {
      out[o + k] = op(a[ai]!, b[bi]!);
    }
    // Odometer over the outer axes.
    for (let axis = rank - 2; axis >= 0; axis--) {
      aBase += aStrides[axis]!;
      bBase += bStrides[axis]!;
      if (++counter[axis]! < outShape[axis]!) break;
      aBase -= aStrides[axis]! * outShape[axis]!;
      bBase -= bStrides[axis]! * outShape[axis]!;
      counter[axis] = 0;
    }
  }
  return out;
}

/** Sums of `x` over `axes`, as [size of the kept axes], accumulated in float64. */
function sumOver(x: Float32Array, shape: readonly number[], axes: readonly number[]): Float64Array {
  const rank = shape.length;
  const reduced = new Set(axes);
  const outShape = shape.map((d, i) => (reduced.has(i) ? 1 : d));
  const outStrides = broadcastStrides(outShape, shape);
  for (const axis of axes) outStrides[axis] = 0;
  const sums = new Float64Array(sizeOf(outShape));
  if (rank === 0) {
    sums[0] = x[0]!;
    return sums;
  }
  const inner = shape[rank - 1]!;
  const outInner = outStrides[rank - 1]!;
  const counter = new Array<number>(rank - 1).fill(0);
  let base = 0;
  for (let i = 0; i < x.length; i += inner) {
    if (outInner === 0) {
      let total = 0;
      for (let k = 0; k < inner; k++) total += x[i + k]!;
      sums[base] = sums[base]! + total;
    } else {
      for (let k = 0; k < inner; k++) sums[base + k] = sums[base + k]! + x[i + k]!;
    }
    for (let axis = rank - 2; axis >= 0; axis--) {
      base += outStrides[axis]!;
      if (++counter[axis]! < shape[axis]!) break;
      base -= outStrides[axis]! * shape[axis]!;
      counter[axis] = 0;
    }
  }
  return sums;
}

function binaryKernel(name: keyof typeof OPS, stock: tf.KernelFunc): tf.KernelFunc {
  const op = OPS[name];
  return (args: KernelArgs) => {
    const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    if (a.dtype !== 'float32' || b.dtype !== 'float32') return stock(args);
    const backend = args.backend as MathBackendCPU;
    const outShape = tf.backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
    const values = broadcastBinary(
      op,
      backend.data.get(a.dataId).values as Float32Array,
      a.shape,
      backend.data.get(b.dataId).values as Float32Array,
      b.shape,
      outShape,
    );
    return backend.makeTensorInfo(outShape, 'float32', values);
  };
}

function reductionKernel(mean: boolean, stock: tf.KernelFunc): tf.KernelFunc {
  return (args: KernelArgs) => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    if (x.dtype !== 'float32') return stock(args);
    const { axis, keepDims } = args.attrs as unknown as {
      axis: number | number[];
      keepDims: boolean;
    };
    const backend = args.backend as MathBackendCPU;
    const axes = tf.util.parseAxisParam(axis, x.shape);
    const sums = sumOver(backend.data.get(x.dataId).values as Float32Array, x.shape, axes);
    const count = axes.reduce((n, i) => n * x.shape[i]!, 1);
    const values = Float32Array.from(sums, (s) => (mean ? s / count : s));
    const kept = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
    const outShape = keepDims ? kept : x.shape.filter((_, i) => !axes.includes(i));
    return backend.makeTensorInfo(outShape, 'float32', values);
  };
}

/** Our kernels for broadcast element-wise ops, Sum and Mean, each made from the stock one it falls back to. */
export const BROADCAST_CPU_KERNELS: Record<string, (stock: tf.KernelFunc) => tf.KernelFunc> = {
  ...Object.fromEntries(
    (Object.keys(OPS) as (keyof typeof OPS)[]).map((name) => [
      name,
      (stock: tf.KernelFunc) => binaryKernel(name, stock),
    ]),
  ),
  Sum: (stock) => reductionKernel(false, stock),
  Mean: (stock) => reductionKernel(true, stock),
};
