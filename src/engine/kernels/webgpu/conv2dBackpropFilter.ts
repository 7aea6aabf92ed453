/**
 * Conv2DBackpropFilter on WebGPU as an implicit GEMM: dW[m, n] = sum_k A[m, k] B[k, n] with
 * m = (kh, kw, ci) over the filter's rows, n = co, and k = (b, r, q) over every output pixel of
 * the batch; A is the input patch pixel x[b, r*s + kh - pad, q*s + kw - pad, ci] and B is
 * dy[b, r, q, co]. TF.js 4.22's kernel gives each thread one filter element and loops over all
 * of k, reading two scalars per multiply-add, and has nothing to run in parallel when the
 * filter is small (a first layer's 4 x 4 x 3 x 64 is 3,072 threads for 65,536 products each).
 *
 * Work split: each thread owns a 4 x 4 tile of dW (4 filter rows by 4 output channels) and
 * keeps it in registers, so one load of x and one of dy feed 16 multiply-adds; neighbouring
 * threads take neighbouring channel tiles, so their dy loads are contiguous. When the tiles
 * alone are too few threads to fill a device, k is split as well: split s sums its share of
 * the (b, r) output rows into its own slice of a [splits, M, N] buffer, and a second pass
 * adds the slices (a fixed order: results do not depend on scheduling).
 */
