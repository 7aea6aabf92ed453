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
import type { Rng } from '../core/random';
import { dcganDiscriminator, dcganGenerator } from './dcgan';
import type { ImageGanConfig } from './imagegan.config';
import { WassersteinGan } from './shared/imagegan';
import { wassersteinCritic } from './shared/losses';
import { clipWeights, makeOptimizer, minimizeTerms } from './shared/optim';

/** The reference's schedule: 100 critic updates early on and every 500th G update. */
export function wganCriticIterations(generatorIterations: number, nCritic: number): number {
  return generatorIterations < 25 || generatorIterations % 500 === 0 ? 100 : nCritic;
}

export class Wgan extends WassersteinGan {
  readonly lossNames = ['D real', 'D fake', 'G'] as const;
  protected readonly optG: tf.Optimizer;
  protected readonly optD: tf.Optimizer;
  private readonly generator: (z: tf.Tensor2D) => tf.Tensor4D;
  private readonly critic: (x: tf.Tensor4D) => tf.Tensor1D;

  constructor(
    private readonly config: ImageGanConfig,
    rng: Rng,
  ) {
    super(rng);
    this.generator = dcganGenerator(this.paramsG, config, this.normG);
    this.critic = dcganDiscriminator(this.paramsD, config, this.normD, true);
    this.optG = makeOptimizer('rmsprop', config.lrG, 0, 0);
    this.optD = makeOptimizer('rmsprop', config.lrD, 0, 0);
    clipWeights(this.paramsD.list(), config.clip);
  }

  G(z: tf.Tensor2D): tf.Tensor4D {
    return this.generator(z);
  }

  protected D(x: tf.Tensor4D): tf.Tensor1D {
    return this.critic(x);
  }

  trainD(real: tf.Tensor4D, z: tf.Tensor2D): tf.Tensor1D {
    const losses = tf.tidy(() => {
      const fake = this.G(z);
      return minimizeTerms(this.optD, this.paramsD.list(), () => {
        // L_D = -E[f(x)] + E[f(G(z))], reported as its two halves
        const fReal = tf.neg(tf.mean(this.D(real))) as tf.Scalar;
        const fFake = tf.mean(this.D(fake)) as tf.Scalar;
        return { total: wassersteinCritic(tf.neg(fReal), fFake), terms: [fReal, fFake] };
      });
    });
    clipWeights(this.paramsD.list(), this.config.clip);
    return losses;
  }

  override criticIterations(generatorIterations: number): number {
    return wganCriticIterations(generatorIterations, this.config.nCritic);
  }
}
