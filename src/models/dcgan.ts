/**
 * Unsupervised Representation Learning with Deep Convolutional GANs (Radford et al., 2016),
 * https://arxiv.org/abs/1511.06434, after pytorch/examples/dcgan.
 *
 * G: transposed convolutions from z (k4 s1 p0 to 4 x 4, then k4 s2 p1 doubling the size and
 * halving the channels) with batch norm and ReLU, tanh out. D mirrors it with strided
 * convolutions, batch norm (not on the first layer) and leaky ReLU 0.2, down to one logit.
 * Loss: L_D = BCE(D(x), 1) + BCE(D(G(z)), 0), L_G = BCE(D(G(z)), 1) (non-saturating).
 * Init N(0, 0.02), batch norm scale N(1, 0.02); Adam 2e-4 (0.5, 0.999).
 * Departures: toy widths; samples are drawn with batch norm's running averages (G.eval()), so
 * a sample does not depend on the others drawn with it.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../core/random';
import type { ImageGanConfig } from './imagegan.config';
import {
  batchNorm,
  conv2d,
  convTranspose2d,
  type Layer4D,
  type NormMode,
  relu,
  sequence,
  tanh,
} from './shared/conv';
import { NonSaturatingGan } from './shared/imagegan';
import { leakyRelu } from './shared/layers';
import { adam } from './shared/optim';
import type { Params } from './shared/params';

const INIT_STD = 0.02;
export const lrelu: Layer4D = (x) => leakyRelu(x, 0.2) as tf.Tensor4D;

/** Up-samplings from 4 x 4 to the image size. */
export function upsamplings(imageSize: number): number {
  return Math.log2(imageSize) - 2;
}

/** The DCGAN generator: z -> 4 x 4 x (ngf 2^(n-1)) -> ... -> S x S x 3. */
export function dcganGenerator(params: Params, config: ImageGanConfig, mode: NormMode) {
  const n = upsamplings(config.imageSize);
  let channels = config.gBase * 2 ** (n - 1);
  const layers: Layer4D[] = [
    convTranspose2d(params, 'in', {
      inChannels: config.zDim,
      outChannels: channels,
      kernel: 4,
      stride: 1,
      pad: 0,
      bias: false,
      initStd: INIT_STD,
    }),
    batchNorm(params, 'in/bn', channels, mode, INIT_STD),
    relu,
  ];
  for (let i = 0; i < n - 1; i++) {
    const spec = { inChannels: channels, outChannels: channels / 2, kernel: 4, stride: 2, pad: 1 };
    layers.push(
      convTranspose2d(params, `up${i}`, { ...spec, bias: false, initStd: INIT_STD }),
      batchNorm(params, `up${i}/bn`, channels / 2, mode, INIT_STD),
      relu,
    );
    channels /= 2;
  }
  layers.push(
    convTranspose2d(params, 'out', {
      inChannels: channels,
      outChannels: 3,
      kernel: 4,
      stride: 2,
      pad: 1,
      bias: false,
      initStd: INIT_STD,
    }),
    tanh,
  );
  const body = sequence(...layers);
  return (z: tf.Tensor2D) => body(tf.reshape(z, [z.shape[0], 1, 1, config.zDim]));
}

/**
 * The DCGAN discriminator: S x S x 3 -> ... -> 4 x 4 -> one raw score per image. With
 * `normalise` false (WGAN-GP's critic) it has no batch norm, which would break the penalty's
 * per-sample gradients.
 */
export function dcganDiscriminator(
  params: Params,
  config: ImageGanConfig,
  mode: NormMode,
  normalise: boolean,
) {
  const n = upsamplings(config.imageSize);
  let channels = config.dBase;
  const layers: Layer4D[] = [
    conv2d(params, 'in', {
      inChannels: 3,
      outChannels: channels,
      kernel: 4,
      stride: 2,
      pad: 1,
      bias: false,
      initStd: INIT_STD,
    }),
    lrelu,
  ];
  for (let i = 0; i < n - 1; i++) {
    const spec = { inChannels: channels, outChannels: channels * 2, kernel: 4, stride: 2, pad: 1 };
    layers.push(conv2d(params, `down${i}`, { ...spec, bias: false, initStd: INIT_STD }));
    if (normalise) layers.push(batchNorm(params, `down${i}/bn`, channels * 2, mode, INIT_STD));
    layers.push(lrelu);
    channels *= 2;
  }
  layers.push(
    conv2d(params, 'out', {
      inChannels: channels,
      outChannels: 1,
      kernel: 4,
      pad: 0,
      bias: false,
      initStd: INIT_STD,
    }),
  );
  const body = sequence(...layers);
  return (x: tf.Tensor4D) => tf.reshape(body(x), [x.shape[0]]) as tf.Tensor1D;
}

export class Dcgan extends NonSaturatingGan {
  protected readonly optG: tf.Optimizer;
  protected readonly optD: tf.Optimizer;
  private readonly generator: (z: tf.Tensor2D) => tf.Tensor4D;
  private readonly discriminator: (x: tf.Tensor4D) => tf.Tensor1D;

  constructor(config: ImageGanConfig, rng: Rng) {
    super(rng);
    this.generator = dcganGenerator(this.paramsG, config, this.normG);
    this.discriminator = dcganDiscriminator(this.paramsD, config, this.normD, true);
    this.optG = adam(config.lrG, config.beta1, config.beta2);
    this.optD = adam(config.lrD, config.beta1, config.beta2);
  }

  G(z: tf.Tensor2D): tf.Tensor4D {
    return this.generator(z);
  }

  protected D(x: tf.Tensor4D): tf.Tensor1D {
    return this.discriminator(x);
  }
}
