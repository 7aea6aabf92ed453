import * as tf from '@tensorflow/tfjs-core';

/** The attributes TF.js's convolution kernels receive (those we read). */
export interface ConvAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dilations?: [number, number] | number;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
  inputShape: [number, number, number, number];
}

/** Sizes, strides and padding of a convolution from its input and filter shapes. */
export function convInfo(
  inShape: readonly number[],
  filterShape: readonly number[],
  attrs: ConvAttrs,
): tf.backend_util.Conv2DInfo {
  return tf.backend_util.computeConv2DInfo(
    inShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides,
    attrs.dilations ?? 1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    tf.backend_util.convertConv2DDataFormat(attrs.dataFormat),
  );
}
