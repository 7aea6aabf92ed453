/**
 * UNIT: Unsupervised Image-to-Image Translation Networks (Liu et al. 2017),
 * https://arxiv.org/abs/1703.00848, after PyTorch-GAN's implementations/unit (models.py, unit.py).
 * Two VAE-GANs whose encoders share their last block and whose generators share their first,
 * so both domains meet in one latent space:
 *   mu_i = E_i(x_i) (shared last block), z_i = mu_i + N(0, I), x_i -> j = G_j(z_i) (shared first).
 * Objective, LSGAN, lambdas l0..l4 = 10, 0.1, 100, 0.1, 100:
 *   L_G = l0 [MSE(D1(G1(z2)), 1) + MSE(D2(G2(z1)), 1)] + l1 [KL(mu1) + KL(mu2)]
 *       + l2 [|G1(z1) - x1| + |G2(z2) - x2|] + l3 [KL(mu1') + KL(mu2')]
 *       + l4 [|G1(z2') - x1| + |G2(z1') - x2|],  KL(mu) = mean(mu^2),
 *   with mu1', z1' = E1(G1(z2)) and mu2', z2' = E2(G2(z1)) (the translations encoded again);
 *   L_Di = MSE(Di(x_i), 1) + MSE(Di(fake_i), 0) (not halved), fake_i from G's step.
 * One Adam over E1, E2, G1, G2 (the shared blocks once), one Adam per D, Adam 1e-4 (0.5, 0.999).
 * Weights: conv weights N(0, 0.02) (weights_init_normal), biases PyTorch's default uniform.
 * Departures: toy widths (dim 8, D 16 to 128 channels where the reference has 64 and 64 to 512)
 * and D's depth a setting (the reference's 4 strided blocks at 32 px; fewer fit 16 px); batch > 1
 * (instance norm keeps each image its own statistics); the learning rate decays over
 * iterations, not epochs; the noise is drawn from our seeded stream, not numpy's; the translate
 * grid and quality figures decode mu (the noise-free code) where the reference's samples use z.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../core/random';
import { type Layer4D, relu, sequence, tanh } from './shared/conv';
import { l1, meanSquared } from './shared/losses';
import type { ModelNetworks, OptimizerOf } from './shared/networks';
import { adam, minimizeTerms, setLearningRate } from './shared/optim';
import { Params } from './shared/params';
import {
  leaky,
  plainInstanceNorm,
  reflectConv7,
  resampling,
  resnetBlock,
  translationConv,
} from './shared/translation';
import type { UnitConfig } from './unit.config';

/** Chart order of the loss terms (unweighted), the Ds' then E and G's. */
export const UNIT_LOSS_NAMES = [
  'D1',
  'D2',
  'GAN 1',
  'GAN 2',
  'KL 1',
  'KL 2',
  'recon 1',
  'recon 2',
  'cycle KL 1',
  'cycle KL 2',
  'cycle 1',
  'cycle 2',
] as const;

/** Down-samplings of each encoder and up-samplings of each generator (--n_downsample 2). */
export const UNIT_DOWNSAMPLINGS = 2;

/** PyTorch-GAN's convs keep PyTorch's default bias initialisation. */
const TORCH = 'torch' as const;

/** mu's shape for a batch: the encoders' [n, s / 4, s / 4, 4 dim]. */
export function latentShape(
  config: Pick<UnitConfig, 'imageSize' | 'dim'>,
  n: number,
): [number, number, number, number] {
  const scale = 2 ** UNIT_DOWNSAMPLINGS;
  return [n, config.imageSize / scale, config.imageSize / scale, config.dim * scale];
}

/**
 * Encoder's own blocks (model_blocks): pad3 conv k7 -> dim, IN, LReLU 0.2; 2 x (conv k4 s2 p1,
 * IN, ReLU) doubling channels; nBlocks residual blocks. The shared block follows (see Unit).
 */
export function unitEncoder(params: Params, name: string, dim: number, nBlocks: number): Layer4D {
  // Built in the order of the layers: each draws its initial weights from the stream in turn.
  const stem = [
    reflectConv7(params, `${name}/in`, 3, dim, TORCH),
    plainInstanceNorm(params, `${name}/in/norm`, dim),
    leaky,
  ];
  const resample = { kernel: 4, act: relu, biasInit: TORCH };
  const [down, channels] = resampling(params, name, 'down', dim, UNIT_DOWNSAMPLINGS, resample);
  return sequence(...stem, ...down, ...residualBlocks(params, name, channels, nBlocks));
}

