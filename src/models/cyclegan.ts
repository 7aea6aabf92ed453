/**
 * CycleGAN: Unpaired Image-to-Image Translation using Cycle-Consistent Adversarial Networks
 * (Zhu et al. 2017), https://arxiv.org/abs/1703.10593, after junyanz/pytorch-CycleGAN-and-pix2pix
 * (cycle_gan_model.py, networks.py). Two generators, G_AB: A -> B and G_BA: B -> A (junyanz's
 * netG_A and netG_B), and two PatchGAN discriminators, D_A judging domain A and D_B domain B
 * (junyanz's netD_B and netD_A: his are named by the generator they judge). Objective (LSGAN):
 *   L_G = GAN_AB + GAN_BA + l_cyc (|G_BA(G_AB(a)) - a| + |G_AB(G_BA(b)) - b|)
 *         + l_cyc l_idt (|G_AB(b) - b| + |G_BA(a) - a|)
 *   L_D_B = 0.5 (MSE(D_B(b), 1) + MSE(D_B(pool(G_AB(a))), 0)), L_D_A likewise.
 * One Adam over both generators, one over both discriminators, as the reference's chained
 * parameter lists. Departures: toy widths and depths (ngf, ndf, blocks), batch > 1 allowed (instance
 * norm keeps each image's statistics), and the learning-rate schedule counts iterations, not
 * epochs. The pools' stored fakes are saved with a training state (as buffers), for exact resume.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../core/random';
import type { CycleGanConfig } from './cyclegan.config';
import { type Layer4D, relu, sequence, tanh } from './shared/conv';
import { ImagePool } from './shared/imagePool';
import { l1, meanSquared } from './shared/losses';
import type { ModelNetworks } from './shared/networks';
import { adam, minimizeTerms, setLearningRate } from './shared/optim';
import { Params } from './shared/params';
import {
  patchGan,
  plainInstanceNorm,
  reflectConv7,
  resampling,
  resnetBlock,
} from './shared/translation';

/** Chart order of the loss terms (unweighted), D's then G's. */
export const CYCLEGAN_LOSS_NAMES = [
  'D_A',
  'D_B',
  'G_AB adv',
  'G_BA adv',
  'cycle A',
  'cycle B',
  'identity A',
  'identity B',
] as const;

/**
 * ResnetGenerator: pad3 conv k7 -> ngf, IN, ReLU; 2 x (conv k3 s2 p1, IN, ReLU) to 4 ngf;
 * nBlocks ResNet blocks; 2 x (ConvT k3 s2 p1 output_padding 1, IN, ReLU); pad3 conv k7 -> 3, tanh.
 */
export function resnetGenerator(
  params: Params,
  name: string,
  ngf: number,
  nBlocks: number,
): Layer4D {
  // Built in the order of the layers: each draws its initial weights from G's stream in turn.
  const resample = { kernel: 3, act: relu, outputPadding: 1 };
  const stem = [
    reflectConv7(params, `${name}/in`, 3, ngf),
    plainInstanceNorm(params, `${name}/in/norm`, ngf),
    relu,
  ];
  const [down, inner] = resampling(params, name, 'down', ngf, 2, resample);
  const blocks = Array.from({ length: nBlocks }, (_, i) =>
    resnetBlock(params, `${name}/res${i}`, inner),
  );
  const [up, outer] = resampling(params, name, 'up', inner, 2, resample);
  return sequence(
    ...stem,
    ...down,
    ...blocks,
    ...up,
    reflectConv7(params, `${name}/out`, outer, 3),
    tanh,
  );
}

/** L_G = GAN_AB + GAN_BA + l_cyc (cyc_A + cyc_B) + l_cyc l_idt (idt_A + idt_B). */
export function cycleGanLossG(
  t: {
    readonly ganAB: tf.Scalar;
    readonly ganBA: tf.Scalar;
    readonly cycA: tf.Scalar;
    readonly cycB: tf.Scalar;
    readonly idtA: tf.Scalar;
    readonly idtB: tf.Scalar;
  },
  w: Pick<CycleGanConfig, 'lambdaCyc' | 'lambdaIdt'>,
): tf.Scalar {
  return tf.addN([
    t.ganAB,
    t.ganBA,
    tf.mul(w.lambdaCyc, tf.add(t.cycA, t.cycB)),
    tf.mul(w.lambdaCyc * w.lambdaIdt, tf.add(t.idtA, t.idtB)),
  ]) as tf.Scalar;
}

/** L_D = 0.5 (MSE(D(real), 1) + MSE(D(fake), 0)) (backward_D_basic). */
export function lsganLossD(realOutput: tf.Tensor, fakeOutput: tf.Tensor): tf.Scalar {
  return tf.mul(0.5, tf.add(meanSquared(realOutput, 1), meanSquared(fakeOutput, 0)));
}

/** Images the D step trains on: the fakes of G's step (before its update) from the pools. */
export interface Fakes {
  readonly fakeA: tf.Tensor4D;
  readonly fakeB: tf.Tensor4D;
}

export class CycleGan {
  /** Both generators (scopes G/AB and G/BA): one optimiser updates them together. */
  readonly paramsG: Params;
  readonly paramsD: Params;
  /** The image pools' stored fakes as non-trainable buffers, saved with a training state. */
  readonly paramsPool: Params;
  readonly G_AB: Layer4D;
  readonly G_BA: Layer4D;
  readonly D_A: Layer4D;
  readonly D_B: Layer4D;
  readonly poolA: ImagePool;
  readonly poolB: ImagePool;
  private readonly optG: tf.AdamOptimizer;
  private readonly optD: tf.AdamOptimizer;