import type { WebGPUBackend, WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import type * as tf from '@tensorflow/tfjs-core';

/** Threads worth launching before k is split too; below it, part of a GPU would idle. */
const TARGET_THREADS = 4096;
/** Fewer (b, r) rows than this per split and the second pass costs more than it frees. */
const MIN_ROWS_PER_SPLIT = 4;
const WORKGROUP = 64;

export interface FilterGradShape {
  readonly batch: number;
  readonly inHeight: number;
  readonly inWidth: number;
  readonly inChannels: number;
  readonly outHeight: number;
  readonly outWidth: number;
  readonly outChannels: number;
  readonly filterHeight: number;
  readonly filterWidth: number;
}

/** How many slices k is cut into for a shape (1: no second pass). */
export function splitsFor(shape: FilterGradShape): number {
  const rows = shape.filterHeight * shape.filterWidth * shape.inChannels;
  const tiles = Math.ceil(rows / 4) * Math.ceil(shape.outChannels / 4);
  const wanted = Math.floor(TARGET_THREADS / tiles);
  const most = Math.floor((shape.batch * shape.outHeight) / MIN_ROWS_PER_SPLIT);
  return Math.max(1, Math.min(wanted, most));
}

function flatDispatch(threads: number): [number, number, number] {
  return [Math.ceil(threads / WORKGROUP), 1, 1];
}

/**
 * The tiled product. `vec4` (both channel counts multiples of 4) reads x and dy as vec4 and
 * needs one bounds test per pixel for the tile's four rows, which then share (kh, kw); the
 * general form tests and reads each row on its own (first layers: 3 input channels).
 */
class FilterGradTiles implements WebGPUProgram {
  readonly variableNames = ['x', 'dy'];
  readonly variableComponents: number[];
  readonly uniforms =
    'pads : vec2<i32>, strides : vec2<i32>, inDims : vec3<i32>, outDims : vec3<i32>, filterDims : vec2<i32>, outChannels : i32, splits : i32, tilesN : i32, tiles : i32,';
  readonly workgroupSize: [number, number, number] = [WORKGROUP, 1, 1];
  readonly outputShape: number[];
  readonly dispatchLayout = { x: [0, 1, 2] };
  readonly dispatch: [number, number, number];
  readonly shaderKey: string;

  constructor(
    shape: FilterGradShape,
    readonly splits: number,
    readonly vec4: boolean,
  ) {
    const rows = shape.filterHeight * shape.filterWidth * shape.inChannels;
    this.outputShape = [splits, rows, shape.outChannels];
    this.variableComponents = vec4 ? [4, 4] : [1, 1];
    const tiles = Math.ceil(rows / 4) * Math.ceil(shape.outChannels / 4);
    this.dispatch = flatDispatch(tiles * splits);
    this.shaderKey = `gpFilterGradTiles_${vec4}`;
  }

  getUserCode(): string {
    const accumulate = this.vec4
      ? `
          let xc = q * uniforms.strides.y + kw0 - uniforms.pads.y;
          if (xc >= 0 && xc < uniforms.inDims.z) {
            // In vec4 units (no division in the loop: a software adapter scalarises it).
            let xv = x[xRow4 + xc * inC4 + ci0 / 4];
            let dv = dy[dyRow4 + q * outC4 + co0 / 4];
            acc0 += xv.x * dv;
            acc1 += xv.y * dv;
            acc2 += xv.z * dv;
            acc3 += xv.w * dv;
          }`
      : `
          let co = min(vec4<i32>(co0) + vec4<i32>(0, 1, 2, 3), vec4<i32>(uniforms.outChannels - 1));
          let dBase = dyRow + q * uniforms.outChannels;
          let dv = vec4<f32>(dy[dBase + co.x], dy[dBase + co.y], dy[dBase + co.z], dy[dBase + co.w]);
          let xr = vec4<i32>(r * uniforms.strides.x - uniforms.pads.x) + kh;
          let xc = vec4<i32>(q * uniforms.strides.y - uniforms.pads.y) + kw;
          let ok = rowOk & (xr >= vec4<i32>(0)) & (xr < vec4<i32>(uniforms.inDims.y)) &
            (xc >= vec4<i32>(0)) & (xc < vec4<i32>(uniforms.inDims.z));
          let at = select(vec4<i32>(0), ((vec4<i32>(b * uniforms.inDims.y) + xr) * uniforms.inDims.z + xc) * uniforms.inDims.x + ci, ok);${[
            0, 1, 2, 3,
          ]
            .map(
              (i) => `
          acc${i} += select(0.0, x[at[${i}]], ok[${i}]) * dv;`,
            )
            .join('')}`;
    return `
      fn main(index : i32) {
        if (index >= uniforms.tiles * uniforms.splits) { return; }
        let split = index / uniforms.tiles;
        let tile = index % uniforms.tiles;
        let m0 = (tile / uniforms.tilesN) * 4;
        let co0 = (tile % uniforms.tilesN) * 4;
        let inC = uniforms.inDims.x;
        let rows = uniforms.filterDims.x * uniforms.filterDims.y * inC;
        ${
          this.vec4
            ? `
        let kh0 = m0 / (uniforms.filterDims.y * inC);
        let kw0 = (m0 / inC) % uniforms.filterDims.y;
        let ci0 = m0 % inC;
        let inC4 = inC / 4;
        let outC4 = uniforms.outChannels / 4;`
            : `
        // The tile's four filter rows m = (kh, kw, ci), as vectors: one lane per row.
        let ms = vec4<i32>(m0) + vec4<i32>(0, 1, 2, 3);
        let rowOk = ms < vec4<i32>(rows);
        let m = min(ms, vec4<i32>(rows - 1));
        let kh = m / (uniforms.filterDims.y * inC);
        let kw = (m / inC) % uniforms.filterDims.y;
        let ci = m % inC;`
        }
        var acc0 = vec4<f32>(0.0);
        var acc1 = vec4<f32>(0.0);
        var acc2 = vec4<f32>(0.0);
        var acc3 = vec4<f32>(0.0);
        // This split's share of the (b, r) output rows.
        let allRows = uniforms.outDims.x * uniforms.outDims.y;
        let first = (allRows * split) / uniforms.splits;
        let last = (allRows * (split + 1)) / uniforms.splits;
        for (var row = first; row < last; row++) {
          let b = row / uniforms.outDims.y;
          let r = row % uniforms.outDims.y;
          let dyRow = row * uniforms.outDims.z * uniforms.outChannels;
          ${
            this.vec4
              ? `
          let xr = r * uniforms.strides.x + kh0 - uniforms.pads.x;
          if (xr < 0 || xr >= uniforms.inDims.y) { continue; }
          let xRow4 = (b * uniforms.inDims.y + xr) * uniforms.inDims.z * inC4;
          let dyRow4 = row * uniforms.outDims.z * outC4;`
              : ''
          }
          for (var q = 0; q < uniforms.outDims.z; q++) {${accumulate}
          }
        }
        var tileAcc = array<vec4<f32>, 4>(acc0, acc1, acc2, acc3);
        let base = split * rows * uniforms.outChannels;
        for (var i = 0; i < 4; i++) {
          if (m0 + i >= rows) { break; }
          for (var j = 0; j < 4; j++) {
            if (co0 + j < uniforms.outChannels) {
              setOutputAtIndex(base + (m0 + i) * uniforms.outChannels + co0 + j, tileAcc[i][j]);
            }
          }
        }
      }
    `;
  }
}

/** The second pass: out[i] = sum over splits of partial[s, i], in split order. */
class SumSplits implements WebGPUProgram {
  readonly variableNames = ['partial'];
  readonly uniforms = 'splits : i32,';
  readonly workgroupSize: [number, number, number] = [WORKGROUP, 1, 1];
  readonly dispatchLayout = { x: [0] };
  readonly dispatch: [number, number, number];
  readonly size = true;
  readonly shaderKey = 'gpSumSplits';

  constructor(readonly outputShape: number[]) {
    this.dispatch = flatDispatch(outputShape.reduce((a, b) => a * b, 1));
  }

  getUserCode(): string {
    return `
      fn main(index : i32) {
        if (index >= uniforms.size) { return; }
        var total = 0.0;
        for (var s = 0; s < uniforms.splits; s++) {
          total += partial[s * uniforms.size + index];
        }
        setOutputAtIndex(index, total);
      }
    `;
  }
}

/** Our kernel, or undefined where it does not apply (NCHW, dilations): the stock one then runs. */
export function conv2DBackpropFilterTiled(
  backend: WebGPUBackend,
  x: tf.TensorInfo,
  dy: tf.TensorInfo,
  info: tf.backend_util.Conv2DInfo,
): tf.TensorInfo | undefined {
  if (info.dataFormat !== 'channelsLast' || x.dtype !== 'float32') return undefined;
  const shape: FilterGradShape = {
    batch: info.batchSize,
    inHeight: info.inHeight,
    inWidth: info.inWidth,
    inChannels: info.inChannels,
    outHeight: info.outHeight,
    outWidth: info.outWidth,
    outChannels: info.outChannels,
    filterHeight: info.filterHeight,
    filterWidth: info.filterWidth,
  };
  const splits = splitsFor(shape);
  const vec4 = shape.inChannels % 4 === 0 && shape.outChannels % 4 === 0;
  const program = new FilterGradTiles(shape, splits, vec4);
  const rows = shape.filterHeight * shape.filterWidth * shape.inChannels;
  const tilesN = Math.ceil(shape.outChannels / 4);
  const int = (...data: number[]) => ({ type: 'int32', data });
  const partial = backend.runWebGPUProgram(program, [x, dy], 'float32', [
    int(info.padInfo.top, info.padInfo.left),
    int(info.strideHeight, info.strideWidth),
    int(shape.inChannels, shape.inHeight, shape.inWidth),
    int(shape.batch, shape.outHeight, shape.outWidth),
    int(shape.filterHeight, shape.filterWidth),
    int(shape.outChannels),
    int(splits),
    int(tilesN),
    int(Math.ceil(rows / 4) * tilesN),
  ]);
  // The [1, M, N] product is the filter's [kh, kw, ci, co] in the same order: a new shape only.
  if (splits === 1) return { ...partial, shape: [...info.filterShape] };
  const summed = backend.runWebGPUProgram(
    new SumSplits([...info.filterShape]),
    [{ ...partial, shape: [splits * rows * shape.outChannels] }],
    'float32',
    [int(splits)],
  );
  backend.disposeData(partial.dataId);
  return summed;
}
