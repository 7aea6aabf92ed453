/**
 * Generative Adversarial Nets (Goodfellow et al., 2014), https://arxiv.org/abs/1406.2661,
 * on points in the plane, as GAN Lab shows it.
 *
 * Objective: min_G max_D E_x[log D(x)] + E_z[log(1 - D(G(z)))], with the generator trained on
 * the non-saturating form max_G E_z[log D(G(z))]. To compare objectives on the same data, D's
 * loss can also be least squares (LSGAN, Mao et al. 2017), or D can be a Wasserstein critic
 * kept Lipschitz by weight clipping (WGAN, Arjovsky et al. 2017) or by a gradient penalty
 * (WGAN-GP, Gulrajani et al. 2017), with their clip 0.01 and lambda 10.
 * G and D are MLPs. Departures: none beyond the toy scale.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../core/random';
import { type Gan2dConfig, WGAN_CLIP, WGAN_GP_LAMBDA } from './gan2d.config';
import { type Dense, mlp } from './shared/layers';
import {
  bceWithLogits,
  leastSquares,
  penalisedCriticLoss,
  wassersteinCritic,
  wassersteinGenerator,
} from './shared/losses';
import { type ModelNetworks, twoNetworks } from './shared/networks';
import { clipWeights, makeOptimizer, minimizeTerms } from './shared/optim';
import { Params } from './shared/params';
import { gradientPenalty } from './shared/penalties';

/** Adam's betas: DCGAN's (0.5, 0.999), and WGAN-GP's (0.5, 0.9) for the penalised critic. */
function adamBetas(config: Gan2dConfig): [number, number] {
  return [0.5, config.loss === 'wassersteinGp' ? 0.9 : 0.999];
}

export class Gan2d {
  readonly G: Dense;
  readonly D: Dense;
  readonly paramsG: Params;
  readonly paramsD: Params;
  private readonly optG: tf.Optimizer;
  private readonly optD: tf.Optimizer;

  constructor(
    readonly config: Gan2dConfig,
    rng: Rng,
  ) {
    this.paramsG = new Params('G', rng.fork('G'));
    this.paramsD = new Params('D', rng.fork('D'));
    this.G = mlp(this.paramsG, {
      inDim: config.noiseDim,
      hiddenLayers: config.gLayers,
      width: config.gWidth,
      outDim: 2,
      hidden: 'relu',
      output: 'linear',
    });
    this.D = mlp(this.paramsD, {
      inDim: 2,
      hiddenLayers: config.dLayers,
      width: config.dWidth,
      outDim: 1,
      hidden: 'leakyRelu',
      output: 'linear',
    });
    this.optG = makeOptimizer(config.optimizer, config.lrG, ...adamBetas(config));
    this.optD = makeOptimizer(config.optimizer, config.lrD, ...adamBetas(config));
    if (config.loss === 'wasserstein') clipWeights(this.paramsD.list(), WGAN_CLIP);
  }

  /** One D update; returns [D real, D fake] (and GP for WGAN-GP). alpha: [N, 1], U(0, 1). */
  trainD(real: tf.Tensor2D, z: tf.Tensor2D, alpha: tf.Tensor2D): tf.Tensor1D {
    const { loss } = this.config;
    const losses = tf.tidy(() => {
      const fake = this.G.apply(z);
      return minimizeTerms(this.optD, this.paramsD.list(), () => {
        const outReal = this.D.apply(real);
        const outFake = this.D.apply(fake);
        if (loss === 'nonSaturating' || loss === 'leastSquares') {
          const target = loss === 'nonSaturating' ? bceWithLogits : leastSquares;
          // L_D = -E[log D(x)] - E[log(1 - D(G(z)))], or 0.5 E[(D(x) - 1)^2] + 0.5 E[D(G(z))^2]
          const lossReal = target(outReal, 1);
          const lossFake = target(outFake, 0);
          return { total: tf.add(lossReal, lossFake), terms: [lossReal, lossFake] };
        }
        // L_D = -E[D(x)] + E[D(G(z))] (+ lambda E[(||grad D(xhat)|| - 1)^2] for WGAN-GP)
        const lossReal = tf.neg(tf.mean(outReal)) as tf.Scalar;
        const lossFake = tf.mean(outFake) as tf.Scalar;
        const critic = wassersteinCritic(outReal, outFake);
        if (loss === 'wasserstein') return { total: critic, terms: [lossReal, lossFake] };
        const gp = gradientPenalty((x: tf.Tensor2D) => this.D.apply(x), real, fake, alpha);
        return {
          total: penalisedCriticLoss({ real: lossReal, fake: lossFake, gp }, WGAN_GP_LAMBDA),
          terms: [lossReal, lossFake, gp],
        };
      });
    });
    if (loss === 'wasserstein') clipWeights(this.paramsD.list(), WGAN_CLIP);
    return losses;
  }

  /** One G update; returns [G]. */
  trainG(z: tf.Tensor2D): tf.Tensor1D {
    return tf.tidy(() =>
      minimizeTerms(this.optG, this.paramsG.list(), () => {
        const lossG = this.generatorLoss(this.G.apply(z));
        return { total: lossG, terms: [lossG] };
      }),
    );
  }

  /**
   * D's belief that each point is real, in [0, 1]: the sigmoid of the logit, the LSGAN output
   * clipped, or a critic's scores rescaled over the points given (a critic has no scale).
   */
  /** G's loss on generated points x = G(z), as a function of the points themselves. */
  generatorLoss(x: tf.Tensor2D): tf.Scalar {
    const out = this.D.apply(x);
    const { loss } = this.config;
    // L_G = -E[log D(G(z))], 0.5 E[(D(G(z)) - 1)^2], or -E[D(G(z))] for a critic
    return loss === 'nonSaturating'
      ? bceWithLogits(out, 1)
      : loss === 'leastSquares'
        ? leastSquares(out, 1)
        : wassersteinGenerator(out);
  }

  /**
   * Where G's loss pushes a generated point at each of `x`: -dL_G/dx per point, the arrows GAN
   * Lab draws. The loss is a mean, so each point's share is scaled back up by the count.
   */
  generatorPull(x: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      const gradient = tf.grad((points) => this.generatorLoss(points as tf.Tensor2D))(x);
      return tf.mul(gradient, -x.shape[0]) as tf.Tensor2D;
    });
  }

  realness(x: tf.Tensor2D): tf.Tensor1D {
    return tf.tidy(() => {
      const out = tf.reshape(this.D.apply(x), [-1]) as tf.Tensor1D;
      switch (this.config.loss) {
        case 'nonSaturating':
          return tf.sigmoid(out);
        case 'leastSquares':
          return tf.clipByValue(out, 0, 1);
        default: {
          const low = tf.min(out);
          return tf.div(tf.sub(out, low), tf.add(tf.sub(tf.max(out), low), 1e-12));
        }
      }
    });
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