/**
 * Generator's own blocks (model_blocks), after the shared block: nBlocks residual blocks;
 * 2 x (ConvT k4 s2 p1, IN, LReLU 0.2) halving channels; pad3 conv k7 -> 3, tanh.
 */
export function unitGenerator(params: Params, name: string, dim: number, nBlocks: number): Layer4D {
  const inner = dim * 2 ** UNIT_DOWNSAMPLINGS;
  const blocks = residualBlocks(params, name, inner, nBlocks);
  const resample = { kernel: 4, act: leaky, biasInit: TORCH };
  const [up, channels] = resampling(params, name, 'up', inner, UNIT_DOWNSAMPLINGS, resample);
  return sequence(...blocks, ...up, reflectConv7(params, `${name}/out`, channels, 3, TORCH), tanh);
}

/** nBlocks residual blocks named <name>/res<i>, with PyTorch's default biases. */
function residualBlocks(params: Params, name: string, channels: number, n: number): Layer4D[] {
  return Array.from({ length: n }, (_, i) =>
    resnetBlock(params, `${name}/res${i}`, channels, TORCH),
  );
}

/**
 * Discriminator: nLayers x (conv k4 s2 p1, IN but on the first, LReLU 0.2), channels ndf
 * doubling (64 to 512 over 4 in the reference), then conv k3 p1 -> 1: a map of raw scores at
 * 1 / 2^nLayers of the image side.
 */
export function unitDiscriminator(params: Params, ndf: number, nLayers: number): Layer4D {
  const layers: Layer4D[] = [];
  let channels = 3;
  for (let n = 0; n < nLayers; n++) {
    const next = ndf * 2 ** n;
    layers.push(
      translationConv(params, `conv${n}`, {
        inChannels: channels,
        outChannels: next,
        kernel: 4,
        stride: 2,
        pad: 1,
        biasInit: TORCH,
      }),
    );
    if (n > 0) layers.push(plainInstanceNorm(params, `norm${n}`, next));
    layers.push(leaky);
    channels = next;
  }
  layers.push(
    translationConv(params, 'out', {
      inChannels: channels,
      outChannels: 1,
      kernel: 3,
      pad: 1,
      biasInit: TORCH,
    }),
  );
  return sequence(...layers);
}

/** KL(mu) = mean(mu^2) (compute_kl: the KL to N(0, I) of N(mu, I), up to constants). */
export function unitKl(mu: tf.Tensor): tf.Scalar {
  return tf.mean(tf.square(mu));
}

/** The ten unweighted E/G terms, in UNIT_LOSS_NAMES order (after the Ds'). */
export interface UnitTermsG {
  readonly gan1: tf.Scalar;
  readonly gan2: tf.Scalar;
  readonly kl1: tf.Scalar;
  readonly kl2: tf.Scalar;
  readonly id1: tf.Scalar;
  readonly id2: tf.Scalar;
  readonly klCycle1: tf.Scalar;
  readonly klCycle2: tf.Scalar;
  readonly cycle1: tf.Scalar;
  readonly cycle2: tf.Scalar;
}

/** L_G = l0 (GAN) + l1 (KL) + l2 (recon) + l3 (cycle KL) + l4 (cycle), each over both domains. */
export function unitLossG(
  t: UnitTermsG,
  w: Pick<UnitConfig, 'lambdaGan' | 'lambdaKl' | 'lambdaId' | 'lambdaKlCycle' | 'lambdaCycle'>,
): tf.Scalar {
  return tf.addN([
    tf.mul(w.lambdaGan, tf.add(t.gan1, t.gan2)),
    tf.mul(w.lambdaKl, tf.add(t.kl1, t.kl2)),
    tf.mul(w.lambdaId, tf.add(t.id1, t.id2)),
    tf.mul(w.lambdaKlCycle, tf.add(t.klCycle1, t.klCycle2)),
    tf.mul(w.lambdaCycle, tf.add(t.cycle1, t.cycle2)),
  ]) as tf.Scalar;
}

