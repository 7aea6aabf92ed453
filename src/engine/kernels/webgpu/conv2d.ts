/**
 * Conv2D (forward) and Conv2DBackpropInput (the input gradient, which is also
 * conv2dTranspose's forward) on WebGPU as register-tiled implicit GEMMs over NHWC tensors, any
 * channel counts (vec4 loads where they come in 4s); dilated or NCHW convolutions run TF.js's
 * stock kernels.
 *
 * Work split (both): a thread owns 4 neighbouring pixels of one output row by 4 channels, so
 * each vec4 it loads from the weights feeds 4 pixels and each vec4 of activations feeds 4
 * channels: 16 multiply-adds per 2 loads. Threads next to each other take neighbouring channel
 * groups of the same pixels, so their weight loads are contiguous. Pixels outside the image
 * (padding) or, for the input gradient, between strided taps are masked with select() rather
 * than branched on, so a thread's four pixels stay in step.
 */
import type { WebGPUBackend, WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import type * as tf from '@tensorflow/tfjs-core';

const WORKGROUP = 64;

/**
 * inDims and outDims are (height, width, channel groups of 4) of the op's input and output;
 * inChannels and outChannels the true counts (a last group may be partial). For the input
 * gradient a row's columns are dealt out by stride class (see ConvInputGradTiles):
 * classTiles tiles per class.
 */
const UNIFORMS =
  'pads : vec2<i32>, strides : vec2<i32>, filterDims : vec2<i32>, inDims : vec3<i32>, outDims : vec3<i32>, inChannels : i32, outChannels : i32, tilesQ : i32, classTiles : i32, tiles : i32,';

/**
 * The body once per pixel of the tile, written out: a software adapter compiles an indexed
 * loop over a small array into memory traffic, and a GPU compiler unrolls it anyway.
 */
const unroll = (body: (i: number) => string) => [0, 1, 2, 3].map(body).join('');

/**
 * The thread's tile: output row (b, r), channel group c4Out, and its 4 columns `qs`: 4
 * neighbours, or for the input gradient 4 columns a stride apart.
 */
const tilePreamble = (strided: boolean) => `
        if (index >= uniforms.tiles) { return; }
        let c4Out = index % uniforms.outDims.z;
        let pixelTile = index / uniforms.outDims.z;
        let row = pixelTile / uniforms.tilesQ;
        let b = row / uniforms.outDims.x;
        let r = row % uniforms.outDims.x;
        let t = pixelTile % uniforms.tilesQ;
        let qs = ${
          strided
            ? 'vec4<i32>(t / uniforms.classTiles) + (vec4<i32>((t % uniforms.classTiles) * 4) + vec4<i32>(0, 1, 2, 3)) * uniforms.strides.y'
            : 'vec4<i32>(t * 4) + vec4<i32>(0, 1, 2, 3)'
        };
        let inRow = qs < vec4<i32>(uniforms.outDims.y);
        var acc0 = vec4<f32>(0.0);
        var acc1 = vec4<f32>(0.0);
        var acc2 = vec4<f32>(0.0);
        var acc3 = vec4<f32>(0.0);`;

/** Whole vec4s when the output's channels come in 4s, else each channel that exists. */
const tileWrite = (vec4: boolean) =>
  unroll((i) =>
    vec4
      ? `
        if (inRow[${i}]) {
          setOutputAtIndex((row * uniforms.outDims.y + qs[${i}]) * uniforms.outDims.z + c4Out, acc${i});
        }`
      : `
        if (inRow[${i}]) {
          let pixel = (row * uniforms.outDims.y + qs[${i}]) * uniforms.outChannels + c4Out * 4;
          for (var j = 0; j < min(4, uniforms.outChannels - c4Out * 4); j++) {
            setOutputAtIndex(pixel + j, acc${i}[j]);
          }
        }`,
  );

/**
 * y[b, r, q, co] = sum over kh, kw, ci of x[b, r*s + kh - pad, q*s + kw - pad, ci] W[kh, kw, ci, co].
 * x is read as vec4 when ci comes in 4s, else a scalar at a time (a first layer's 3 colour
 * channels); W as vec4 and y written as vec4 when co comes in 4s, else gathered and written per
 * channel (a last layer to RGB, a critic's single output).
 */
/** What both convolution programs share: the tile layout, uniforms and a flat dispatch. */
abstract class ConvTileProgram implements WebGPUProgram {
  abstract readonly variableNames: string[];
  readonly uniforms = UNIFORMS;
  readonly workgroupSize: [number, number, number] = [WORKGROUP, 1, 1];
  readonly dispatchLayout = { x: [0, 1, 2, 3] };
  readonly dispatch: [number, number, number];

  constructor(
    readonly outputShape: number[],
    tiles: number,
    readonly variableComponents: number[],
    readonly outputComponent: number,
    readonly shaderKey: string,
  ) {
    this.dispatch = [Math.ceil(tiles / WORKGROUP), 1, 1];
  }

  abstract getUserCode(): string;
}

class ConvTiles extends ConvTileProgram {
  readonly variableNames = ['x', 'W'];

  constructor(
    outputShape: number[],
    tiles: number,
    readonly xVec4: boolean,
    readonly wVec4: boolean,
  ) {
    super(
      outputShape,
      tiles,
      [xVec4 ? 4 : 1, wVec4 ? 4 : 1],
      wVec4 ? 4 : 1,
      `gpConvTiles_${xVec4}_${wVec4}`,
    );
  }

  getUserCode(): string {
    // Filter row (wTap + c) for the thread's 4 output channels.
    const wRow = (c: string) =>
      this.wVec4
        ? `W[(wTap + ${c}) * outC4 + c4Out]`
        : `vec4<f32>(W[(wTap + ${c}) * uniforms.outChannels + co.x], W[(wTap + ${c}) * uniforms.outChannels + co.y], W[(wTap + ${c}) * uniforms.outChannels + co.z], W[(wTap + ${c}) * uniforms.outChannels + co.w])`;
    const channels = this.xVec4
      ? `
            let at4 = at / vec4<i32>(4);
            for (var c4 = 0; c4 < uniforms.inDims.z; c4++) {
              let w0 = ${wRow('c4 * 4')};
              let w1 = ${wRow('c4 * 4 + 1')};
              let w2 = ${wRow('c4 * 4 + 2')};
              let w3 = ${wRow('c4 * 4 + 3')};${unroll(
                (i) => `
              let x${i} = select(vec4<f32>(0.0), x[at4[${i}] + c4], ok[${i}]);
              acc${i} += x${i}.x * w0 + x${i}.y * w1 + x${i}.z * w2 + x${i}.w * w3;`,
              )}
            }`
      : `
            for (var c = 0; c < uniforms.inChannels; c++) {
              let w = ${wRow('c')};${unroll(
                (i) => `
              acc${i} += select(0.0, x[at[${i}] + c], ok[${i}]) * w;`,
              )}
            }`;
    return `
      fn main(index : i32) {${tilePreamble(false)}
        let outC4 = uniforms.outDims.z;
        // The thread's output channels (the last one standing in for any past the end, whose
        // sums are not written).
        let co = min(vec4<i32>(c4Out * 4) + vec4<i32>(0, 1, 2, 3), vec4<i32>(uniforms.outChannels - 1));
        for (var kh = 0; kh < uniforms.filterDims.x; kh++) {
          let xr = r * uniforms.strides.x + kh - uniforms.pads.x;
          if (xr < 0 || xr >= uniforms.inDims.x) { continue; }
          let xRow = (b * uniforms.inDims.x + xr) * uniforms.inDims.y;
          for (var kw = 0; kw < uniforms.filterDims.y; kw++) {
            let xcs = qs * uniforms.strides.y + vec4<i32>(kw - uniforms.pads.y);
            let ok = inRow & (xcs >= vec4<i32>(0)) & (xcs < vec4<i32>(uniforms.inDims.y));
            // Scalar offsets of each pixel's first channel.
            let at = (vec4<i32>(xRow) + select(vec4<i32>(0), xcs, ok)) * uniforms.inChannels;
            let wTap = (kh * uniforms.filterDims.y + kw) * uniforms.inChannels;${channels}
          }
        }${tileWrite(this.wVec4)}
      }
    `;
  }
}

/**
 * dx[b, h, w, ci] = sum over kh, kw, co of dy[b, (h + pad - kh) / s, (w + pad - kw) / s, co]
 * W[kh, kw, ci, co], over the taps where the division is exact and lands inside dy. dy and W are
 * read as vec4 along co when co comes in 4s, else gathered 4 channels at a time with those past
 * the end zeroed (the gradient through a last layer to RGB); dx is written as vec4 when ci comes
 * in 4s, else per channel (the image gradient of a first layer).
 *
 * With stride s only one tap in s along each axis reaches a given pixel, and which one
 * depends on the pixel's column mod s: so a thread's 4 columns are taken a stride apart (the
 * same class mod s), and a tap that misses them misses all four and is skipped whole.
 */
class ConvInputGradTiles extends ConvTileProgram {
  readonly variableNames = ['dy', 'W'];

  constructor(
    outputShape: number[],
    tiles: number,
    readonly dxVec4: boolean,
    readonly dyVec4: boolean,
  ) {
    super(
      outputShape,
      tiles,
      dyVec4 ? [4, 4] : [1, 1],
      dxVec4 ? 4 : 1,
      `gpConvInputGradTiles_${dxVec4}_${dyVec4}`,
    );
  }

  getUserCode(): string {
    // Here the op's input is dy and its output dx: inDims describe dy, outDims dx.
    return `
      fn main(index : i32) {${tilePreamble(true)}
        let dyC4 = uniforms.inDims.z;
        // W[kh, kw, ci, co] for the thread's input channels ci = 4 c4Out + j (the last
        // existing one standing in for those past the end, whose sums are not written).
        let ci = min(vec4<i32>(c4Out * 4) + vec4<i32>(0, 1, 2, 3), vec4<i32>(uniforms.outChannels - 1));
        for (var kh = 0; kh < uniforms.filterDims.x; kh++) {
          let rowNum = r + uniforms.pads.x - kh;
          let dyr = rowNum / uniforms.strides.x;
          if (rowNum < 0 || rowNum % uniforms.strides.x != 0 || dyr >= uniforms.inDims.x) {
            continue;
          }
          let dyRow = (b * uniforms.inDims.x + dyr) * uniforms.inDims.y;
          for (var kw = 0; kw < uniforms.filterDims.y; kw++) {
            let colNum = qs + vec4<i32>(uniforms.pads.y - kw);
            // The four columns share a class mod s: the first one decides for all.
            if (colNum.x % uniforms.strides.y != 0) { continue; }
            let dycs = colNum / vec4<i32>(uniforms.strides.y);
            let ok = inRow & (colNum >= vec4<i32>(0)) &
              (colNum % vec4<i32>(uniforms.strides.y) == vec4<i32>(0)) &
              (dycs < vec4<i32>(uniforms.inDims.y));
            if (!any(ok)) { continue; }
            let at = (vec4<i32>(dyRow) + select(vec4<i32>(0), dycs, ok)) * ${this.dyVec4 ? 'dyC4' : 'uniforms.inChannels'};
            let wTap = vec4<i32>((kh * uniforms.filterDims.y + kw) * uniforms.outChannels) + ci;
            for (var c4 = 0; c4 < dyC4; c4++) {${
              this.dyVec4
                ? `
              let w0 = W[wTap.x * dyC4 + c4];
              let w1 = W[wTap.y * dyC4 + c4];
              let w2 = W[wTap.z * dyC4 + c4];
              let w3 = W[wTap.w * dyC4 + c4];`
                : `
              // dy's channels 4 c4 + k, clamped to read in bounds and zeroed past the end.
              let co = min(vec4<i32>(c4 * 4) + vec4<i32>(0, 1, 2, 3), vec4<i32>(uniforms.inChannels - 1));
              let live = vec4<i32>(c4 * 4) + vec4<i32>(0, 1, 2, 3) < vec4<i32>(uniforms.inChannels);
              let wx = wTap * uniforms.inChannels;
              let w0 = vec4<f32>(W[wx.x + co.x], W[wx.x + co.y], W[wx.x + co.z], W[wx.x + co.w]);
              let w1 = vec4<f32>(W[wx.y + co.x], W[wx.y + co.y], W[wx.y + co.z], W[wx.y + co.w]);
              let w2 = vec4<f32>(W[wx.z + co.x], W[wx.z + co.y], W[wx.z + co.z], W[wx.z + co.w]);
              let w3 = vec4<f32>(W[wx.w + co.x], W[wx.w + co.y], W[wx.w + co.z], W[wx.w + co.w]);`
            }${unroll((i) =>
              this.dyVec4
                ? `
              let g${i} = select(vec4<f32>(0.0), dy[at[${i}] + c4], ok[${i}]);
              acc${i} += vec4<f32>(dot(g${i}, w0), dot(g${i}, w1), dot(g${i}, w2), dot(g${i}, w3));`
                : `
              let g${i} = select(vec4<f32>(0.0), vec4<f32>(dy[at[${i}] + co.x], dy[at[${i}] + co.y], dy[at[${i}] + co.z], dy[at[${i}] + co.w]), live & vec4<bool>(ok[${i}]));
              acc${i} += vec4<f32>(dot(g${i}, w0), dot(g${i}, w1), dot(g${i}, w2), dot(g${i}, w3));`,
            )}
            }
          }
        }${tileWrite(this.dxVec4)}
      }
    `;
  }
}

type ConvInfo = tf.backend_util.Conv2DInfo;

function run(
  backend: WebGPUBackend,
  program: ConvTileProgram,
  inputs: tf.TensorInfo[],
  info: ConvInfo,
  opIn: readonly [number, number, number],
  opOut: readonly [number, number, number],
  tilesQ: number,
  classTiles: number,
  tiles: number,
): tf.TensorInfo {
  const int = (...data: number[]) => ({ type: 'int32', data });
  const [inH, inW, inC] = opIn;
  const [outH, outW, outC] = opOut;
  return backend.runWebGPUProgram(program, inputs, 'float32', [
    int(info.padInfo.top, info.padInfo.left),
    int(info.strideHeight, info.strideWidth),
    int(info.filterHeight, info.filterWidth),
    int(inH, inW, Math.ceil(inC / 4)),
    int(outH, outW, Math.ceil(outC / 4)),
    int(inC),
    int(outC),
    int(tilesQ),
    int(classTiles),
    int(tiles),
  ]);
}

/** NHWC and no dilation. */
const applies = (info: ConvInfo) =>
  info.dataFormat === 'channelsLast' && info.dilationHeight === 1 && info.dilationWidth === 1;

/** Our forward convolution, or undefined where it does not apply. */
export function conv2DTiled(
  backend: WebGPUBackend,
  x: tf.TensorInfo,
  filter: tf.TensorInfo,
  info: ConvInfo,
): tf.TensorInfo | undefined {
  if (!applies(info) || x.dtype !== 'float32') return undefined;
  const tilesQ = Math.ceil(info.outWidth / 4);
  const tiles = info.batchSize * info.outHeight * tilesQ * Math.ceil(info.outChannels / 4);
  return run(
    backend,
    new ConvTiles([...info.outShape], tiles, info.inChannels % 4 === 0, info.outChannels % 4 === 0),
    [x, filter],
    info,
    [info.inHeight, info.inWidth, info.inChannels],
    [info.outHeight, info.outWidth, info.outChannels],
    tilesQ,
    tilesQ,
    tiles,
  );
}

/** Our input gradient, or undefined where it does not apply. */
export function conv2DBackpropInputTiled(
  backend: WebGPUBackend,
  dy: tf.TensorInfo,
  filter: tf.TensorInfo,
  info: ConvInfo,
): tf.TensorInfo | undefined {
  if (!applies(info) || dy.dtype !== 'float32') return undefined;
  // Columns dealt out by class mod the stride, 4 per tile within a class.
  const classTiles = Math.ceil(Math.ceil(info.inWidth / info.strideWidth) / 4);
  const tilesQ = info.strideWidth * classTiles;
  const tiles = info.batchSize * info.inHeight * tilesQ * Math.ceil(info.inChannels / 4);
  return run(
    backend,
    new ConvInputGradTiles(
      [...info.inShape],
      tiles,
      info.inChannels % 4 === 0,
      info.outChannels % 4 === 0,
    ),
    [dy, filter],
    info,
    [info.outHeight, info.outWidth, info.outChannels],
    [info.inHeight, info.inWidth, info.inChannels],
    tilesQ,
    classTiles,
    tiles,
  );
}
