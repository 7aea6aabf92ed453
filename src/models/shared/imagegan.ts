import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../../core/random';
import type { NormMode } from './conv';
import { bceWithLogits, wassersteinGenerator } from './losses';
import { type ModelNetworks, twoNetworks } from './networks';
import { minimizeTerms } from './optim';
import { Params } from './params';

/**
 * What every unconditional image GAN offers the trainer: its generator, one D and one G update
 * with their loss terms, and how many D updates come before each G update.
 */
export interface ImageGan {
  /** Names of the terms trainD returns, then those trainG returns. */
  readonly lossNames: readonly string[];
  readonly paramsG: Params;
  readonly paramsD: Params;
  /** Batch norm's mode for G; set training = false to sample with running averages. */
  readonly normG: NormMode;
  /** z: [N, zDim] -> images [N, S, S, 3] in [-1, 1]. */
  G(z: tf.Tensor2D): tf.Tensor4D;
  /** One D update; `alpha` ([N, 1, 1, 1], U(0, 1)) is used by penalties that interpolate. */
  trainD(real: tf.Tensor4D, z: tf.Tensor2D, alpha: tf.Tensor4D): tf.Tensor1D;
  trainG(z: tf.Tensor2D): tf.Tensor1D;
  /** D updates before G update number `generatorIterations` (0-based). */
  criticIterations(generatorIterations: number): number;
  networks(): ModelNetworks;
  dispose(): void;
}

/** The parts every variant has: two networks' weights, their optimisers, and disposal. */
export abstract class ImageGanBase implements ImageGan {
  abstract readonly lossNames: readonly string[];
  readonly paramsG: Params;
  readonly paramsD: Params;
  readonly normG: NormMode = { training: true };
  protected readonly normD: NormMode = { training: true };
  protected abstract readonly optG: tf.Optimizer;
  protected abstract readonly optD: tf.Optimizer;

  constructor(rng: Rng) {
    this.paramsG = new Params('G', rng.fork('G'));
    this.paramsD = new Params('D', rng.fork('D'));
  }

  abstract G(z: tf.Tensor2D): tf.Tensor4D;
  /** D's raw output, one score (logit or critic value) per image. */
  protected abstract D(x: tf.Tensor4D): tf.Tensor;
  abstract trainD(real: tf.Tensor4D, z: tf.Tensor2D, alpha: tf.Tensor4D): tf.Tensor1D;
  abstract trainG(z: tf.Tensor2D): tf.Tensor1D;

  criticIterations(_generatorIterations: number): number {
    return 1;
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

/** L_D = s (L_real + L_fake): s = 1 in DCGAN's reference, 1/2 in PyTorch-GAN's gan.py. */
export function nonSaturatingLossD(
  terms: { readonly real: tf.Scalar; readonly fake: tf.Scalar },
  scale: number,
): tf.Scalar {
  return tf.mul(scale, tf.add(terms.real, terms.fake)) as tf.Scalar;
}

/** Goodfellow's objective with the non-saturating G loss, as GAN and DCGAN train. */
export abstract class NonSaturatingGan extends ImageGanBase {
  readonly lossNames = ['D real', 'D fake', 'G'] as const;
  /** D's loss is scaled by this: 1 in DCGAN's reference, 1/2 in PyTorch-GAN's gan.py. */
  protected readonly dLossScale: number = 1;

  trainD(real: tf.Tensor4D, z: tf.Tensor2D): tf.Tensor1D {
    return tf.tidy(() => {
      const fake = this.G(z);
      return minimizeTerms(this.optD, this.paramsD.list(), () => {
        // L_D = s (-log D(x) - log(1 - D(G(z))))
        const lossReal = bceWithLogits(this.D(real), 1);
        const lossFake = bceWithLogits(this.D(fake), 0);
        const total = nonSaturatingLossD({ real: lossReal, fake: lossFake }, this.dLossScale);
        return { total, terms: [lossReal, lossFake] };
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
}

/** A Wasserstein critic's generator side, shared by WGAN and WGAN-GP. */
export abstract class WassersteinGan extends ImageGanBase {
  trainG(z: tf.Tensor2D): tf.Tensor1D {
    return tf.tidy(() =>
      minimizeTerms(this.optG, this.paramsG.list(), () => {
        // L_G = -E[D(G(z))]
        const lossG = wassersteinGenerator(this.D(this.G(z)));
        return { total: lossG, terms: [lossG] };
      }),
    );
  }
}
