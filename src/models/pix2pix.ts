/**
 * Pix2Pix: Image-to-Image Translation with Conditional Adversarial Networks (Isola et al. 2017),
 * https://arxiv.org/abs/1611.07004, after junyanz/pytorch-CycleGAN-and-pix2pix
 * (pix2pix_model.py, networks.py UnetGenerator and NLayerDiscriminator). Trained on aligned
 * pairs (x, y): a U-Net G with skips maps x to y; a PatchGAN D judges (x, y) pairs, the input
 * concatenated to a real or generated output. Objective (vanilla GAN, BCE with logits):
 *   L_D = 0.5 (BCE(D(x, y), 1) + BCE(D(x, G(x)), 0))
 *   L_G = BCE(D(x, G(x)), 1) + lambda_L1 |G(x) - y|
 * Departures: toy widths; instance norm without affine (the reference's facades setting,
 * gan-variants.md) at any batch size, where the reference's default is batch norm; the U-Net goes
 * down to 1 x 1 (log2(size) levels, as unet_256 at 256 px), which at 16 and 32 px leaves none of
 * the 8 ngf middle blocks that carry the reference's dropout, so there is no dropout (and no
 * noise: G is deterministic here as the paper notes it nearly is); lr schedule over iterations.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../core/random';
import type { Pix2PixConfig } from './pix2pix.config';
import { type Layer4D, relu, sequence, tanh } from './shared/conv';
import { bceWithLogits, l1 } from './shared/losses';
import { type ModelNetworks, twoNetworks } from './shared/networks';
import { adam, minimizeTerms, setLearningRate } from './shared/optim';
import { Params } from './shared/params';
import {
  leaky,
  patchGan,
  plainInstanceNorm,
  translationConv,
  translationConvTranspose,
} from './shared/translation';

export const PIX2PIX_LOSS_NAMES = ['D real', 'D fake', 'G GAN', 'G L1'] as const;

/** Channels at U-Net level i (the down-sampling conv's output): ngf min(2^i, 8). */
const channelsAt = (ngf: number, level: number) => ngf * Math.min(2 ** level, 8);

/**
 * UnetGenerator: levels 0 (outermost) to log2(size) - 1 (innermost, 1 x 1), each a
 * UnetSkipConnectionBlock: down = [LReLU 0.2, Conv k4 s2 p1, IN] (no LReLU or IN outermost, no IN
 * innermost), the next level, up = [ReLU, ConvT k4 s2 p1, IN] (tanh outermost); every level but
 * the outermost returns concat(x, block(x)) on channels, the skip.
 */
export function unetGenerator(params: Params, ngf: number, imageSize: number): Layer4D {
  const levels = Math.log2(imageSize);
  const build = (level: number): Layer4D => {
    const outer = level === 0;
    const inner = level === levels - 1;
    const io = outer ? 3 : channelsAt(ngf, level - 1);
    const ch = channelsAt(ngf, level);
    const name = `level${level}`;
    const down = translationConv(params, `${name}/down`, {
      inChannels: io,
      outChannels: ch,
      kernel: 4,
      stride: 2,
      pad: 1,
    });
    const up = translationConvTranspose(params, `${name}/up`, {
      inChannels: inner ? ch : 2 * ch,
      outChannels: io,
      kernel: 4,
      stride: 2,
      pad: 1,
    });
    if (outer) return sequence(down, build(level + 1), relu, up, tanh);
    const block = inner
      ? sequence(leaky, down, relu, up, plainInstanceNorm(params, `${name}/upNorm`, io))
      : sequence(
          leaky,
          down,
          plainInstanceNorm(params, `${name}/downNorm`, ch),
          build(level + 1),
          relu,
          up,
          plainInstanceNorm(params, `${name}/upNorm`, io),
        );
    return (x) => tf.concat([x, block(x)], 3) as tf.Tensor4D;
  };
  return build(0);
}

/** L_G = L_GAN + lambda_L1 L_L1 (backward_G). */
export function pix2pixLossG(gan: tf.Scalar, L1: tf.Scalar, lambdaL1: number): tf.Scalar {
  return tf.add(gan, tf.mul(lambdaL1, L1));
}

export class Pix2Pix {
  readonly paramsG: Params;
  readonly paramsD: Params;
  readonly G: Layer4D;
  /** D on (input, output) pairs, concatenated on channels: a map of logits. */
  readonly D: (input: tf.Tensor4D, output: tf.Tensor4D) => tf.Tensor4D;
  private readonly optG: tf.AdamOptimizer;
  private readonly optD: tf.AdamOptimizer;

  constructor(
    readonly config: Pix2PixConfig,
    rng: Rng,
  ) {
    this.paramsG = new Params('G', rng.fork('G'));
    this.paramsD = new Params('D', rng.fork('D'));
    this.G = unetGenerator(this.paramsG, config.ngf, config.imageSize);
    const d = patchGan(this.paramsD, 'patch', 6, config.ndf, config.dLayers);
    this.D = (input, output) => d(tf.concat([input, output], 3) as tf.Tensor4D);
    this.optG = adam(config.lr, config.beta1, config.beta2);
    this.optD = adam(config.lr, config.beta1, config.beta2);
  }

  setLearningRate(lr: number): void {
    setLearningRate(this.optG, lr);
    setLearningRate(this.optD, lr);
  }

  /** One D update on real and generated pairs; returns [D real, D fake]. */
  trainD(realA: tf.Tensor4D, realB: tf.Tensor4D): tf.Tensor1D {
    return tf.tidy(() => {
      const fakeB = this.G(realA);
      return minimizeTerms(this.optD, this.paramsD.list(), () => {
        // L_D_real = BCE(D(x, y), 1), L_D_fake = BCE(D(x, G(x)), 0)
        const real = bceWithLogits(this.D(realA, realB), 1);
        const fake = bceWithLogits(this.D(realA, fakeB), 0);
        // L_D = 0.5 (L_D_real + L_D_fake)
        return { total: tf.mul(0.5, tf.add(real, fake)), terms: [real, fake] };
      });
    });
  }

  /** One G update against the current D; returns [G GAN, G L1]. */
  trainG(realA: tf.Tensor4D, realB: tf.Tensor4D): tf.Tensor1D {
    return tf.tidy(() =>
      minimizeTerms(this.optG, this.paramsG.list(), () => {
        const fakeB = this.G(realA);
        // L_GAN = BCE(D(x, G(x)), 1)
        const gan = bceWithLogits(this.D(realA, fakeB), 1);
        // L_L1 = |G(x) - y|
        const lossL1 = l1(fakeB, realB);
        return { total: pix2pixLossG(gan, lossL1, this.config.lambdaL1), terms: [gan, lossL1] };
      }),
    );
  }

  networks(): ModelNetworks {
    return twoNetworks(
      { optimizer: this.optG, params: this.paramsG },
      { optimizer: this.optD, params: this.paramsD },
    );
  }

  dispose(): void {
    this.paramsG.dispose();
    this.paramsD.dispose();
    this.optG.dispose();
    this.optD.dispose();
  }
}