/** L_D = MSE(D(real), 1) + MSE(D(fake), 0) (unit.py: not halved, unlike junyanz's). */
export function unitLossD(realOutput: tf.Tensor, fakeOutput: tf.Tensor): tf.Scalar {
  return tf.add(meanSquared(realOutput, 1), meanSquared(fakeOutput, 0));
}

/**
 * The N(0, I) draws of one E/G step, each of mu's shape: for E1(x1), E2(x2), then E1 and E2 of
 * the translations (the cycle). Given, not drawn here, so steps replay exactly (parity, resume).
 */
export interface UnitNoise {
  readonly n1: tf.Tensor4D;
  readonly n2: tf.Tensor4D;
  readonly n1Cycle: tf.Tensor4D;
  readonly n2Cycle: tf.Tensor4D;
}

/** The translations of G's step, made before its update, for the D steps. */
export interface UnitFakes {
  /** G1(z2): a domain-2 image translated into domain 1. */
  readonly fake1: tf.Tensor4D;
  /** G2(z1). */
  readonly fake2: tf.Tensor4D;
}

export class Unit {
  /** E1, E2, G1, G2 and the two shared blocks: one optimiser updates them together. */
  readonly paramsG: Params;
  readonly paramsD1: Params;
  readonly paramsD2: Params;
  /** Encoders to mu (the shared block included): E_i(x) = sharedE(ownE_i(x)). */
  readonly E1: Layer4D;
  readonly E2: Layer4D;
  /** Generators from a code: G_i(z) = ownG_i(sharedG(z)). */
  readonly G1: Layer4D;
  readonly G2: Layer4D;
  readonly D1: Layer4D;
  readonly D2: Layer4D;
  /** E/G's optimiser, then D1's and D2's, each with the network it updates. */
  private readonly groups: readonly [OptimizerOf, OptimizerOf, OptimizerOf];

  constructor(
    readonly config: UnitConfig,
    rng: Rng,
  ) {
    const { dim, nBlocks, ndf, dLayers } = config;
    this.paramsG = new Params('G', rng.fork('G'));
    this.paramsD1 = new Params('D1', rng.fork('D1'));
    this.paramsD2 = new Params('D2', rng.fork('D2'));
    const shared = dim * 2 ** UNIT_DOWNSAMPLINGS;
    // One block each, built once: both encoders (and both generators) apply the same variables.
    const sharedE = resnetBlock(this.paramsG, 'sharedE', shared, TORCH);
    const sharedG = resnetBlock(this.paramsG, 'sharedG', shared, TORCH);
    this.E1 = sequence(unitEncoder(this.paramsG, 'E1', dim, nBlocks), sharedE);
    this.E2 = sequence(unitEncoder(this.paramsG, 'E2', dim, nBlocks), sharedE);
    this.G1 = sequence(sharedG, unitGenerator(this.paramsG, 'G1', dim, nBlocks));
    this.G2 = sequence(sharedG, unitGenerator(this.paramsG, 'G2', dim, nBlocks));
    this.D1 = unitDiscriminator(this.paramsD1, ndf, dLayers);
    this.D2 = unitDiscriminator(this.paramsD2, ndf, dLayers);
    const group = (params: Params) => ({
      params,
      optimizer: adam(config.lr, config.beta1, config.beta2),
    });
    this.groups = [group(this.paramsG), group(this.paramsD1), group(this.paramsD2)];
  }

  setLearningRate(lr: number): void {
    for (const { optimizer } of this.groups) setLearningRate(optimizer, lr);
  }

  /** Domain 1 to 2 through the shared code, noise-free: G2(E1(x1)). */
  translate12(x1: tf.Tensor4D): tf.Tensor4D {
    return tf.tidy(() => this.G2(this.E1(x1)));
  }

  translate21(x2: tf.Tensor4D): tf.Tensor4D {
    return tf.tidy(() => this.G1(this.E2(x2)));
  }

