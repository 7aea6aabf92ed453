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
import { channelReduce } from './channelReduce';
import { shareScalarConstants } from './constants';
import { conv2DBackpropInputTiled, conv2DTiled } from './conv2d';
import { conv2DBackpropFilterTiled } from './conv2dBackpropFilter';
import { webGpuOptimizers } from './optimizers';

let ours = true;

/** Whether our kernels run (true) or TF.js's stock ones (false); read at each dispatch. */
export function setOwnWebGpuKernels(on: boolean): void {
  ours = on;
}

export function ownWebGpuKernelsOn(): boolean {
  return ours;
}

interface ReduceAttrs {
  axis: number | number[];
  keepDims: boolean;
}

type Own = (
  backend: WebGPUBackend,
  inputs: tf.NamedTensorInfoMap,
  attrs: ConvAttrs & ReduceAttrs,
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
  Sum: (backend, { x }, { axis, keepDims }) => channelReduce(backend, x!, axis, keepDims, false),
  Mean: (backend, { x }, { axis, keepDims }) => channelReduce(backend, x!, axis, keepDims, true),
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
      kernelFunc: (args) =>
        (ours &&
          own(
            args.backend as WebGPUBackend,
            args.inputs,
            args.attrs as unknown as ConvAttrs & ReduceAttrs,
          )) ||
        stock.kernelFunc(args),
    });
  }
}

/** What our kernels need of a WebGPU backend once it is active: its scalar constants shared. */
export function prepareWebGpuBackend(backend: WebGPUBackend): void {
  shareScalarConstants(backend, ownWebGpuKernelsOn);
}
