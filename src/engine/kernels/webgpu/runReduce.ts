/**
 * Sum and Mean over a run of neighbouring axes: [..., C] to [C] (batch norm's statistics, a
 * bias's gradient), [B, H, W, C] over H, W to [B, C] (instance norm's), [B, D] over D (pixel
 * norm's), every axis (a loss's mean), or a middle axis (average pooling by reshapes). TF.js
 * 4.22 transposes the reduced axes to the end and reduces each row in a workgroup that meets at
 * a barrier per halving step; on a software adapter such as SwiftShader a barrier switches
 * between every invocation of the workgroup, which made these reductions cost as much as a
 * convolution.
 *
 * The input is seen as [outer, rows, inner]: the axes before the run, the run, the axes after
 * it. Work split: the rows are cut into slices; a thread sums one slice for 4 neighbouring
 * inner positions (a vec4 when inner comes in 4s), reading rows in order so that neighbouring
 * threads read neighbouring positions. A second pass adds the slices in order, so the result
 * does not depend on scheduling. No barriers.
 */
import type { WebGPUBackend, WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import * as tf from '@tensorflow/tfjs-core';

const WORKGROUP = 64;
/** Threads worth launching across slices before a device would idle. */
const TARGET_THREADS = 2048;
/** Fewer rows than this per slice and the second pass costs more than it frees. */
const MIN_ROWS_PER_SLICE = 16;

class SliceSums implements WebGPUProgram {
  readonly variableNames = ['x'];
  readonly variableComponents: number[];
  readonly outputComponent: number;
  readonly uniforms = 'rows : i32, groups : i32, slices : i32, scale : f32, outer : i32,';
  readonly workgroupSize: [number, number, number] = [WORKGROUP, 1, 1];
  readonly dispatchLayout = { x: [0, 1] };
  readonly dispatch: [number, number, number];
  readonly shaderKey: string;

  constructor(
    readonly outputShape: number[],
    readonly width: 1 | 4,
  ) {
    this.variableComponents = [width];
    this.outputComponent = width;
    const threads = outputShape.reduce((a, b) => a * b, 1) / width;
    this.dispatch = [Math.ceil(threads / WORKGROUP), 1, 1];
    this.shaderKey = `gpSliceSums_${width}`;
  }

  getUserCode(): string {
    const type = this.width === 4 ? 'vec4<f32>' : 'f32';
    return `
      fn main(index : i32) {
        // Output [outer, slices, groups]; input [outer, rows, groups].
        if (index >= uniforms.outer * uniforms.slices * uniforms.groups) { return; }
        let group = index % uniforms.groups;
        let slice = (index / uniforms.groups) % uniforms.slices;
        let base = (index / (uniforms.groups * uniforms.slices)) * uniforms.rows * uniforms.groups;
        let first = (uniforms.rows * slice) / uniforms.slices;
        let last = (uniforms.rows * (slice + 1)) / uniforms.slices;
        var total = ${type}(0.0);
        for (var row = first; row < last; row++) {
          total += x[base + row * uniforms.groups + group];
        }
        setOutputAtIndex(index, total * uniforms.scale);
      }
    `;
  }
}

/**
 * Where `axes` (as the kernel gets them: null for every axis, negatives from the end) are a run
 * of neighbouring axes: its first and last axis; else null.
 */
export function reducedRun(
  axes: number | number[] | null,
  shape: readonly number[],
): [number, number] | null {
  const all = shape.map((_, i) => i);
  const unique = [...new Set(axes === null ? all : tf.util.parseAxisParam(axes, [...shape]))].sort(
    (a, b) => a - b,
  );
  const first = unique[0];
  const last = unique[unique.length - 1];
  if (first === undefined || last === undefined) return null;
  return last - first === unique.length - 1 ? [first, last] : null;
}

/**
 * Our Sum or Mean of `x` over a run of axes, or undefined where it does not apply (axes not
 * neighbours, other dtypes: the stock kernel then runs).
 */
export function runReduce(
  backend: WebGPUBackend,
  x: tf.TensorInfo,
  axes: number | number[] | null,
  keepDims: boolean,
  mean: boolean,
): tf.TensorInfo | undefined {
  const run = reducedRun(axes, x.shape);
  if (x.dtype !== 'float32' || run === null) return undefined;
  const [from, to] = run;
  const product = (dims: number[]) => dims.reduce((a, b) => a * b, 1);
  const outer = product(x.shape.slice(0, from));
  const rows = product(x.shape.slice(from, to + 1));
  const inner = product(x.shape.slice(to + 1));
  if (inner === 0 || rows === 0 || outer === 0) return undefined;
  const width = inner % 4 === 0 ? 4 : 1;
  const groups = inner / width;
  const slices = Math.max(
    1,
    Math.min(Math.floor(TARGET_THREADS / (groups * outer)), Math.floor(rows / MIN_ROWS_PER_SLICE)),
  );
  const outShape = keepDims
    ? x.shape.map((d, i) => (i >= from && i <= to ? 1 : d))
    : x.shape.filter((_, i) => i < from || i > to);
  const flat = { ...x, shape: [outer, rows, inner] };
  // One pass when there is one slice (its sum is the answer), else the slices then their sum.
  const scale = mean ? 1 / rows : 1;
  const int = (v: number) => ({ type: 'int32', data: [v] });
  const float = (v: number) => ({ type: 'float32', data: [v] });
  const pass = (input: tf.TensorInfo, inRows: number, outSlices: number, factor: number) =>
    backend.runWebGPUProgram(new SliceSums([outer, outSlices, inner], width), [input], 'float32', [
      int(inRows),
      int(groups),
      int(outSlices),
      float(factor),
      int(outer),
    ]);
  if (slices === 1) return { ...pass(flat, rows, 1, scale), shape: outShape };
  const partial = pass(flat, rows, slices, 1);
  const out = pass(partial, slices, 1, scale);
  backend.disposeData(partial.dataId);
  return { ...out, shape: outShape };
}
