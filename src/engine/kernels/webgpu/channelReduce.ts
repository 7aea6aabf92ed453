/**
 * Sum and Mean over every axis but the last ([..., C] to [C]): batch norm's statistics, a
 * bias's gradient, per-channel means of a penalty. TF.js 4.22 transposes the reduced axes to
 * the end and reduces each row in a workgroup that meets at a barrier per halving step; on a
 * software adapter such as SwiftShader a barrier switches between every invocation of the
 * workgroup, which made these reductions cost as much as a convolution.
 *
 * Work split: the rows (all leading positions) are cut into slices; a thread sums one slice
 * for 4 neighbouring channels (a vec4 when C is in 4s), reading rows in order so that
 * neighbouring threads read neighbouring channels. A second pass adds the slices in order, so
 * the result does not depend on scheduling. No barriers.
 */
import type { WebGPUBackend, WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import type * as tf from '@tensorflow/tfjs-core';

const WORKGROUP = 64;
/** Threads worth launching across slices before a device would idle. */
const TARGET_THREADS = 2048;
/** Fewer rows than this per slice and the second pass costs more than it frees. */
const MIN_ROWS_PER_SLICE = 16;

class SliceSums implements WebGPUProgram {
  readonly variableNames = ['x'];
  readonly variableComponents: number[];
  readonly outputComponent: number;
  readonly uniforms = 'rows : i32, groups : i32, slices : i32, scale : f32,';
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
        if (index >= uniforms.groups * uniforms.slices) { return; }
        let slice = index / uniforms.groups;
        let group = index % uniforms.groups;
        let first = (uniforms.rows * slice) / uniforms.slices;
        let last = (uniforms.rows * (slice + 1)) / uniforms.slices;
        var total = ${type}(0.0);
        for (var row = first; row < last; row++) {
          total += x[row * uniforms.groups + group];
        }
        setOutputAtIndex(index, total * uniforms.scale);
      }
    `;
  }
}

/** Whether `axes` of an input of rank `rank` are all but the last. */
export function allButLast(axes: number | number[], rank: number): boolean {
  const list = (Array.isArray(axes) ? axes : [axes]).map((a) => (a < 0 ? a + rank : a));
  const unique = [...new Set(list)].sort((a, b) => a - b);
  return rank >= 2 && unique.length === rank - 1 && unique.every((a, i) => a === i);
}

/**
 * Our per-channel Sum or Mean of `x`, or undefined where it does not apply (other axes, other
 * dtypes: the stock kernel then runs).
 */
export function channelReduce(
  backend: WebGPUBackend,
  x: tf.TensorInfo,
  axes: number | number[],
  keepDims: boolean,
  mean: boolean,
): tf.TensorInfo | undefined {
  if (x.dtype !== 'float32' || !allButLast(axes, x.shape.length)) return undefined;
  const channels = x.shape[x.shape.length - 1]!;
  const rows = x.shape.slice(0, -1).reduce((a, b) => a * b, 1);
  if (channels === 0 || rows === 0) return undefined;
  const width = channels % 4 === 0 ? 4 : 1;
  const groups = channels / width;
  const slices = Math.max(
    1,
    Math.min(Math.floor(TARGET_THREADS / groups), Math.floor(rows / MIN_ROWS_PER_SLICE)),
  );
  const outShape = keepDims ? x.shape.map((d, i) => (i < x.shape.length - 1 ? 1 : d)) : [channels];
  const flat = { ...x, shape: [rows, channels] };
  // One pass when there is one slice (its sum is the answer), else the slices then their sum.
  const scale = mean ? 1 / rows : 1;
  const int = (v: number) => ({ type: 'int32', data: [v] });
  const float = (v: number) => ({ type: 'float32', data: [v] });
  if (slices === 1) {
    const out = backend.runWebGPUProgram(new SliceSums([1, channels], width), [flat], 'float32', [
      int(rows),
      int(groups),
      int(1),
      float(scale),
    ]);
    return { ...out, shape: outShape };
  }
  const partial = backend.runWebGPUProgram(
    new SliceSums([slices, channels], width),
    [flat],
    'float32',
    [int(rows), int(groups), int(slices), float(1)],
  );
  const out = backend.runWebGPUProgram(new SliceSums([1, channels], width), [partial], 'float32', [
    int(slices),
    int(groups),
    int(1),
    float(scale),
  ]);
  backend.disposeData(partial.dataId);
  return { ...out, shape: outShape };
}