  /**
   * One update of E1, E2, G1, G2 with the Ds fixed; returns the ten terms (UNIT_LOSS_NAMES
   * after the Ds') and the translations of this forward pass, before the update, for the Ds.
   */
  trainG(
    x1: tf.Tensor4D,
    x2: tf.Tensor4D,
    noise: UnitNoise,
  ): { losses: tf.Tensor1D; fakes: UnitFakes } {
    let fakes: UnitFakes | null = null;
    const losses = tf.tidy(() =>
      minimizeTerms(this.groups[0].optimizer, this.paramsG.list(), () => {
        // Shared latent: mu_i = E_i(x_i), z_i = mu_i + N(0, I).
        const mu1 = this.E1(x1);
        const mu2 = this.E2(x2);
        const z1 = tf.add(mu1, noise.n1) as tf.Tensor4D;
        const z2 = tf.add(mu2, noise.n2) as tf.Tensor4D;
        // Translations x_2->1 = G1(z2), x_1->2 = G2(z1).
        const fake1 = this.G1(z2);
        const fake2 = this.G2(z1);
        fakes = { fake1: tf.keep(tf.clone(fake1)), fake2: tf.keep(tf.clone(fake2)) };
        // The translations encoded again, and decoded back into their source domain.
        const mu1c = this.E1(fake1);
        const mu2c = this.E2(fake2);
        const z1c = tf.add(mu1c, noise.n1Cycle) as tf.Tensor4D;
        const z2c = tf.add(mu2c, noise.n2Cycle) as tf.Tensor4D;
        const terms: UnitTermsG = {
          // GAN_i = MSE(D_i(G_i(z_j)), 1)
          gan1: meanSquared(this.D1(fake1), 1),
          gan2: meanSquared(this.D2(fake2), 1),
          // KL_i = mean(mu_i^2)
          kl1: unitKl(mu1),
          kl2: unitKl(mu2),
          // recon_i = |G_i(z_i) - x_i|
          id1: l1(this.G1(z1), x1),
          id2: l1(this.G2(z2), x2),
          // cycle KL_i = mean(mu_i'^2)
          klCycle1: unitKl(mu1c),
          klCycle2: unitKl(mu2c),
          // cycle_1 = |G1(z2') - x1| (x1 -> 2 -> 1), cycle_2 = |G2(z1') - x2|
          cycle1: l1(this.G1(z2c), x1),
          cycle2: l1(this.G2(z1c), x2),
        };
        return {
          total: unitLossG(terms, this.config),
          terms: [
            terms.gan1,
            terms.gan2,
            terms.kl1,
            terms.kl2,
            terms.id1,
            terms.id2,
            terms.klCycle1,
            terms.klCycle2,
            terms.cycle1,
            terms.cycle2,
          ],
        };
      }),
    );
    return { losses, fakes: fakes! };
  }

  /** The translations G makes now with the given noise, without training (a D step alone). */
  fakes(x1: tf.Tensor4D, x2: tf.Tensor4D, noise: UnitNoise): UnitFakes {
    return tf.tidy(() => ({
      fake1: this.G1(tf.add(this.E2(x2), noise.n2) as tf.Tensor4D),
      fake2: this.G2(tf.add(this.E1(x1), noise.n1) as tf.Tensor4D),
    }));
  }

  /** D1 then D2, each its own Adam step; returns [D1, D2]. Disposes nothing given. */
  trainD(x1: tf.Tensor4D, x2: tf.Tensor4D, fakes: UnitFakes): tf.Tensor1D {
    return tf.tidy(() => {
      const d1 = minimizeTerms(this.groups[1].optimizer, this.paramsD1.list(), () => {
        const loss = unitLossD(this.D1(x1), this.D1(fakes.fake1));
        return { total: loss, terms: [loss] };
      });
      const d2 = minimizeTerms(this.groups[2].optimizer, this.paramsD2.list(), () => {
        const loss = unitLossD(this.D2(x2), this.D2(fakes.fake2));
        return { total: loss, terms: [loss] };
      });
      return tf.concat([d1, d2]) as tf.Tensor1D;
    });
  }

  /** Translating needs the encoders as well as the generators: all of E/G is "generator". */
  networks(): ModelNetworks {
    return {
      generators: [this.paramsG],
      others: [this.paramsD1, this.paramsD2],
      optimizers: this.groups,
    };
  }

  dispose(): void {
    for (const { params, optimizer } of this.groups) {
      params.dispose();
      optimizer.dispose();
    }
  }
}
