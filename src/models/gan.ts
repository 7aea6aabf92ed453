/**
 * Generative Adversarial Nets (Goodfellow et al., 2014), https://arxiv.org/abs/1406.2661, on
 * images, after PyTorch-GAN's gan.py: MLPs on flattened pixels.
 *
 * G: z -> 2g -> 4g -> 8g -> 16g (leaky ReLU 0.2, batch norm with epsilon 0.8 after the first)
 * -> S * S * 3, tanh. D: S * S * 3 -> 8d -> 4d -> 1 (leaky ReLU 0.2).
 * Loss: L_D = BCE(D(x), 1) + BCE(D(G(z)), 0), L_G = BCE(D(G(z)), 1). Adam 2e-4 (0.5, 0.999).
 * Departures: toy widths (g = d = 16 give 32-256 units; the reference has 128-1024 and 512-256);
 * D returns a logit and the loss applies the sigmoid, which is the same function, computed
 * stably.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../engine/random';
import type { ImageGanConfig } from './imagegan.config';
import { batchNorm, type NormMode } from './shared/conv';
import type { ImageGan } from './shared/imagegan';
import { dense, leakyRelu } from './shared/layers';
import { bceWithLogits } from './shared/losses';
import { minimizeTerms } from './shared/optim';
import { Params } from './shared/params';

export class ImageMlpGan implements ImageGan {
  readonly lossNames = ['D real', 'D fake', 'G'] as const;
  readonly paramsG: Params;
  readonly paramsD: Params;
  readonly normG: NormMode = { training: true };
  private readonly generator: (z: tf.Tensor2D) => tf.Tensor2D;
  private readonly D: (x: tf.Tensor4D) => tf.Tensor2D;
  private readonly optG: tf.Optimizer;
  private readonly optD: tf.Optimizer;

  constructor(
    private readonly config: ImageGanConfig,
    rng: Rng,
  ) {
    this.paramsG = new Params('G', rng.fork('G'));
    this.paramsD = new Params('D', rng.fork('D'));
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
    this.D = (x) => {
      const flat = tf.reshape(x, [x.shape[0], pixels]) as tf.Tensor2D;
      const h = leakyRelu(d1.apply(leakyRelu(d0.apply(flat), 0.2) as tf.Tensor2D), 0.2);
      return dOut.apply(h as tf.Tensor2D);
    };
    this.optG = tf.train.adam(config.lrG, config.beta1, config.beta2);
    this.optD = tf.train.adam(config.lrD, config.beta1, config.beta2);
  }

  G(z: tf.Tensor2D): tf.Tensor4D {
    const s = this.config.imageSize;
    return tf.reshape(this.generator(z), [z.shape[0], s, s, 3]);
  }

  trainD(real: tf.Tensor4D, z: tf.Tensor2D): tf.Tensor1D {
    return tf.tidy(() => {
      const fake = this.G(z);
      return minimizeTerms(this.optD, this.paramsD.list(), () => {
        // L_D = -log D(x) - log(1 - D(G(z)))
        const lossReal = bceWithLogits(this.D(real), 1);
        const lossFake = bceWithLogits(this.D(fake), 0);
        return { total: tf.add(lossReal, lossFake), terms: [lossReal, lossFake] };
      });
    });
  }

  trainG(z: tf.Tensor2D): tf.Tensor1D {
    return tf.tidy(() =>
      minimizeTerms(this.optG, this.paramsG.list(), () => {
        // L_G = -log D(G(z))
        const lossG = bceWithLogits(this.D(this.G(z)), 1);
        return { total: lossG, terms: [lossG] };
      }),
    );
  }

  criticIterations(): number {
    return 1;
  }

  dispose(): void {
    this.paramsG.dispose();
    this.paramsD.dispose();
    this.optG.dispose();
    this.optD.dispose();
  }
}
