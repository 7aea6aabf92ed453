/**
 * StyleGAN-lite: A Style-Based Generator Architecture for Generative Adversarial Networks
 * (Karras, Laine and Aila, CVPR 2019), https://arxiv.org/abs/1812.04948, after NVlabs/stylegan
 * (training/networks_stylegan.py, training/loss.py), at toy scale.
 *
 * Mapping f: z -> w, pixel norm then `mappingLayers` equalised dense layers with leaky ReLU 0.2
 * and learning-rate multiplier 0.01. Synthesis g: a learned constant 4 x 4, then per resolution
 * two 3 x 3 convs (the first after nearest 2x up-sampling and the [1, 2, 1] blur), each followed
 * by the layer epilogue: + noise * per-channel weight (init 0), + bias, leaky ReLU 0.2, instance
 * norm, x * (1 + y_s) + y_b with [y_s, y_b] = A_i(w_i). One 1 x 1 toRGB at the final resolution
 * (the reference's output at lod 0, i.e. without progressive growing; no skip sums).
 * D: the reference's progressive-GAN D: fromRGB 1 x 1, per resolution conv 3 x 3 and blur +
 * conv 3 x 3 + 2 x 2 average pool, then at 4 x 4 minibatch stddev, conv, dense, dense to 1.
 *   L_D = E[softplus(D(G(z)))] + E[softplus(-D(x))] + gamma / 2 E[||grad_x D(x)||^2]
 *   L_G = E[softplus(-D(G(z)))]
 * Style mixing regularisation: with probability 0.9 a second latent's w drives the layers from
 * a random crossover on. The tracked mean w moves as w_avg <- mean(w) + beta (w_avg - mean(w))
 * on every training pass of G; G_ema (Gs) samples everything shown.
 *
 * Departures, all at toy scale: widths (512 in the reference) and the latent size are fields;
 * every resolution has the same width up to 32 px, as the reference's nf() has, halved at 64 px;
 * no progressive growing (the reference grows from 8 px; we train the final resolution from
 * the start, its lod 0 network); Adam's learning rate is constant (the reference raises it to
 * 0.0015 at 128 px and above, sizes we do not have); G_ema's half-life defaults to 0.5 kimg, not
 * 10: the reference's is 1/2500 of its 25,000 kimg run, and 10 kimg would keep G_ema near its
 * initial weights for a whole toy run of a few tens of kimg. Leaky ReLU is written relu(x) - a relu(-x)
 * for R1's second-order gradients (identical values).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../core/random';
import { avgPool2, upsampleNearest2 } from './shared/conv';
import { copyWeights, updateEma } from './shared/ema';
import { leakyRelu } from './shared/layers';
import type { ModelNetworks } from './shared/networks';
import { adam, minimizeTerms } from './shared/optim';
import { Params } from './shared/params';
import { r1Penalty } from './shared/penalties';
import {
  blur121,
  equalizedConv,
  equalizedDense,
  minibatchStddev,
  pixelNorm,
  styleInstanceNorm,
  styleModulate,
} from './shared/styled';
import type { StyleGanConfig } from './stylegan.config';

export type Arch = Pick<
  StyleGanConfig,
  'imageSize' | 'latentDim' | 'mappingLayers' | 'mappingLrMul' | 'width'
>;

export const STYLEGAN_LOSS_NAMES = ['D adversarial', 'R1', 'G adversarial'] as const;

/** Layers of styles and noise: two per resolution from 4 x 4 up, 2 log2(size) - 2. */
export const layerCount = (imageSize: number) => 2 * Math.log2(imageSize) - 2;
/** The resolution layer i works at (4, 4, 8, 8, ...). */
export const layerResolution = (i: number) => 4 * 2 ** Math.floor(i / 2);
/** Channels at a resolution: `width` up to 32 px (as the reference's nf()), halved above. */
export const channelsAt = (width: number, res: number) =>
  Math.max(1, Math.min(width, Math.floor((width * 32) / res)));

