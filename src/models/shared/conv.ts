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
  /** Draw weights from N(0, initStd) (DCGAN's init) instead of PyTorch's default uniform. */
  readonly initStd?: number;
  /**
   * He-normal weights N(0, sqrt(2 / fan_in)) and zero bias: kaiming_normal_(mode='fan_in',
   * nonlinearity='relu'), as clovaai/stargan-v2's he_init.
   */
  readonly he?: boolean;
}

function convWeights(params: Params, name: string, shape: number[], fanIn: number, spec: ConvSpec) {
  if (spec.he) return params.normal(`${name}/W`, shape, 0, Math.sqrt(2 / fanIn));
  return spec.initStd
    ? params.normal(`${name}/W`, shape, 0, spec.initStd)
    : params.uniform(`${name}/W`, shape, 1 / Math.sqrt(fanIn));
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
  const fanIn = inChannels * kernel * kernel;
  const W = convWeights(params, name, [kernel, kernel, inChannels, outChannels], fanIn, spec);
  const b =
    spec.bias === false
      ? null
      : spec.he
        ? params.constant(`${name}/b`, [outChannels], 0)
        : params.uniform(`${name}/b`, [outChannels], 1 / Math.sqrt(fanIn));
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

/**
 * PyTorch ConvTranspose2d. Two cases match TF exactly: 2 pad = kernel - stride ('same', e.g. k4
 * s2 p1 doubles H and W) and pad 0 ('valid', e.g. DCGAN's k4 s1 p0 from 1 x 1 to 4 x 4).
 */
export function convTranspose2d(params: Params, name: string, spec: ConvSpec): Layer4D {
  const { inChannels, outChannels, kernel } = spec;
  const stride = spec.stride ?? 2;
  const pad = spec.pad ?? 1;
  const padding = pad === 0 ? 'valid' : 'same';
  if (pad !== 0 && 2 * pad !== kernel - stride) {
    throw new Error(
      `convTranspose2d needs pad 0 or 2 pad = kernel - stride (k${kernel} s${stride} p${pad})`,
    );
  }
  // PyTorch computes the transposed conv's fan-in from weight dim 1, i.e. the output channels.
  const fanIn = outChannels * kernel * kernel;
  const W = convWeights(params, name, [kernel, kernel, outChannels, inChannels], fanIn, spec);
  const b =
    spec.bias === false ? null : params.uniform(`${name}/b`, [outChannels], 1 / Math.sqrt(fanIn));
  return (x) => {
    const [n, h, w] = x.shape;
    const size = (s: number) => (padding === 'same' ? s * stride : (s - 1) * stride + kernel);
    const shape: [number, number, number, number] = [n, size(h), size(w), outChannels];
    const y = tf.conv2dTranspose(x, W as tf.Tensor4D, shape, stride, padding);
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

/** Whether batch norm layers use and update batch statistics (training) or running averages. */
export interface NormMode {
  training: boolean;
  /**
   * In training, normalise with the batch's statistics but leave the running averages alone:
   * a second pass over a batch the reference runs once (StackGAN++'s G step reuses its D
   * step's fakes), so the averages move once per iteration as there.
   */
  frozen?: boolean;
}

/**
 * Batch norm as PyTorch's BatchNorm2d (or 1d, over N only, for [N, C] inputs): in training it
 * normalises with the batch's statistics and updates running averages (momentum 0.1, unbiased
 * variance); otherwise it uses the running averages, so a sample does not depend on the others
 * in its batch. `gammaStd` > 0 draws the scale from N(1, gammaStd), DCGAN's initialisation.
 */
export function batchNorm<T extends tf.Tensor>(
  params: Params,
  name: string,
  channels: number,
  mode: NormMode,
  gammaStd = 0,
  epsilon = 1e-5,
): (x: T) => T {
  const gamma =
    gammaStd > 0
      ? params.normal(`${name}/gamma`, [channels], 1, gammaStd)
      : params.constant(`${name}/gamma`, [channels], 1);
  const beta = params.constant(`${name}/beta`, [channels], 0);
  const runningMean = params.state(`${name}/runningMean`, [channels], 0);
  const runningVar = params.state(`${name}/runningVar`, [channels], 1);
  return (x) => {
    const axes = x.rank === 4 ? [0, 1, 2] : [0];
    let mean: tf.Tensor = runningMean;
    let variance: tf.Tensor = runningVar;
    if (mode.training) {
      const moments = tf.moments(x, axes);
      mean = moments.mean;
      variance = moments.variance;
    }
    if (mode.training && !mode.frozen) {
      const count = x.size / channels;
      tf.tidy(() => {
        const unbiased = tf.mul(variance, count / Math.max(1, count - 1));
        runningMean.assign(tf.add(tf.mul(0.9, runningMean), tf.mul(0.1, mean)));
        runningVar.assign(tf.add(tf.mul(0.9, runningVar), tf.mul(0.1, unbiased)));
      });
    }
    const normalised = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, epsilon)));
    return tf.add(tf.mul(normalised, gamma), beta) as T;
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

/**
 * Each image `times` times in a row: [N, H, W, C] -> [N * times, H, W, C]. Tiled at rank 3:
 * TF.js's WebGPU Tile reads a tensor of rank 5 or more back to the CPU synchronously, which
 * stalls the queue, and on SwiftShader has lost the device.
 */
export function repeatEach(x: tf.Tensor4D, times: number): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  const copies = tf.tile(tf.reshape(x, [n, 1, h * w * c]), [1, times, 1]);
  return tf.reshape(copies, [n * times, h, w, c]);
}

/**
 * 2 x 2 average pooling (F.avg_pool2d(x, 2)) from reshapes and means, which have second-order
 * gradients: TF.js's avgPool has none, and R1 differentiates D's down-sampling twice.
 */
export function avgPool2(x: tf.Tensor4D): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  const rows = tf.mean(tf.reshape(x, [n, h / 2, 2, w, c]), 2);
  return tf.mean(tf.reshape(rows, [n, h / 2, w / 2, 2, c]), 3) as tf.Tensor4D;
}

/**
 * Nearest-neighbour 2x up-sampling, F.interpolate(x, scale_factor=2, mode='nearest'), from
 * reshapes and tiles: TF.js 4.22's CPU ResizeNearestNeighborGrad is wrong for batches of more
 * than one image (it mixes the images' gradients), and resizeNearestNeighbor has no
 * second-order gradient; tile has both right.
 */
export function upsampleNearest2(x: tf.Tensor4D): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  // Columns: each pixel twice along W, then rows: each row twice along H.
  const wide = tf.reshape(tf.tile(tf.reshape(x, [n * h, w, 1, c]), [1, 1, 2, 1]), [
    n,
    h,
    1,
    2 * w * c,
  ]);
  return tf.reshape(tf.tile(wide, [1, 1, 2, 1]), [n, 2 * h, 2 * w, c]) as tf.Tensor4D;
}
