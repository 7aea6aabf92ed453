import * as tf from '@tensorflow/tfjs-core';
import { BROADCAST_CPU_KERNELS } from './cpuBroadcast';
import { fastConv2D } from './cpuConv2D';
import { conv2DBackpropFilter } from './cpuConv2DBackpropFilter';

/** Each of our CPU kernels, made from the stock kernel it replaces (and falls back to). */
const CPU_KERNELS: Record<string, (stock: tf.KernelFunc) => tf.KernelFunc> = {
  ...BROADCAST_CPU_KERNELS,
  Conv2D: fastConv2D,
  Conv2DBackpropFilter: () => conv2DBackpropFilter as unknown as tf.KernelFunc,
};

let registered = false;

/** Swaps our kernels in on the CPU backend (idempotent). */
export function registerFastCpuKernels(): void {
  if (registered) return;
  registered = true;
  for (const [name, make] of Object.entries(CPU_KERNELS)) {
    const stock = tf.getKernel(name, 'cpu');
    if (!stock) continue;
    tf.unregisterKernel(name, 'cpu');
    tf.registerKernel({ kernelName: name, backendName: 'cpu', kernelFunc: make(stock.kernelFunc) });
  }
}
