/**
 * Wasserstein GAN (Arjovsky et al., 2017), https://arxiv.org/abs/1701.07875, after
 * martinarjovsky/WassersteinGAN.
 *
 * The critic f (DCGAN's discriminator, no sigmoid) estimates the Wasserstein distance
 * W = max over 1-Lipschitz f of E[f(x)] - E[f(G(z))]; clipping its weights to [-c, c] keeps it
 * Lipschitz. L_D = -E[f(x)] + E[f(G(z))], L_G = -E[f(G(z))]. RMSprop 5e-5 for both;
 * n_critic = 5, but 100 for the first 25 generator iterations and every 500th.
 * Departures: toy widths; weights are clipped after each critic update (and at the start)
 * rather than before it, which is the same sequence of critics except that the generator's
 * update also sees clipped weights.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../engine/random';
import { dcganDiscriminator, dcganGenerator } from './dcgan';
import type { ImageGanConfig } from './imagegan.config';
import type { NormMode } from './shared/conv';
import type { ImageGan } from './shared/imagegan';
import { wassersteinCritic, wassersteinGenerator } from './shared/losses';
import { clipWeights, makeOptimizer, minimizeTerms } from './shared/optim';
import { Params } from './shared/params';

/** The reference's schedule: 100 critic updates early on and every 500th G update. */
export function wganCriticIterations(generatorIterations: number, nCritic: number): number {
  return generatorIterations < 25 || generatorIterations % 500 === 0 ? 100 : nCritic;
}

export class Wgan implements ImageGan {
  readonly lossNames = ['D real', 'D fake', 'G'] as const;
  readonly paramsG: Params;
  readonly paramsD: Params;
  readonly normG: NormMode = { training: true };
  private readonly normD: NormMode = { training: true };
  private readonly generator: (z: tf.Tensor2D) => tf.Tensor4D;
  private readonly f: (x: tf.Tensor4D) => tf.Tensor1D;
  private readonly optG: tf.Optimizer;
  private readonly optD: tf.Optimizer;

  constructor(
    private readonly config: ImageGanConfig,
    rng: Rng,
  ) {
    this.paramsG = new Params('G', rng.fork('G'));
    this.paramsD = new Params('D', rng.fork('D'));
    this.generator = dcganGenerator(this.paramsG, config, this.normG);
    this.f = dcganDiscriminator(this.paramsD, config, this.normD, true);
    this.optG = makeOptimizer('rmsprop', config.lrG, 0, 0);
    this.optD = makeOptimizer('rmsprop', config.lrD, 0, 0);
    clipWeights(this.paramsD.list(), config.clip);
  }

  G(z: tf.Tensor2D): tf.Tensor4D {
    return this.generator(z);
  }

  trainD(real: tf.Tensor4D, z: tf.Tensor2D): tf.Tensor1D {
    const losses = tf.tidy(() => {
      const fake = this.G(z);
      return minimizeTerms(this.optD, this.paramsD.list(), () => {
        // L_D = -E[f(x)] + E[f(G(z))], reported as its two halves
        const fReal = tf.neg(tf.mean(this.f(real))) as tf.Scalar;
        const fFake = tf.mean(this.f(fake)) as tf.Scalar;
        return { total: wassersteinCritic(tf.neg(fReal), fFake), terms: [fReal, fFake] };
      });
    });
    clipWeights(this.paramsD.list(), this.config.clip);
    return losses;
  }

  trainG(z: tf.Tensor2D): tf.Tensor1D {
    return tf.tidy(() =>
      minimizeTerms(this.optG, this.paramsG.list(), () => {
        // L_G = -E[f(G(z))]
        const lossG = wassersteinGenerator(this.f(this.G(z)));
        return { total: lossG, terms: [lossG] };
      }),
    );
  }

  criticIterations(generatorIterations: number): number {
    return wganCriticIterations(generatorIterations, this.config.nCritic);
  }

  dispose(): void {
    this.paramsG.dispose();
    this.paramsD.dispose();
    this.optG.dispose();
    this.optD.dispose();
  }
}