const lrelu = (x: tf.Tensor4D) => leakyRelu(x, 0.2) as tf.Tensor4D;

/** The reference's lerp: a + (b - a) t. */
const lerp = (a: tf.Tensor, b: tf.Tensor, t: number) => tf.add(a, tf.mul(tf.sub(b, a), t));

export interface Generator {
  readonly params: Params;
  /** f: z [N, L] -> w [N, L]. */
  mapping(z: tf.Tensor2D): tf.Tensor2D;
  /** g: one w per layer, one noise map [N, res, res, 1] per layer -> images [N, S, S, 3]. */
  synthesis(ws: readonly tf.Tensor2D[], noise: readonly tf.Tensor4D[]): tf.Tensor4D;
  /** The tracked mean w (non-trainable: saved, copied by the EMA). */
  readonly wAvg: tf.Variable;
}

export function buildGenerator(params: Params, a: Arch): Generator {
  const L = a.latentDim;
  const dense = Array.from({ length: a.mappingLayers }, (_, i) =>
    equalizedDense(params, `mapping/Dense${i}`, L, L, { lrMul: a.mappingLrMul }),
  );
  const wAvg = params.state('dlatent_avg', [L], 0);
  const layers = layerCount(a.imageSize);
  const constC = channelsAt(a.width, 4);
  const constant = params.constant('4x4/Const/const', [1, 4, 4, constC], 1);
  const epilogues = Array.from({ length: layers }, (_, i) => {
    const res = layerResolution(i);
    const c = channelsAt(a.width, res);
    const name = `${res}x${res}/${i === 0 ? 'Const' : i % 2 === 1 ? 'Conv' : 'Conv0_up'}`;
    const noiseWeight = params.constant(`${name}/Noise/weight`, [c], 0);
    const bias = params.constant(`${name}/bias`, [c], 0);
    const style = equalizedDense(params, `${name}/StyleMod`, L, 2 * c, { gain: 1 });
    return (x: tf.Tensor4D, w: tf.Tensor2D, noise: tf.Tensor4D) => {
      const noisy = tf.add(tf.add(x, tf.mul(noise, noiseWeight)), bias) as tf.Tensor4D;
      return styleModulate(styleInstanceNorm(lrelu(noisy)), style(w));
    };
  });
  // Layer i >= 1: a conv (after up-sampling and blur on the first layer of a resolution).
  const convs = Array.from({ length: layers }, (_, i) => {
    if (i === 0) return null;
    const res = layerResolution(i);
    const cIn = channelsAt(a.width, layerResolution(i - 1));
    const cOut = channelsAt(a.width, res);
    const name = `${res}x${res}/${i % 2 === 1 ? 'Conv' : 'Conv0_up'}`;
    const conv = equalizedConv(params, name, cIn, cOut, 3, { bias: false });
    return i % 2 === 1 ? conv : (x: tf.Tensor4D) => blur121(conv(upsampleNearest2(x)));
  });
  const toRgb = equalizedConv(params, 'ToRGB', channelsAt(a.width, a.imageSize), 3, 1, {
    gain: 1,
  });
  return {
    params,
    wAvg,
    mapping: (z) =>
      dense.reduce((h, layer) => leakyRelu(layer(h), 0.2) as tf.Tensor2D, pixelNorm(z)),
    synthesis(ws, noise) {
      if (ws.length !== layers || noise.length !== layers) {
        throw new Error(`Synthesis takes ${layers} styles and noise maps`);
      }
      const n = ws[0]!.shape[0];
      let x = tf.tile(constant, [n, 1, 1, 1]) as tf.Tensor4D;
      for (let i = 0; i < layers; i++) {
        if (i > 0) x = convs[i]!(x);
        x = epilogues[i]!(x, ws[i]!, noise[i]!);
      }
      return toRgb(x);
    },
  };
}

