/**
 * Our WebGPU kernels, registered over TF.js's own for the ops that dominate a GAN step. Each
 * wrapper keeps the stock kernel: it runs where ours does not apply, and everywhere when our
 * kernels are switched off (`?kernels=stock`), so a benchmark or a test can compare the two in
 * one page.
 */
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import * as tf from '@tensorflow/tfjs-core';
import { provideOptimizerKernels } from '../../../models/shared/optim';
import { type ConvAttrs, convInfo } from '../convInfo';
import { CHANNEL_OPS, type ChannelOp, channelBinary } from './channelBinary';
import { shareScalarConstants } from './constants';
import { conv2DBackpropInputTiled, conv2DTiled } from './conv2d';
import { conv2DBackpropFilterTiled } from './conv2dBackpropFilter';
import { batchMatMulBlocks } from './matMul';
import { webGpuOptimizers } from './optimizers';
import { runReduce } from './runReduce';

let ours = true;

/** Whether our kernels run (true) or TF.js's stock ones (false); read at each dispatch. */
export function setOwnWebGpuKernels(on: boolean): void {
  ours = on;
}

export function ownWebGpuKernelsOn(): boolean {
  return ours;
}

/** Dispatches that ran our kernel rather than falling back to the stock one, by kernel name. */
const ranOurs = new Map<string, number>();

/** How many times our kernel for `kernelName` has run, so a check can tell it was not stock. */
export function ownKernelRuns(kernelName: string): number {
  return ranOurs.get(kernelName) ?? 0;
}

interface ReduceAttrs {
  /** null: every axis. */
  axis: number | number[] | null;
  keepDims: boolean;
}

interface MatMulAttrs {
  transposeA: boolean;
  transposeB: boolean;
}

type Attrs = ConvAttrs & ReduceAttrs & MatMulAttrs;

type Own = (
  backend: WebGPUBackend,
  inputs: tf.NamedTensorInfoMap,
  attrs: Attrs,
) => tf.TensorInfo | undefined;

const OWN: Readonly<Record<string, Own>> = {
  Conv2D: (backend, { x, filter }, attrs) =>
    conv2DTiled(backend, x!, filter!, convInfo(x!.shape, filter!.shape, attrs)),
  Conv2DBackpropInput: (backend, { dy, filter }, attrs) =>
    conv2DBackpropInputTiled(
      backend,
      dy!,
      filter!,
      convInfo(attrs.inputShape, filter!.shape, attrs),
    ),
  Conv2DBackpropFilter: (backend, { x, dy }, attrs) =>
    conv2DBackpropFilterTiled(backend, x!, dy!, convInfo(x!.shape, attrs.filterShape, attrs)),
  BatchMatMul: (backend, { a, b }, { transposeA, transposeB }) =>
    batchMatMulBlocks(backend, a!, b!, transposeA, transposeB),
  Sum: (backend, { x }, { axis, keepDims }) => runReduce(backend, x!, axis, keepDims, false),
  Mean: (backend, { x }, { axis, keepDims }) => runReduce(backend, x!, axis, keepDims, true),
  ...Object.fromEntries(
    Object.keys(CHANNEL_OPS).map((op): [string, Own] => [
      op,
      (backend, { a, b }) => channelBinary(backend, op as ChannelOp, a!, b!),
    ]),
  ),
};

let registered = false;

export function registerOwnWebGpuKernels(): void {
  if (registered) return;
  registered = true;
  provideOptimizerKernels(webGpuOptimizers(ownWebGpuKernelsOn));
  for (const [kernelName, own] of Object.entries(OWN)) {
    const stock = tf.getKernel(kernelName, 'webgpu');
    if (!stock) continue;
    tf.unregisterKernel(kernelName, 'webgpu');
    tf.registerKernel({
      kernelName,
      backendName: 'webgpu',
      kernelFunc: (args) => {
        const result =
          ours && own(args.backend as WebGPUBackend, args.inputs, args.attrs as unknown as Attrs);
        if (!result) return stock.kernelFunc(args);
        ranOurs.set(kernelName, ownKernelRuns(kernelName) + 1);
        return result;
      },
    });
  }
}

/** What our kernels need of a WebGPU backend once it is active: its scalar constants shared. */
export function prepareWebGpuBackend(backend: WebGPUBackend): void {
  shareScalarConstants(backend, ownWebGpuKernelsOn);
}
