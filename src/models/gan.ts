/**
 * Generative Adversarial Nets (Goodfellow et al., 2014), https://arxiv.org/abs/1406.2661, on
 * images, after PyTorch-GAN's gan.py: MLPs on flattened pixels.
 *
 * G: z -> 2g -> 4g -> 8g -> 16g (leaky ReLU 0.2, batch norm with epsilon 0.8 after the first)
 * -> S * S * 3, tanh. D: S * S * 3 -> 8d -> 4d -> 1 (leaky ReLU 0.2).
 * Loss: L_D = (BCE(D(x), 1) + BCE(D(G(z)), 0)) / 2, L_G = BCE(D(G(z)), 1). Adam 2e-4 (0.5, 0.999).
 * Departures: toy widths (g = d = 16 give 32-256 units; the reference has 128-1024 and 512-256);
 * D returns a logit and the loss applies the sigmoid, which is the same function, computed
 * stably.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../core/random';
import type { ImageGanConfig } from './imagegan.config';
import { batchNorm } from './shared/conv';
import { NonSaturatingGan } from './shared/imagegan';
import { dense, leakyRelu } from './shared/layers';
import { adam } from './shared/optim';

export class ImageMlpGan extends NonSaturatingGan {
  // gan.py: d_loss = (real_loss + fake_loss) / 2 (the terms are charted unhalved).
  protected override readonly dLossScale = 0.5;
  protected readonly optG: tf.Optimizer;
  protected readonly optD: tf.Optimizer;
  private readonly generator: (z: tf.Tensor2D) => tf.Tensor2D;
  private readonly discriminator: (x: tf.Tensor4D) => tf.Tensor2D;

  constructor(
    private readonly config: ImageGanConfig,
    rng: Rng,
  ) {
    super(rng);
    const pixels = config.imageSize * config.imageSize * 3;
    const g = config.gBase;
    const widths = [config.zDim, 2 * g, 4 * g, 8 * g, 16 * g];
    const gLayers = widths.slice(1).map((width, i) => {
      const fc = dense(this.paramsG, `fc${i}`, widths[i]!, width);
      const bn =
        i === 0 ? null : batchNorm<tf.Tensor2D>(this.paramsG, `bn${i}`, width, this.normG, 0, 0.8);
      return (h: tf.Tensor2D) => {
        const y = fc.apply(h);
        return leakyRelu(bn ? bn(y) : y, 0.2) as tf.Tensor2D;
      };
    });
    const gOut = dense(this.paramsG, 'out', 16 * g, pixels);
    this.generator = (z) => tf.tanh(gOut.apply(gLayers.reduce((h, layer) => layer(h), z)));

    const d = config.dBase;
    const d0 = dense(this.paramsD, 'fc0', pixels, 8 * d);
    const d1 = dense(this.paramsD, 'fc1', 8 * d, 4 * d);
    const dOut = dense(this.paramsD, 'out', 4 * d, 1);
    this.discriminator = (x) => {
      const flat = tf.reshape(x, [x.shape[0], pixels]) as tf.Tensor2D;
      const h = leakyRelu(d1.apply(leakyRelu(d0.apply(flat), 0.2) as tf.Tensor2D), 0.2);
      return dOut.apply(h as tf.Tensor2D);
    };
    this.optG = adam(config.lrG, config.beta1, config.beta2);
    this.optD = adam(config.lrD, config.beta1, config.beta2);
  }

  G(z: tf.Tensor2D): tf.Tensor4D {
    const s = this.config.imageSize;
    return tf.reshape(this.generator(z), [z.shape[0], s, s, 3]);
  }

  protected D(x: tf.Tensor4D): tf.Tensor2D {
    return this.discriminator(x);
  }
}