/** The progressive GAN's D with R1-safe ops: fromRGB, blocks down to 4 x 4, then the head. */
export function buildDiscriminator(params: Params, a: Arch, groupSize: number) {
  const top = a.imageSize;
  const fromRgb = equalizedConv(params, `FromRGB`, 3, channelsAt(a.width, top), 1);
  const blocks: ((x: tf.Tensor4D) => tf.Tensor4D)[] = [];
  for (let res = top; res > 4; res /= 2) {
    const c = channelsAt(a.width, res);
    const cNext = channelsAt(a.width, res / 2);
    const conv0 = equalizedConv(params, `${res}x${res}/Conv0`, c, c, 3);
    const conv1 = equalizedConv(params, `${res}x${res}/Conv1_down`, c, cNext, 3, { bias: false });
    const bias1 = params.constant(`${res}x${res}/Conv1_down/b`, [cNext], 0);
    blocks.push((x) => {
      const h = lrelu(conv0(x));
      // conv2d_downscale2d at small sizes: conv, then 2 x 2 average; bias after, as apply_bias.
      return lrelu(tf.add(avgPool2(conv1(blur121(h))), bias1) as tf.Tensor4D);
    });
  }
  const c4 = channelsAt(a.width, 4);
  const conv = equalizedConv(params, '4x4/Conv', c4 + 1, c4, 3);
  const dense0 = equalizedDense(params, '4x4/Dense0', 16 * c4, c4);
  const dense1 = equalizedDense(params, '4x4/Dense1', c4, 1, { gain: 1 });
  return (x: tf.Tensor4D): tf.Tensor2D => {
    let h = lrelu(fromRgb(x));
    for (const block of blocks) h = block(h);
    h = lrelu(conv(minibatchStddev(h, groupSize)));
    const flat = tf.reshape(h, [h.shape[0], -1]) as tf.Tensor2D;
    return dense1(leakyRelu(dense0(flat), 0.2) as tf.Tensor2D);
  };
}

/** The per-layer w list for a crossover: layers before it take w1, the rest w2. */
export function mixStyles(
  w1: tf.Tensor2D,
  w2: tf.Tensor2D,
  crossover: number,
  layers: number,
): tf.Tensor2D[] {
  return Array.from({ length: layers }, (_, i) => (i < crossover ? w1 : w2));
}

/**
 * Truncation toward the mean: w' = w_avg + psi (w - w_avg) on layers [from, to), untouched
 * elsewhere (the reference: psi 0.7 on layers before the cutoff 8).
 */
export function truncate(
  ws: readonly tf.Tensor2D[],
  wAvg: tf.Tensor,
  psi: number,
  from: number,
  to: number,
): tf.Tensor2D[] {
  // Written psi w + (1 - psi) w_avg so that psi 1 gives w and psi 0 gives w_avg exactly.
  return ws.map((w, i) =>
    i >= from && i < to ? (tf.add(tf.mul(w, psi), tf.mul(wAvg, 1 - psi)) as tf.Tensor2D) : w,
  );
}

/** What one training pass draws: latents, the mixing decision and the noise maps. */
export interface Draws {
  readonly z1: tf.Tensor2D;
  readonly z2: tf.Tensor2D;
  /** The first layer that takes z2's w (= layer count when not mixing). */
  readonly crossover: number;
  readonly noise: readonly tf.Tensor4D[];
}

export class StyleGan {
  readonly G: Generator;
  /** G_ema: the moving average of G's weights that every image shown comes from. */
  readonly Gs: Generator;
  readonly D: (x: tf.Tensor4D) => tf.Tensor2D;
  readonly paramsD: Params;
  readonly optG: tf.Optimizer;
  readonly optD: tf.Optimizer;
  readonly layers: number;
  /** The EMA decay per G step, 0.5^(batch / (G_smoothing_kimg * 1000)) as the reference. */
  readonly emaBeta: number;

