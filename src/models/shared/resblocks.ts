import * as tf from '@tensorflow/tfjs-core';
import { avgPool2, conv2d, instanceNorm, type Layer4D, upsampleNearest2 } from './conv';
import { dense, leakyRelu } from './layers';
import type { Params } from './params';

/**
 * The residual blocks of clovaai/stargan-v2 (core/model.py), NHWC, He-initialised as its
 * he_init. Names follow the reference's modules ("encode.0" + "/conv1/W"), so a PyTorch
 * state_dict maps onto them key for key. Leaky ReLU (0.2) and average pooling are written
 * with second-order gradients, so a discriminator built from these blocks takes R1.
 */

const lrelu: Layer4D = (x) => leakyRelu(x, 0.2) as tf.Tensor4D;
const conv3 = (params: Params, name: string, inChannels: number, outChannels: number) =>
  conv2d(params, name, { inChannels, outChannels, kernel: 3, pad: 1, he: true });
const conv1x1 = (params: Params, name: string, inChannels: number, outChannels: number) =>
  conv2d(params, name, { inChannels, outChannels, kernel: 1, bias: false, he: true });

export interface ResBlkSpec {
  readonly dimIn: number;
  readonly dimOut: number;
  /** Affine instance norm before each activation (G's encoder; not in D and E). */
  readonly normalize: boolean;
  /** 2 x 2 average pooling after conv1 and on the shortcut. */
  readonly downsample: boolean;
}

/**
 * ResBlk, pre-activation: residual = conv2(act(norm2(pool(conv1(act(norm1(x))))))), shortcut =
 * pool(conv1x1(x)) (1x1 only when channels change); out = (shortcut + residual) / sqrt(2).
 */
export function resBlk(params: Params, name: string, spec: ResBlkSpec): Layer4D {
  const { dimIn, dimOut, normalize, downsample } = spec;
  const conv1 = conv3(params, `${name}.conv1`, dimIn, dimIn);
  const conv2 = conv3(params, `${name}.conv2`, dimIn, dimOut);
  const norm1 = normalize ? instanceNorm(params, `${name}.norm1`, dimIn, true) : null;
  const norm2 = normalize ? instanceNorm(params, `${name}.norm2`, dimIn, true) : null;
  const learned = dimIn !== dimOut ? conv1x1(params, `${name}.conv1x1`, dimIn, dimOut) : null;
  return (x) => {
    let sc = learned ? learned(x) : x;
    if (downsample) sc = avgPool2(sc);
    let h = lrelu(norm1 ? norm1(x) : x);
    h = conv1(h);
    if (downsample) h = avgPool2(h);
    h = conv2(lrelu(norm2 ? norm2(h) : h));
    return tf.mul(tf.add(sc, h), Math.SQRT1_2) as tf.Tensor4D;
  };
}

export type StyledLayer = (x: tf.Tensor4D, s: tf.Tensor2D) => tf.Tensor4D;

/**
 * AdaIN (Huang and Belongie 2017) as the reference writes it: (1 + gamma) * IN(x) + beta, with
 * [gamma, beta] = fc(s), an nn.Linear from the style code to 2C.
 */
export function adain(
  params: Params,
  name: string,
  styleDim: number,
  channels: number,
): StyledLayer {
  const norm = instanceNorm(params, `${name}.norm`, channels, false);
  const fc = dense(params, `${name}.fc`, styleDim, 2 * channels, true);
  return (x, s) => {
    const h = fc.apply(s);
    const gamma = tf.reshape(tf.slice(h, [0, 0], [-1, channels]), [-1, 1, 1, channels]);
    const beta = tf.reshape(tf.slice(h, [0, channels], [-1, channels]), [-1, 1, 1, channels]);
    return tf.add(tf.mul(tf.add(1, gamma), norm(x)), beta) as tf.Tensor4D;
  };
}

/**
 * AdainResBlk with w_hpf = 0: residual = conv2(act(AdaIN2(conv1(up(act(AdaIN1(x, s)))), s))),
 * shortcut = conv1x1(up(x)); out = (residual + shortcut) / sqrt(2).
 */
export function adainResBlk(
  params: Params,
  name: string,
  spec: { dimIn: number; dimOut: number; styleDim: number; upsample: boolean },
): StyledLayer {
  const { dimIn, dimOut, styleDim, upsample } = spec;
  const conv1 = conv3(params, `${name}.conv1`, dimIn, dimOut);
  const conv2 = conv3(params, `${name}.conv2`, dimOut, dimOut);
  const norm1 = adain(params, `${name}.norm1`, styleDim, dimIn);
  const norm2 = adain(params, `${name}.norm2`, styleDim, dimOut);
  const learned = dimIn !== dimOut ? conv1x1(params, `${name}.conv1x1`, dimIn, dimOut) : null;
  return (x, s) => {
    let h = lrelu(norm1(x, s));
    if (upsample) h = upsampleNearest2(h);
    h = conv2(lrelu(norm2(conv1(h), s)));
    let sc = upsample ? upsampleNearest2(x) : x;
    if (learned) sc = learned(sc);
    return tf.mul(tf.add(h, sc), Math.SQRT1_2) as tf.Tensor4D;
  };
}
