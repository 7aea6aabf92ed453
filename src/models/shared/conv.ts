import * as tf from '@tensorflow/tfjs-core';
import type { Params } from './params';

/**
 * Convolution blocks with PyTorch's padding semantics and nn.Conv2d's default initialisation
 * (U(-1/sqrt(fan_in), 1/sqrt(fan_in))), so shapes and scales match the reference code.
 * Tensors are NHWC; filters are [kh, kw, in, out] (conv) and [kh, kw, out, in] (transposed).
 */

export type Layer4D = (x: tf.Tensor4D) => tf.Tensor4D;

export interface ConvSpec {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernel: number;
  readonly stride?: number;
  /** PyTorch's zero padding on every side. */
  readonly pad?: number;
  readonly bias?: boolean;
}

/**
 * TF's 'same' padding is PyTorch's symmetric `pad` exactly when 2 pad = kernel - stride and the
 * input divides by the stride (k7 s1 p3, k3 s1 p1, k4 s2 p1); otherwise pad explicitly.
 */
export function paddingFor(
  kernel: number,
  stride: number,
  pad: number,
): 'same' | 'valid' | 'explicit' {
  if (pad === 0) return 'valid';
  return 2 * pad === kernel - stride ? 'same' : 'explicit';
}

export function conv2d(params: Params, name: string, spec: ConvSpec): Layer4D {
  const { inChannels, outChannels, kernel } = spec;
  const stride = spec.stride ?? 1;
  const pad = spec.pad ?? 0;
  const bound = 1 / Math.sqrt(inChannels * kernel * kernel);
  const W = params.uniform(`${name}/W`, [kernel, kernel, inChannels, outChannels], bound);
  const b = spec.bias === false ? null : params.uniform(`${name}/b`, [outChannels], bound);
  const padding = paddingFor(kernel, stride, pad);
  return (x) => {
    const input =
      padding === 'explicit'
        ? tf.pad(x, [
            [0, 0],
            [pad, pad],
            [pad, pad],
            [0, 0],
          ])
        : x;
    const y = tf.conv2d(input, W as tf.Tensor4D, stride, padding === 'same' ? 'same' : 'valid');
    return b ? tf.add(y, b) : y;
  };
}

/** PyTorch ConvTranspose2d(k4, s2, p1): doubles H and W, which TF's 'same' reproduces. */
export function convTranspose2d(params: Params, name: string, spec: ConvSpec): Layer4D {
  const { inChannels, outChannels, kernel } = spec;
  const stride = spec.stride ?? 2;
  const pad = spec.pad ?? 1;
  if (2 * pad !== kernel - stride) {
    throw new Error(
      `convTranspose2d supports 2 pad = kernel - stride only (k${kernel} s${stride} p${pad})`,
    );
  }
  // PyTorch computes the transposed conv's fan-in from weight dim 1, i.e. the output channels.
  const bound = 1 / Math.sqrt(outChannels * kernel * kernel);
  const W = params.uniform(`${name}/W`, [kernel, kernel, outChannels, inChannels], bound);
  const b = spec.bias === false ? null : params.uniform(`${name}/b`, [outChannels], bound);
  return (x) => {
    const [n, h, w] = x.shape;
    const shape: [number, number, number, number] = [n, h * stride, w * stride, outChannels];
    const y = tf.conv2dTranspose(x, W as tf.Tensor4D, shape, stride, 'same');
    return b ? tf.add(y, b) : y;
  };
}

/**
 * Instance norm: normalise each sample's channels over H and W (TF.js has no kernel for it).
 * With `affine`, a learned per-channel scale (init 1) and shift (init 0), as nn.InstanceNorm2d.
 */
export function instanceNorm(
  params: Params,
  name: string,
  channels: number,
  affine: boolean,
): Layer4D {
  const gamma = affine ? params.constant(`${name}/gamma`, [channels], 1) : null;
  const beta = affine ? params.constant(`${name}/beta`, [channels], 0) : null;
  return (x) => {
    const { mean, variance } = tf.moments(x, [1, 2], true);
    const normalised = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, 1e-5)));
    return (gamma && beta ? tf.add(tf.mul(normalised, gamma), beta) : normalised) as tf.Tensor4D;
  };
}

/** Sequential composition of 4D layers. */
export function sequence(...layers: Layer4D[]): Layer4D {
  return (x) => layers.reduce((h, layer) => layer(h), x);
}

export const relu: Layer4D = (x) => tf.relu(x);
export const tanh: Layer4D = (x) => tf.tanh(x);

/** Concatenates a label vector per sample, tiled over H x W, to the image's channels. */
export function tileLabels(x: tf.Tensor4D, c: tf.Tensor2D): tf.Tensor4D {
  const [n, h, w] = x.shape;
  const tiled = tf.tile(tf.reshape(c, [n, 1, 1, c.shape[1]]), [1, h, w, 1]);
  return tf.concat([x, tiled], 3) as tf.Tensor4D;
}