  constructor(
    readonly config: CycleGanConfig,
    rng: Rng,
    poolRng: Rng,
  ) {
    this.paramsG = new Params('G', rng.fork('G'));
    this.paramsD = new Params('D', rng.fork('D'));
    const { ngf, nBlocks, ndf, dLayers } = config;
    this.G_AB = resnetGenerator(this.paramsG, 'AB', ngf, nBlocks);
    this.G_BA = resnetGenerator(this.paramsG, 'BA', ngf, nBlocks);
    this.D_A = patchGan(this.paramsD, 'A', 3, ndf, dLayers);
    this.D_B = patchGan(this.paramsD, 'B', 3, ndf, dLayers);
    // Both pools draw from one stream (A's queries, then B's), which a checkpoint saves.
    this.paramsPool = new Params('pool', rng.fork('pool'));
    const s = config.imageSize;
    const buffer = (name: string) =>
      config.poolSize > 0 ? this.paramsPool.state(name, [config.poolSize, s, s, 3], 0) : null;
    this.poolA = new ImagePool(config.poolSize, poolRng, buffer('A'));
    this.poolB = new ImagePool(config.poolSize, poolRng, buffer('B'));
    this.optG = adam(config.lr, config.beta1, config.beta2);
    this.optD = adam(config.lr, config.beta1, config.beta2);
  }

  setLearningRate(lr: number): void {
    setLearningRate(this.optG, lr);
    setLearningRate(this.optD, lr);
  }

  /**
   * One G update (D fixed); returns [G_AB adv, G_BA adv, cycle A, cycle B, identity A,
   * identity B] and the fakes of this forward pass, made before the update, for the D step.
   */
  trainG(realA: tf.Tensor4D, realB: tf.Tensor4D): { losses: tf.Tensor1D; fakes: Fakes } {
    let fakes: Fakes | null = null;
    const { lambdaIdt } = this.config;
    const losses = tf.tidy(() =>
      minimizeTerms(this.optG, this.paramsG.list(), () => {
        const fakeB = this.G_AB(realA);
        const fakeA = this.G_BA(realB);
        fakes = { fakeA: tf.keep(tf.clone(fakeA)), fakeB: tf.keep(tf.clone(fakeB)) };
        // GAN_AB = MSE(D_B(G_AB(a)), 1), GAN_BA = MSE(D_A(G_BA(b)), 1)
        const ganAB = meanSquared(this.D_B(fakeB), 1);
        const ganBA = meanSquared(this.D_A(fakeA), 1);
        // cyc_A = |G_BA(G_AB(a)) - a|, cyc_B = |G_AB(G_BA(b)) - b|
        const cycA = l1(this.G_BA(fakeB), realA);
        const cycB = l1(this.G_AB(fakeA), realB);
        // idt_A = |G_BA(a) - a|, idt_B = |G_AB(b) - b| (not computed when l_idt is 0, as there)
        const idtA = lambdaIdt > 0 ? l1(this.G_BA(realA), realA) : tf.scalar(0);
        const idtB = lambdaIdt > 0 ? l1(this.G_AB(realB), realB) : tf.scalar(0);
        const total = cycleGanLossG({ ganAB, ganBA, cycA, cycB, idtA, idtB }, this.config);
        return { total, terms: [ganAB, ganBA, cycA, cycB, idtA, idtB] };
      }),
    );
    return { losses, fakes: fakes! };
  }

  /** The fakes G makes now, without training (for a D step alone). */
  fakes(realA: tf.Tensor4D, realB: tf.Tensor4D): Fakes {
    return tf.tidy(() => ({ fakeA: this.G_BA(realB), fakeB: this.G_AB(realA) }));
  }

  /** One update of both Ds on pooled fakes; returns [D_A, D_B]. Disposes nothing given. */
  trainD(realA: tf.Tensor4D, realB: tf.Tensor4D, fakes: Fakes): tf.Tensor1D {
    const pooledA = this.poolA.query(fakes.fakeA);
    const pooledB = this.poolB.query(fakes.fakeB);
    const losses = tf.tidy(() =>
      minimizeTerms(this.optD, this.paramsD.list(), () => {
        const lossDA = lsganLossD(this.D_A(realA), this.D_A(pooledA));
        const lossDB = lsganLossD(this.D_B(realB), this.D_B(pooledB));
        return { total: tf.add(lossDA, lossDB), terms: [lossDA, lossDB] };
      }),
    );
    tf.dispose([pooledA, pooledB]);
    return losses;
  }

  /** The networks, and the pools' buffers brought up to date (so a save holds the pools). */
  networks(): ModelNetworks {
    if (!this.paramsPool.shapeOnly) {
      this.poolA.save();
      this.poolB.save();
    }
    return {
      generators: [this.paramsG],
      others: [this.paramsD, ...(this.config.poolSize > 0 ? [this.paramsPool] : [])],
      optimizers: [
        { optimizer: this.optG, params: this.paramsG },
        { optimizer: this.optD, params: this.paramsD },
      ],
    };
  }

  dispose(): void {
    this.paramsG.dispose();
    this.paramsD.dispose();
    this.paramsPool.dispose();
    this.poolA.dispose();
    this.poolB.dispose();
    this.optG.dispose();
    this.optD.dispose();
  }
}