  constructor(
    readonly config: StyleGanConfig,
    rng: Rng,
  ) {
    this.layers = layerCount(config.imageSize);
    this.G = buildGenerator(new Params('G', rng.fork('G')), config);
    this.paramsD = new Params('D', rng.fork('D'));
    this.D = buildDiscriminator(this.paramsD, config, Math.min(4, config.batchSize));
    this.Gs = buildGenerator(new Params('Gs', rng.fork('Gs')), config);
    if (!this.G.params.shapeOnly) copyWeights(this.Gs.params, this.G.params);
    this.optG = adam(config.lr, config.beta1, config.beta2);
    this.optD = adam(config.lr, config.beta1, config.beta2);
    this.emaBeta = 0.5 ** (config.batchSize / (config.emaKimg * 1000));
  }

  /** Per-layer w of a training pass: f(z1) before the crossover, f(z2) from it. */
  private trainingStyles(d: Draws): tf.Tensor2D[] {
    const w1 = this.G.mapping(d.z1);
    const w2 = d.crossover < this.layers ? this.G.mapping(d.z2) : w1;
    return mixStyles(w1, w2, d.crossover, this.layers);
  }

  /** w_avg <- lerp(mean over the batch of f(z1), w_avg, beta), as the reference's update op. */
  private trackMean(z1: tf.Tensor2D): void {
    tf.tidy(() => {
      const batchMean = tf.mean(this.G.mapping(z1), 0);
      this.G.wAvg.assign(lerp(batchMean, this.G.wAvg, this.config.wAvgBeta) as tf.Tensor1D);
    });
  }

  /** D's terms: [E softplus(D(fake)) + E softplus(-D(real)), R1]; returns them stacked. */
  dLossTerms(real: tf.Tensor4D, d: Draws) {
    const fake = tf.tidy(() => this.G.synthesis(this.trainingStyles(d), d.noise));
    const result = minimizeTerms(this.optD, this.paramsD.list(), () => {
      // L_adv = E[softplus(D(G(z)))] + E[softplus(-D(x))]
      const adv = tf.add(
        tf.mean(tf.softplus(this.D(fake))),
        tf.mean(tf.softplus(tf.neg(this.D(real)))),
      ) as tf.Scalar;
      // R1 = 0.5 E[||grad_x D(x)||^2]; the reference adds (gamma / 2) E[||grad||^2] = gamma R1.
      const r1 = r1Penalty((x: tf.Tensor4D) => this.D(x), real);
      return { total: tf.add(adv, tf.mul(this.config.r1Gamma, r1)) as tf.Scalar, terms: [adv, r1] };
    });
    fake.dispose();
    // G's weights did not change in D's step: the mean moves as in the reference's D pass.
    this.trackMean(d.z1);
    return result;
  }

  trainD(real: tf.Tensor4D, d: Draws): tf.Tensor1D {
    return this.dLossTerms(real, d);
  }

  /** One G step on L_G = E[softplus(-D(G(z)))], then the EMA update of Gs. */
  trainG(d: Draws): tf.Tensor1D {
    // The reference updates w_avg from the same forward pass, i.e. with G before its step.
    this.trackMean(d.z1);
    const result = minimizeTerms(this.optG, this.G.params.list(), () => {
      // L_G = E[softplus(-D(G(z)))]
      const loss = tf.mean(
        tf.softplus(tf.neg(this.D(this.G.synthesis(this.trainingStyles(d), d.noise)))),
      ) as tf.Scalar;
      return { total: loss, terms: [loss] };
    });
    updateEma(this.Gs.params, this.G.params, this.emaBeta);
    return result;
  }

  /** Gs's images for per-layer w and noise maps. */
  sample(ws: readonly tf.Tensor2D[], noise: readonly tf.Tensor4D[]): tf.Tensor4D {
    return this.Gs.synthesis(ws, noise);
  }

  networks(): ModelNetworks {
    return {
      generators: [this.Gs.params, this.G.params],
      others: [this.paramsD],
      optimizers: [
        { optimizer: this.optG, params: this.G.params },
        { optimizer: this.optD, params: this.paramsD },
      ],
    };
  }

  dispose(): void {
    this.G.params.dispose();
    this.Gs.params.dispose();
    this.paramsD.dispose();
    this.optG.dispose();
    this.optD.dispose();
  }
}
