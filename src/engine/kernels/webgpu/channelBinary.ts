/**
 * Add, Sub, Multiply and RealDiv of an activation [..., C] and a per-channel vector [C] (a
 * bias, batch norm's mean, scale and shift, and their gradients): a dozen per layer per step.
 * TF.js 4.22 sends a vector of fewer than 128 channels down a shared-memory path (a 256-thread
 * workgroup fills the vector, waits at a barrier, then works one scalar per thread); a
 * software adapter such as SwiftShader runs each barrier as a switch between every invocation
 * of the workgroup, which made these the slowest ops of a DCGAN step (~100 ms for 65,536
 * elements).
 *
 * Work split: one thread per vec4 of the output (per scalar when C is not in 4s), reading the
 * vector at index mod C straight from memory, where caches serve it; no barrier.
 */
import type { WebGPUBackend, WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import type * as tf from '@tensorflow/tfjs-core';

const WORKGROUP = 128;

export const CHANNEL_OPS = {
  Add: '+',
  Sub: '-',
  Multiply: '*',
  RealDiv: '/',
} as const;

export type ChannelOp = keyof typeof CHANNEL_OPS;

class ChannelBinary implements WebGPUProgram {
  readonly variableNames = ['A', 'B'];
  readonly variableComponents: number[];
  readonly outputComponent: number;
  readonly uniforms = 'channels : i32,';
  readonly workgroupSize: [number, number, number] = [WORKGROUP, 1, 1];
  readonly dispatchLayout: { x: number[] };
  readonly dispatch: [number, number, number];
  readonly size = true;
  readonly shaderKey: string;

  constructor(
    readonly outputShape: number[],
    readonly op: ChannelOp,
    readonly vectorIsA: boolean,
    readonly width: 1 | 4,
  ) {
    this.variableComponents = [width, width];
    this.outputComponent = width;
    this.dispatchLayout = { x: outputShape.map((_, i) => i) };
    const threads = outputShape.reduce((a, b) => a * b, 1) / width;
    this.dispatch = [Math.ceil(threads / WORKGROUP), 1, 1];
    this.shaderKey = `gpChannelBinary_${op}_${vectorIsA}_${width}`;
  }

  getUserCode(): string {
    const a = this.vectorIsA ? 'A[index % uniforms.channels]' : 'A[index]';
    const b = this.vectorIsA ? 'B[index]' : 'B[index % uniforms.channels]';
    return `
      fn main(index : i32) {
        if (index < uniforms.size) {
          setOutputAtIndex(index, ${a} ${CHANNEL_OPS[this.op]} ${b});
        }
      }
    `;
  }
}

/** True when `vector` holds one value per channel of `full`'s last axis, and nothing else. */
function perChannel(vector: readonly number[], full: readonly number[]): boolean {
  const channels = full[full.length - 1];
  return (
    full.length >= 2 &&
    vector.length >= 1 &&
    vector.length <= full.length &&
    vector[vector.length - 1] === channels &&
    vector.slice(0, -1).every((d) => d === 1)
  );
}

/** Our kernel for `a op b`, or undefined where it does not apply (the stock kernel then runs). */
export function channelBinary(
  backend: WebGPUBackend,
  op: ChannelOp,
  a: tf.TensorInfo,
  b: tf.TensorInfo,
): tf.TensorInfo | undefined {
  if (a.dtype !== 'float32' || b.dtype !== 'float32') return undefined;
  const vectorIsA = perChannel(a.shape, b.shape) && a.shape.length <= b.shape.length;
  const vectorIsB = !vectorIsA && perChannel(b.shape, a.shape);
  if (!vectorIsA && !vectorIsB) return undefined;
  const full = vectorIsA ? b.shape : a.shape;
  const channels = full[full.length - 1]!;
  const width = channels % 4 === 0 ? 4 : 1;
  // The vector's leading ones do not change its layout: read it as [C].
  const flat = (t: tf.TensorInfo, isVector: boolean) =>
    isVector ? { ...t, shape: [channels] } : t;
  return backend.runWebGPUProgram(
    new ChannelBinary([...full], op, vectorIsA, width),
    [flat(a, vectorIsA), flat(b, vectorIsB)],
    'float32',
    [{ type: 'int32', data: [channels / width] }],
  );
}
