/**
 * BatchMatMul (dense layers, their two gradients, StackGAN's Gram matrices) without shared
 * memory. TF.js 4.22 picks among tiled programs that stage tiles in workgroup memory and meet
 * at a barrier per step of the inner dimension; on a software adapter such as SwiftShader a
 * barrier switches between every invocation of the workgroup, so a 64 x 32 by 32 x 32 product
 * took 2.8 ms, where our 1 x 1 convolution doing the same arithmetic took 0.3 ms; products
 * were nearly all of the 2D GAN's 411 ms iteration.
 *
 * Work split: a thread owns a 4 x 4 block of one output matrix and walks the inner dimension,
 * loading 4 values of A and 4 of B per step for 16 multiply-adds, all in registers. Threads
 * next to each other take neighbouring column blocks, so their loads of B (and of A when it
 * is transposed) are neighbours. Transposes are strides, so the four cases are one program.
 * Rows and columns past the matrix's edge read its last row or column (in bounds) and are not
 * written, so a thread's 16 sums stay in step without branches.
 */
import type { WebGPUBackend, WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import type * as tf from '@tensorflow/tfjs-core';

const WORKGROUP = 64;

class MatMulBlocks implements WebGPUProgram {
  readonly variableNames = ['A', 'B'];
  // Per matrix of a batch (0 where the matrix is broadcast) and per row and column of A and B.
  readonly uniforms =
    'm : i32, n : i32, k : i32, blocksN : i32, blocks : i32, batchA : i32, batchB : i32, strideA : vec2<i32>, strideB : vec2<i32>,';
  readonly workgroupSize: [number, number, number] = [WORKGROUP, 1, 1];
  readonly dispatchLayout: { x: number[] };
  readonly dispatch: [number, number, number];
  readonly shaderKey = 'gpMatMulBlocks';

  constructor(
    readonly outputShape: number[],
    blocks: number,
  ) {
    this.dispatch = [Math.ceil(blocks / WORKGROUP), 1, 1];
    this.dispatchLayout = { x: outputShape.map((_, i) => i) };
  }

  getUserCode(): string {
    const rows = [0, 1, 2, 3];
    return `
      fn main(index : i32) {
        if (index >= uniforms.blocks) { return; }
        let blocksPerMatrix = ((uniforms.m + 3) / 4) * uniforms.blocksN;
        let batch = index / blocksPerMatrix;
        let block = index % blocksPerMatrix;
        let row0 = (block / uniforms.blocksN) * 4;
        let col0 = (block % uniforms.blocksN) * 4;
        let rowsIn = min(vec4<i32>(row0) + vec4<i32>(0, 1, 2, 3), vec4<i32>(uniforms.m - 1));
        let colsIn = min(vec4<i32>(col0) + vec4<i32>(0, 1, 2, 3), vec4<i32>(uniforms.n - 1));
        let aRows = batch * uniforms.batchA + rowsIn * uniforms.strideA.x;
        let bCols = batch * uniforms.batchB + colsIn * uniforms.strideB.y;
        ${rows.map((i) => `var acc${i} = vec4<f32>(0.0);`).join('\n        ')}
        for (var k = 0; k < uniforms.k; k++) {
          let aAt = aRows + vec4<i32>(k * uniforms.strideA.y);
          let bAt = bCols + vec4<i32>(k * uniforms.strideB.x);
          let b = vec4<f32>(B[bAt.x], B[bAt.y], B[bAt.z], B[bAt.w]);
          ${rows.map((i) => `acc${i} = fma(vec4<f32>(A[aAt[${i}]]), b, acc${i});`).join('\n          ')}
        }
        let out0 = batch * uniforms.m * uniforms.n;
        ${rows
          .flatMap((i) =>
            ['x', 'y', 'z', 'w'].map(
              (c, j) =>
                `if (row0 + ${i} < uniforms.m && col0 + ${j} < uniforms.n) { setOutputAtIndex(out0 + (row0 + ${i}) * uniforms.n + col0 + ${j}, acc${i}.${c}); }`,
            ),
          )
          .join('\n        ')}
      }
    `;
  }
}

/**
 * Our a @ b for [..., M, K] by [..., K, N] (either transposed; the leading axes equal, or all 1
 * on one side to broadcast), or undefined where it does not apply: other dtypes, or other
 * broadcasts (the stock kernel then runs).
 */
export function batchMatMulBlocks(
  backend: WebGPUBackend,
  a: tf.TensorInfo,
  b: tf.TensorInfo,
  transposeA: boolean,
  transposeB: boolean,
): tf.TensorInfo | undefined {
  if (a.dtype !== 'float32' || b.dtype !== 'float32') return undefined;
  if (a.shape.length < 2 || b.shape.length < 2) return undefined;
  const [a1 = 0, a2 = 0] = a.shape.slice(-2);
  const [b1 = 0, b2 = 0] = b.shape.slice(-2);
  const [m, k] = transposeA ? [a2, a1] : [a1, a2];
  const [kB, n] = transposeB ? [b2, b1] : [b1, b2];
  const leadingA = a.shape.slice(0, -2);
  const leadingB = b.shape.slice(0, -2);
  const size = (dims: readonly number[]) => dims.reduce((x, y) => x * y, 1);
  const [batchA, batchB] = [size(leadingA), size(leadingB)];
  const leading =
    batchB === 1 && leadingB.length <= leadingA.length
      ? leadingA
      : batchA === 1 && leadingA.length <= leadingB.length
        ? leadingB
        : leadingA.join() === leadingB.join()
          ? leadingA
          : null;
  if (k !== kB || leading === null) return undefined;
  const batch = size(leading);
  if (batch * m * n === 0) return undefined;
  const blocksN = Math.ceil(n / 4);
  const blocks = batch * Math.ceil(m / 4) * blocksN;
  const int = (v: number) => ({ type: 'int32', data: [v] });
  const pair = (x: number, y: number) => ({ type: 'int32', data: [x, y] });
  return backend.runWebGPUProgram(new MatMulBlocks([...leading, m, n], blocks), [a, b], 'float32', [
    int(m),
    int(n),
    int(k),
    int(blocksN),
    int(blocks),
    int(batchA === 1 ? 0 : m * k),
    int(batchB === 1 ? 0 : k * n),
    // Stride per row, per inner index of A; per inner index, per column of B.
    transposeA ? pair(1, m) : pair(k, 1),
    transposeB ? pair(1, k) : pair(n, 1),
  ]);
}
