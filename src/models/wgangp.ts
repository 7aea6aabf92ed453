/**
 * Improved Training of Wasserstein GANs (Gulrajani et al., 2017),
 * https://arxiv.org/abs/1704.00028, after igul222/improved_wgan_training.
 *
 * WGAN with the weight clipping replaced by a gradient penalty on interpolates:
 * L_D = E[D(G(z))] - E[D(x)] + lambda E[(||grad_xhat D(xhat)||_2 - 1)^2], L_G = -E[D(G(z))].
 * The critic has no batch norm (the penalty is per sample); n_critic 5; Adam 1e-4 (0.5, 0.9)
 * as in the CIFAR script (the 64 px script uses beta1 0). Departures: toy widths.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../core/random';
import { dcganDiscriminator, dcganGenerator } from './dcgan';
import type { ImageGanConfig } from './imagegan.config';
import { WassersteinGan } from './shared/imagegan';
import { penalisedCriticLoss } from './shared/losses';
import { adam, minimizeTerms } from './shared/optim';
import { gradientPenalty } from './shared/penalties';

export class WganGp extends WassersteinGan {
  readonly lossNames = ['D real', 'D fake', 'GP', 'G'] as const;
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
    this.critic = dcganDiscriminator(this.paramsD, config, this.normD, false);
    this.optG = adam(config.lrG, config.beta1, config.beta2);
    this.optD = adam(config.lrD, config.beta1, config.beta2);
  }

  G(z: tf.Tensor2D): tf.Tensor4D {
    return this.generator(z);
  }

  protected D(x: tf.Tensor4D): tf.Tensor1D {
    return this.critic(x);
  }

  trainD(real: tf.Tensor4D, z: tf.Tensor2D, alpha: tf.Tensor4D): tf.Tensor1D {
    return tf.tidy(() => {
      const fake = this.G(z);
      return minimizeTerms(this.optD, this.paramsD.list(), () => {
        const dReal = tf.neg(tf.mean(this.D(real))) as tf.Scalar;
        const dFake = tf.mean(this.D(fake)) as tf.Scalar;
        // L_gp = E[(||grad_xhat D(xhat)||_2 - 1)^2]
        const gp = gradientPenalty((x: tf.Tensor4D) => this.D(x), real, fake, alpha);
        // L_D = E[D(G(z))] - E[D(x)] + lambda L_gp
        const total = penalisedCriticLoss({ real: dReal, fake: dFake, gp }, this.config.lambdaGp);
        return { total, terms: [dReal, dFake, gp] };
      });
    });
  }

  override criticIterations(): number {
    return this.config.nCritic;
  }
}
