/**
 * Optimiser updates with every constant in the dispatch's uniforms: Adam as three dispatches
 * per variable (first moment, second moment, weight), RMSprop as two (mean square, weight).
 * TF.js's ops run about a dozen (Adam) or six (RMSprop) element-wise kernels per variable,
 * most with a scalar made from a JavaScript number (a tensor upload each), every step.
 *
 * Work split: one thread per vec4 of the variable (per scalar when its size is not in 4s).
 */
import type { WebGPUBackend, WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import * as tf from '@tensorflow/tfjs-core';
import type { AdamUpdate, OptimizerKernels, RmsPropUpdate } from '../../../models/shared/optim';

const WORKGROUP = 128;

abstract class Elementwise implements WebGPUProgram {
  abstract readonly variableNames: string[];
  abstract readonly uniforms: string;
  readonly variableComponents: number[];
  readonly outputComponent: number;
  readonly workgroupSize: [number, number, number] = [WORKGROUP, 1, 1];
  readonly dispatchLayout: { x: number[] };
  readonly dispatch: [number, number, number];
  readonly size = true;
  abstract readonly shaderKey: string;

  constructor(
    readonly outputShape: number[],
    readonly width: 1 | 4,
    inputs: number,
  ) {
    this.variableComponents = Array(inputs).fill(width);
    this.outputComponent = width;
    this.dispatchLayout = { x: outputShape.map((_, i) => i) };
    const threads = outputShape.reduce((a, b) => a * b, 1) / width;
    this.dispatch = [Math.ceil(threads / WORKGROUP), 1, 1];
  }

  abstract getUserCode(): string;
}

/** m <- beta m + (1 - beta) g, or with g^2 (Adam's second moment, RMSprop's mean square). */
class Moment extends Elementwise {
  readonly variableNames = ['m', 'g'];
  // 1 - beta comes from JavaScript: in float32, 1 - 0.999f is 1.3e-5 off 0.001.
  readonly uniforms = 'beta : f32, oneMinusBeta : f32,';
  readonly shaderKey: string;

  constructor(
    shape: number[],
    width: 1 | 4,
    readonly squared: boolean,
  ) {
    super(shape, width, 2);
    this.shaderKey = `gpAdamMoment_${squared}_${width}`;
  }

  getUserCode(): string {
    return `
      fn main(index : i32) {
        if (index < uniforms.size) {
          let grad = g[index];
          setOutputAtIndex(index, uniforms.beta * m[index] + uniforms.oneMinusBeta * ${this.squared ? 'grad * grad' : 'grad'});
        }
      }
    `;
  }
}

/** w <- w - (lr / (1 - b1^t)) m / (sqrt(v / (1 - b2^t)) + eps). */
class Apply extends Elementwise {
  readonly variableNames = ['w', 'm', 'v'];
  readonly uniforms = 'stepSize : f32, correction2 : f32, epsilon : f32,';
  readonly shaderKey: string;

  constructor(shape: number[], width: 1 | 4) {
    super(shape, width, 3);
    this.shaderKey = `gpAdamApply_${width}`;
  }

  getUserCode(): string {
    return `
      fn main(index : i32) {
        if (index < uniforms.size) {
          let denominator = sqrt(v[index] / uniforms.correction2) + uniforms.epsilon;
          setOutputAtIndex(index, w[index] - uniforms.stepSize * m[index] / denominator);
        }
      }
    `;
  }
}

/** w <- w - (g / (sqrt(v) + eps)) lr: torch.optim.RMSprop's step with momentum 0. */
class RmsPropApply extends Elementwise {
  readonly variableNames = ['w', 'g', 'v'];
  readonly uniforms = 'learningRate : f32, epsilon : f32,';
  readonly shaderKey: string;

  constructor(shape: number[], width: 1 | 4) {
    super(shape, width, 3);
    this.shaderKey = `gpRmsPropApply_${width}`;
  }

  getUserCode(): string {
    return `
      fn main(index : i32) {
        if (index < uniforms.size) {
          let direction = g[index] / (sqrt(v[index]) + uniforms.epsilon);
          setOutputAtIndex(index, w[index] - direction * uniforms.learningRate);
        }
      }
    `;
  }
}

const info = (t: tf.Tensor): tf.TensorInfo => ({
  dataId: t.dataId,
  shape: t.shape,
  dtype: t.dtype,
});
const float = (v: number) => ({ type: 'float32', data: [v] });

type Uniform = { type: string; data: number[] };

function runner(backend: WebGPUBackend) {
  return (program: WebGPUProgram, inputs: tf.Tensor[], uniforms: Uniform[]) =>
    tf
      .engine()
      .makeTensorFromTensorInfo(
        backend.runWebGPUProgram(program, inputs.map(info), 'float32', uniforms),
      );
}

const widthOf = (t: tf.Tensor): 1 | 4 => (t.size % 4 === 0 ? 4 : 1);

function adamUpdate(backend: WebGPUBackend, u: AdamUpdate): void {
  const shape = [...u.value.shape];
  const width = widthOf(u.value);
  const run = runner(backend);
  const m = run(
    new Moment(shape, width, false),
    [u.m, u.gradient],
    [float(u.beta1), float(1 - u.beta1)],
  );
  const v = run(
    new Moment(shape, width, true),
    [u.v, u.gradient],
    [float(u.beta2), float(1 - u.beta2)],
  );
  const w = run(
    new Apply(shape, width),
    [u.value, m, v],
    [float(u.stepSize), float(u.correction2), float(u.epsilon)],
  );
  u.m.assign(m);
  u.v.assign(v);
  u.value.assign(w);
  tf.dispose([m, v, w]);
}

function rmsPropUpdate(backend: WebGPUBackend, u: RmsPropUpdate): void {
  const shape = [...u.value.shape];
  const width = widthOf(u.value);
  const run = runner(backend);
  const v = run(
    new Moment(shape, width, true),
    [u.v, u.gradient],
    [float(u.decay), float(1 - u.decay)],
  );
  const w = run(
    new RmsPropApply(shape, width),
    [u.value, u.gradient, v],
    [float(u.learningRate), float(u.epsilon)],
  );
  u.v.assign(v);
  u.value.assign(w);
  tf.dispose([v, w]);
}

/** Our optimiser steps where our WebGPU kernels are on (see models/shared/optim.ts). */
export function webGpuOptimizers(ownKernelsOn: () => boolean): OptimizerKernels {
  const backend = () => tf.backend() as WebGPUBackend;
  return {
    available: () => ownKernelsOn() && tf.getBackend() === 'webgpu',
    adam(updates) {
      for (const u of updates) adamUpdate(backend(), u);
    },
    rmsProp(updates) {
      for (const u of updates) rmsPropUpdate(backend(), u);
    },
  };
}
