/**
 * Generative Adversarial Nets (Goodfellow et al., 2014), https://arxiv.org/abs/1406.2661,
 * on points in the plane, as GAN Lab shows it.
 *
 * Objective: min_G max_D E_x[log D(x)] + E_z[log(1 - D(G(z)))], with the generator trained on
 * the non-saturating form max_G E_z[log D(G(z))]; optionally the least-squares loss (LSGAN).
 * G and D are MLPs. Departures: none beyond the toy scale.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../engine/random';
import type { Gan2dConfig } from './gan2d.config';
import { type Dense, mlp } from './shared/layers';
import { bceWithLogits, leastSquares } from './shared/losses';
import { makeOptimizer, minimizeTerms } from './shared/optim';
import { Params } from './shared/params';

// Adam's beta1 = 0.5 follows DCGAN; the 2D GANs of GAN Lab and Unrolled GAN use the same.
const ADAM_BETAS = [0.5, 0.999] as const;

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
    this.optG = makeOptimizer(config.optimizer, config.lrG, ...ADAM_BETAS);
    this.optD = makeOptimizer(config.optimizer, config.lrD, ...ADAM_BETAS);
  }

  /** One D update; returns [D real, D fake]. */
  trainD(real: tf.Tensor2D, z: tf.Tensor2D): tf.Tensor1D {
    return tf.tidy(() => {
      const fake = this.G.apply(z);
      return minimizeTerms(this.optD, this.paramsD.list(), () => {
        const lossReal = this.lossD(this.D.apply(real), 1);
        const lossFake = this.lossD(this.D.apply(fake), 0);
        // L_D = -E[log D(x)] - E[log(1 - D(G(z)))]
        return { total: tf.add(lossReal, lossFake), terms: [lossReal, lossFake] };
      });
    });
  }

  /** One G update; returns [G]. */
  trainG(z: tf.Tensor2D): tf.Tensor1D {
    return tf.tidy(() =>
      minimizeTerms(this.optG, this.paramsG.list(), () => {
        // L_G = -E[log D(G(z))] (non-saturating) or 0.5 E[(D(G(z)) - 1)^2] (least squares)
        const lossG = this.lossD(this.D.apply(this.G.apply(z)), 1);
        return { total: lossG, terms: [lossG] };
      }),
    );
  }

  private lossD(output: tf.Tensor2D, target: 0 | 1): tf.Scalar {
    return this.config.loss === 'nonSaturating'
      ? bceWithLogits(output, target)
      : leastSquares(output, target);
  }

  /** D's belief that each point is real: sigmoid of the logit, or the raw LSGAN output. */
  realness(x: tf.Tensor2D): tf.Tensor1D {
    return tf.tidy(() => {
      const out = tf.reshape(this.D.apply(x), [-1]) as tf.Tensor1D;
      return this.config.loss === 'nonSaturating' ? tf.sigmoid(out) : tf.clipByValue(out, 0, 1);
    });
  }

  dispose(): void {
    this.paramsG.dispose();
    this.paramsD.dispose();
    this.optG.dispose();
    this.optD.dispose();
  }
}
