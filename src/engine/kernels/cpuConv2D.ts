/**
 * A faster CPU kernel for the forward Conv2D (NHWC, no dilation). TF.js 4.22's loop reads its
 * sizes from an object and multiplies by a channel stride in the innermost loop; here each
 * output pixel's channels accumulate in a local row, the filter row for one input channel
 * read contiguously, zero inputs (half of them after a ReLU) skipped, and the row written
 * once. The row is float32 and summed in the stock kernel's order (filter row, column, input
 * channel), so the outputs are the stock kernel's bit for bit: the parity fixtures' bounds,
 * set on rounding-level gradients, hold as they are. Other layouts go to the stock kernel.
 */
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import type * as tf from '@tensorflow/tfjs-core';
import { type ConvAttrs, convInfo } from './convInfo';

export function fastConv2D(stock: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { x, filter } = args.inputs as { x: tf.TensorInfo; filter: tf.TensorInfo };
    const attrs = args.attrs as unknown as ConvAttrs;
    const info = convInfo(x.shape, filter.shape, attrs);
    if (
      x.dtype !== 'float32' ||
      info.dataFormat !== 'channelsLast' ||
      info.dilationHeight !== 1 ||
      info.dilationWidth !== 1
    ) {
      return stock(args);
    }
    const backend = args.backend as MathBackendCPU;
    const xv = backend.data.get(x.dataId).values as Float32Array;
    const wv = backend.data.get(filter.dataId).values as Float32Array;
    const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels } = info;
    const { filterHeight, filterWidth, strideHeight, strideWidth } = info;
    const top = info.padInfo.top;
    const left = info.padInfo.left;
    const out = new Float32Array(batchSize * outHeight * outWidth * outChannels);
    const acc = new Float32Array(outChannels);
    for (let b = 0; b < batchSize; b++) {
      for (let yR = 0; yR < outHeight; yR++) {
        for (let yC = 0; yC < outWidth; yC++) {
          acc.fill(0);
          for (let wR = 0; wR < filterHeight; wR++) {
            const xR = yR * strideHeight + wR - top;
            if (xR < 0 || xR >= inHeight) continue;
            for (let wC = 0; wC < filterWidth; wC++) {
              const xC = yC * strideWidth + wC - left;
              if (xC < 0 || xC >= inWidth) continue;
              const xBase = ((b * inHeight + xR) * inWidth + xC) * inChannels;
              let wBase = (wR * filterWidth + wC) * inChannels * outChannels;
              for (let d1 = 0; d1 < inChannels; d1++, wBase += outChannels) {
                const value = xv[xBase + d1]!;
                if (value === 0) continue;
                for (let d2 = 0; d2 < outChannels; d2++)
                  acc[d2] = acc[d2]! + value * wv[wBase + d2]!;
              }
            }
          }
          out.set(acc, ((b * outHeight + yR) * outWidth + yC) * outChannels);
        }
      }
    }
    return backend.makeTensorInfo(info.outShape, 'float32', out);
  };
}
