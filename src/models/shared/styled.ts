import * as tf from '@tensorflow/tfjs-core';
import type { Params } from './params';

/**
 * Blocks of Karras et al.'s progressive GAN and StyleGAN (NVlabs/stylegan, training/networks_
 * stylegan.py): equalised learning rate, pixel norm, their instance norm, style modulation,
 * the [1, 2, 1] blur and the minibatch standard deviation. Tensors are NHWC. Every op here has
 * second-order gradients (no leakyRelu, depthwise conv or stridedSlice), so R1 can go through D.
 */

/**
 * Equalised learning rate, as the reference's get_weight(use_wscale=True): the stored weight is
 * drawn from N(0, 1 / lrMul) and multiplied AT RUN TIME, in every forward pass, by
 * runtimeScale = gain / sqrt(fanIn) * lrMul. The optimiser therefore sees unit-scale weights
 * whatever the fan-in, and Adam's step (about lr in stored units) moves the effective weight by
 * lr * runtimeScale: a layer with lrMul 0.01 learns 100 times slower (the mapping network).
 */
export function runtimeScale(fanIn: number, gain: number, lrMul: number): number {
  return (gain / Math.sqrt(fanIn)) * lrMul;
}

export interface EqualizedSpec {
  /** sqrt(2) for layers followed by leaky ReLU (the reference's default), 1 for linear outputs. */
  readonly gain?: number;
  /** The learning-rate multiplier: 0.01 in the mapping network, 1 elsewhere. */
  readonly lrMul?: number;
  /** The bias's initial effective value (the style dense's is 0, as apply_bias's). */
  readonly bias?: boolean;
}

/** A dense layer with equalised learning rate: x (W * scale) + b * lrMul. */
export function equalizedDense(
  params: Params,
  name: string,
  inDim: number,
  outDim: number,
  spec: EqualizedSpec = {},
): (x: tf.Tensor2D) => tf.Tensor2D {
  const gain = spec.gain ?? Math.SQRT2;
  const lrMul = spec.lrMul ?? 1;
  const W = params.normal(`${name}/W`, [inDim, outDim], 0, 1 / lrMul);
  const b = spec.bias === false ? null : params.constant(`${name}/b`, [outDim], 0);
  const scale = runtimeScale(inDim, gain, lrMul);
  return (x) => {
    const y = tf.matMul(x, tf.mul(W, scale) as tf.Tensor2D);
    return (b ? tf.add(y, tf.mul(b, lrMul)) : y) as tf.Tensor2D;
  };
}

/** A stride-1 'same' convolution with equalised learning rate; bias applied by the caller. */
export function equalizedConv(
  params: Params,
  name: string,
  inChannels: number,
  outChannels: number,
  kernel: number,
  spec: EqualizedSpec = {},
): (x: tf.Tensor4D) => tf.Tensor4D {
  const gain = spec.gain ?? Math.SQRT2;
  const lrMul = spec.lrMul ?? 1;
  const W = params.normal(`${name}/W`, [kernel, kernel, inChannels, outChannels], 0, 1 / lrMul);
  const b = spec.bias === false ? null : params.constant(`${name}/b`, [outChannels], 0);
  const scale = runtimeScale(inChannels * kernel * kernel, gain, lrMul);
  return (x) => {
    const y = tf.conv2d(x, tf.mul(W, scale) as tf.Tensor4D, 1, 'same');
    return (b ? tf.add(y, tf.mul(b, lrMul)) : y) as tf.Tensor4D;
  };
}

/** Pixel norm over the last axis: x / sqrt(mean(x^2) + eps) (the mapping network's input). */
export function pixelNorm<T extends tf.Tensor>(x: T, epsilon = 1e-8): T {
  return tf.mul(x, tf.rsqrt(tf.add(tf.mean(tf.square(x), -1, true), epsilon))) as T;
}

/**
 * The reference's instance_norm: x - mean over H, W, then times rsqrt(mean(x^2) + 1e-8); no
 * learned scale or shift (the style supplies them).
 */
export function styleInstanceNorm(x: tf.Tensor4D, epsilon = 1e-8): tf.Tensor4D {
  const centred = tf.sub(x, tf.mean(x, [1, 2], true));
  return tf.mul(
    centred,
    tf.rsqrt(tf.add(tf.mean(tf.square(centred), [1, 2], true), epsilon)),
  ) as tf.Tensor4D;
}

/** Style modulation (AdaIN's affine part): x * (1 + y_s) + y_b with style = [y_s, y_b], [N, 2C]. */
export function styleModulate(x: tf.Tensor4D, style: tf.Tensor2D): tf.Tensor4D {
  const c = x.shape[3];
  const ys = tf.reshape(tf.slice(style, [0, 0], [-1, c]), [-1, 1, 1, c]);
  const yb = tf.reshape(tf.slice(style, [0, c], [-1, c]), [-1, 1, 1, c]);
  return tf.add(tf.mul(x, tf.add(1, ys)), yb) as tf.Tensor4D;
}

/**
 * The reference's blur2d with the normalised filter [1, 2, 1] x [1, 2, 1] / 16 and zero 'same'
 * padding, per channel, written as shifted slices of a padded tensor: depthwise conv has no
 * second-order gradient on TF.js, slice and pad do.
 */
export function blur121(x: tf.Tensor4D): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  const rows = tf.pad(x, [
    [0, 0],
    [1, 1],
    [0, 0],
    [0, 0],
  ]);
  const along = tf.addN([
    tf.slice(rows, [0, 0, 0, 0], [n, h, w, c]),
    tf.mul(2, tf.slice(rows, [0, 1, 0, 0], [n, h, w, c])),
    tf.slice(rows, [0, 2, 0, 0], [n, h, w, c]),
  ]);
  const cols = tf.pad(along, [
    [0, 0],
    [0, 0],
    [1, 1],
    [0, 0],
  ]);
  const both = tf.addN([
    tf.slice(cols, [0, 0, 0, 0], [n, h, w, c]),
    tf.mul(2, tf.slice(cols, [0, 0, 1, 0], [n, h, w, c])),
    tf.slice(cols, [0, 0, 2, 0], [n, h, w, c]),
  ]);
  return tf.div(both, 16) as tf.Tensor4D;
}

/**
 * Minibatch standard deviation (Karras et al. 2018), the reference's minibatch_stddev_layer
 * with one feature map: within groups of `groupSize` samples (sample i is in group member
 * i mod M, M = N / groupSize), the standard deviation of each feature over the group, averaged
 * over features and pixels, appended as a constant channel.
 */
export function minibatchStddev(x: tf.Tensor4D, groupSize = 4): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  const g = Math.min(groupSize, n);
  if (n % g !== 0) throw new Error(`Minibatch stddev needs a batch divisible by ${g}, not ${n}`);
  const m = n / g;
  const y = tf.reshape(x, [g, m, h, w, c]);
  const centred = tf.sub(y, tf.mean(y, 0, true));
  const std = tf.sqrt(tf.add(tf.mean(tf.square(centred), 0), 1e-8)); // [M, H, W, C]
  const perMember = tf.mean(std, [1, 2, 3]); // [M]
  const perSample = tf.reshape(tf.tile(tf.reshape(perMember, [1, m]), [g, 1]), [n, 1, 1, 1]);
  return tf.concat([x, tf.tile(perSample, [1, h, w, 1])], 3) as tf.Tensor4D;
}
