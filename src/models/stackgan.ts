/**
 * StackGAN++: Realistic Image Synthesis with Stacked Generative Adversarial Networks (Zhang et
 * al., 2018), https://arxiv.org/abs/1710.10916, after hanzhanggit/StackGAN-v2 (code/model.py,
 * code/trainer.py).
 *
 * A tree of generators: h_0 = F_0([c, z]) at 4 x 4, up-sampled to the first scale; h_i =
 * F_i(h_{i-1}, c) joins the previous stage's features with c tiled, runs residual blocks and
 * doubles the size; each stage has a tanh image head G_i(h_i), and its own discriminator D_i
 * with a conditional logit D_i(x, c) and an unconditional one D_i(x). c = mu + sigma eps comes
 * from the caption embedding through conditioning augmentation (in the unconditional mode
 * c = z and there is one logit per D). Objective per stage i (BCE on logits):
 *   L_D_i = [BCE(D_i(x_i, c), 1) + u BCE(D_i(x_i), 1)]
 *         + [BCE(D_i(x'_i, c), 0) + u BCE(D_i(x'_i), 1)]          (x' a mismatched real)
 *         + [BCE(D_i(s_i, c), 0) + u BCE(D_i(s_i), 0)]            (s_i = G_i(z, c))
 *   L_G = sum_i [BCE(D_i(s_i, c), 1) + u BCE(D_i(s_i), 1)] + l_KL KL(N(mu, sigma) || N(0, I))
 *         + l_C sum_i [MSE(mu_i, mu_{i-1}) + 5 MSE(Sigma_i, Sigma_{i-1})]    (colour)
 * Conditioning augmentation is the reference's CA_NET (a dense layer with bias from the text
 * embedding to 4 ef values, GLU, then the mu and logvar halves) with its KL weight COEFF.KL 2
 * (miscc/config.py; cfg/birds_3stages.yml keeps it).
 * Departures: the text embedding is our fixed bag of one-hot words (TEXT_DIM values, one per
 * content word; src/data/captions.ts) instead of the char-CNN-RNN's 1024; toy widths, three
 * stages at 16, 32 and 64 px (the reference's 64, 128 and 256)
 * with the discriminators' encoders shortened to match (down to 4 x 4 by two fewer
 * down-samplings); convolutions and linear layers start from PyTorch's default uniform
 * initialisation instead of orthogonal (batch norm scales do start at N(1, 0.02) as there);
 * D reads BCE on logits rather than sigmoid then BCELoss (the same value, without the log's
 * clamp at -100); the G step recomputes the fakes of the D step (same z, eps and weights)
 * without moving batch norm's running averages a second time.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../core/random';
import { TEXT_DIM } from '../data/captions';
import { batchNorm, conv2d, type Layer4D, type NormMode, sequence } from './shared/conv';
import { copyWeights, updateEma } from './shared/ema';
import { convBnGlu, glu, gluResBlock, upBlock } from './shared/glu';
import { dense, leakyRelu } from './shared/layers';
import { bceWithLogits } from './shared/losses';
import type { ModelNetworks } from './shared/networks';
import { adam, minimizeTerms } from './shared/optim';
import { Params } from './shared/params';
import { type StackGanConfig, stageSizes } from './stackgan.config';

/** weights_init's batch norm scale: N(1, 0.02). */
const BN_GAMMA_STD = 0.02;

// ---------------------------------------------------------------------------------------------
// Loss terms, each under its equation.
// ---------------------------------------------------------------------------------------------

/** KL(N(mu, sigma^2) || N(0, 1)) as the reference's KL_loss: -0.5 mean(1 + logvar - mu^2 - e^logvar). */
export function klLoss(mu: tf.Tensor2D, logvar: tf.Tensor2D): tf.Scalar {
  return tf.mul(
    -0.5,
    tf.mean(tf.sub(tf.sub(tf.add(1, logvar), tf.square(mu)), tf.exp(logvar))),
  ) as tf.Scalar;
}

/** x with no gradient flowing back through it (PyTorch's .detach(); TF.js has no stopGradient). */
export const detach = tf.customGrad((...inputs: (tf.Tensor | tf.GradSaveFunc)[]) => ({
  value: tf.clone(inputs[0] as tf.Tensor),
  gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy),
})) as unknown as <T extends tf.Tensor>(x: T) => T;

/** Per image: the channel means mu [N, 3] and the 3 x 3 pixel covariance Sigma [N, 3, 3]. */
export function meanCovariance(images: tf.Tensor4D): { mean: tf.Tensor2D; cov: tf.Tensor3D } {
  const [n, h, w, c] = images.shape;
  const mean = tf.mean(images, [1, 2], true);
  const centred = tf.reshape(tf.sub(images, mean), [n, h * w, c]) as tf.Tensor3D;
  // Sigma = X^T X / P with X the P x 3 centred pixels (compute_mean_covariance).
  const cov = tf.div(tf.matMul(centred, centred, true, false), h * w) as tf.Tensor3D;
  return { mean: tf.reshape(mean, [n, c]) as tf.Tensor2D, cov };
}

/**
 * The colour consistency terms between a finer stage and the coarser one before it (detached,
 * as the reference's fake_imgs[-2].detach()): MSE(mu_f, mu_c) and MSE(Sigma_f, Sigma_c).
 */
export function colourConsistency(
  fine: tf.Tensor4D,
  coarse: tf.Tensor4D,
): { mean: tf.Scalar; cov: tf.Scalar } {
  const f = meanCovariance(fine);
  const c = meanCovariance(detach(coarse));
  return {
    mean: tf.mean(tf.square(tf.sub(f.mean, c.mean))),
    cov: tf.mean(tf.square(tf.sub(f.cov, c.cov))),
  };
}

/** A stage discriminator's logits: conditional (null in the unconditional mode) and unconditional. */
export interface StageLogits {
  readonly cond: tf.Tensor1D | null;
  readonly uncond: tf.Tensor1D;
}

/** BCE(cond, t) + u BCE(uncond, tu); without a conditional logit, BCE(uncond, tu) alone. */
function pairBce(logits: StageLogits, target: 0 | 1, uncondTarget: 0 | 1, u: number): tf.Scalar {
  if (!logits.cond) return bceWithLogits(logits.uncond, uncondTarget);
  const cond = bceWithLogits(logits.cond, target);
  return u > 0 ? tf.add(cond, tf.mul(u, bceWithLogits(logits.uncond, uncondTarget))) : cond;
}

/**
 * One stage's D terms (train_Dnet): real [BCE(D(x, c), 1) + u BCE(D(x), 1)], wrong
 * [BCE(D(x', c), 0) + u BCE(D(x'), 1)] and fake [BCE(D(s, c), 0) + u BCE(D(s), 0)]; the
 * total is their sum, or real + (wrong + fake) / 2 when u = 0. Unconditional: real
 * BCE(D(x), 1) and fake BCE(D(s), 0), summed.
 */
export function jointLossD(
  logits: { real: StageLogits; wrong: StageLogits | null; fake: StageLogits },
  u: number,
): { total: tf.Scalar; terms: tf.Scalar[] } {
  const real = pairBce(logits.real, 1, 1, u);
  const fake = pairBce(logits.fake, 0, 0, u);
  if (!logits.wrong) return { total: tf.add(real, fake), terms: [real, fake] };
  // The wrong pair is a real image: unconditionally it is real, only its caption is wrong.
  const wrong = pairBce(logits.wrong, 0, 1, u);
  const total =
    u > 0 ? tf.addN([real, wrong, fake]) : tf.add(real, tf.mul(0.5, tf.add(wrong, fake)));
  return { total: total as tf.Scalar, terms: [real, wrong, fake] };
}

/** One stage's G term: BCE(D(s, c), 1) + u BCE(D(s), 1) (unconditional: BCE(D(s), 1)). */
export function stageLossG(fake: StageLogits, u: number): tf.Scalar {
  return pairBce(fake, 1, 1, u);
}

// ---------------------------------------------------------------------------------------------
// Networks.
// ---------------------------------------------------------------------------------------------

/** Tiles c [N, K] over an h x w map and puts it before x's channels: cat((c, x), 1). */
function joinCondition(c: tf.Tensor2D, x: tf.Tensor4D): tf.Tensor4D {
  const [n, h, w] = x.shape;
  const tiled = tf.tile(tf.reshape(c, [n, 1, 1, c.shape[1]]), [1, h, w, 1]);
  return tf.concat([tiled, x], 3) as tf.Tensor4D;
}

export interface GeneratorOutput {
  /** One image per stage, coarse to fine, in [-1, 1]. */
  readonly images: tf.Tensor4D[];
  /** Conditioning augmentation's mean and log variance (null in the unconditional mode). */
  readonly mu: tf.Tensor2D | null;
  readonly logvar: tf.Tensor2D | null;
}

export type Generator = (
  z: tf.Tensor2D,
  text: tf.Tensor2D | null,
  eps: tf.Tensor2D | null,
) => GeneratorOutput;

/** G_NET: CA_NET, INIT_STAGE_G, NEXT_STAGE_G per later stage, GET_IMAGE_G per stage. */
function generator(params: Params, config: StackGanConfig, mode: NormMode): Generator {
  const { gfDim, zDim, embeddingDim: ef, baseSize, branches, rNum } = config;
  const text = config.mode === 'text';
  // CA_NET: fc to 4 ef, GLU to 2 ef = [mu, logvar].
  const ca = text ? dense(params, 'ca/fc', TEXT_DIM, ef * 4) : null;
  const ups = Math.log2(baseSize / 4);
  const ngf0 = gfDim * 2 ** ups;
  const inDim = zDim + (text ? ef : 0);
  const fcW = params.uniform('init/fc/W', [inDim, ngf0 * 16 * 2], 1 / Math.sqrt(inDim));
  const fcBn = batchNorm<tf.Tensor2D>(params, 'init/fc/bn', ngf0 * 16 * 2, mode, BN_GAMMA_STD);
  const initUps: Layer4D[] = [];
  for (let i = 0; i < ups; i++) {
    initUps.push(
      upBlock(params, `init/up${i}`, ngf0 / 2 ** i, ngf0 / 2 ** (i + 1), mode, BN_GAMMA_STD),
    );
  }
  const init = sequence(...initUps);
  const condDim = text ? ef : zDim;
  const stages = Array.from({ length: branches - 1 }, (_, k) => {
    const ngf = gfDim / 2 ** k;
    const name = `stage${k + 1}`;
    const joint = convBnGlu(params, `${name}/joint`, ngf + condDim, ngf, mode, BN_GAMMA_STD);
    const residual = Array.from({ length: rNum }, (_, r) =>
      gluResBlock(params, `${name}/res${r}`, ngf, mode, BN_GAMMA_STD),
    );
    const up = upBlock(params, `${name}/up`, ngf, ngf / 2, mode, BN_GAMMA_STD);
    return (h: tf.Tensor4D, c: tf.Tensor2D) =>
      up(sequence(...residual)(joint(joinCondition(c, h))));
  });
  const heads = Array.from({ length: branches }, (_, i) => {
    const conv = conv2d(params, `img${i}/conv`, {
      inChannels: gfDim / 2 ** i,
      outChannels: 3,
      kernel: 3,
      pad: 1,
      bias: false,
    });
    return (h: tf.Tensor4D) => tf.tanh(conv(h)) as tf.Tensor4D;
  });
  return (z, embedding, eps) => {
    let mu: tf.Tensor2D | null = null;
    let logvar: tf.Tensor2D | null = null;
    let c: tf.Tensor2D = z;
    if (ca) {
      if (!embedding || !eps) throw new Error('Text mode needs a caption embedding and eps');
      const x = glu(ca.apply(embedding));
      mu = tf.slice(x, [0, 0], [-1, ef]);
      logvar = tf.slice(x, [0, ef], [-1, ef]);
      // c = mu + exp(logvar / 2) eps (reparametrize)
      c = tf.add(mu, tf.mul(tf.exp(tf.mul(logvar, 0.5)), eps));
    }
    const n = z.shape[0];
    const inCode = text ? tf.concat([c, z], 1) : z;
    const flat = glu(fcBn(tf.matMul(inCode, fcW)));
    // PyTorch's view(-1, ngf, 4, 4) is channel-major: reshape so, then move channels last.
    let h = init(tf.transpose(tf.reshape(flat, [n, ngf0, 4, 4]), [0, 2, 3, 1]) as tf.Tensor4D);
    const images = [heads[0]!(h)];
    stages.forEach((stage, k) => {
      h = stage(h, c);
      images.push(heads[k + 1]!(h));
    });
    return { images, mu, logvar };
  };
}

export type StageDiscriminator = (x: tf.Tensor4D, c: tf.Tensor2D | null) => StageLogits;

/**
 * D_NET64/128/256 shrunk: down-samplings to 4 x 4 (the first without batch norm), then 3 x 3
 * blocks halving the channels back to the first stage's width, a joint 3 x 3 block on
 * [c tiled, x code] before the conditional logit, and k4 s4 logit convs.
 */
function stageDiscriminator(
  params: Params,
  config: StackGanConfig,
  size: number,
): StageDiscriminator {
  const { dfDim: ndf, embeddingDim: ef, baseSize } = config;
  const downs = Math.log2(size / 4);
  const target = ndf * 2 ** (Math.log2(baseSize / 4) - 1);
  const lrelu: Layer4D = (x) => leakyRelu(x, 0.2) as tf.Tensor4D;
  const conv = (
    name: string,
    inChannels: number,
    outChannels: number,
    kernel: number,
    stride: number,
    pad: number,
  ) => conv2d(params, name, { inChannels, outChannels, kernel, stride, pad, bias: false });
  const bnLrelu = (name: string, channels: number): Layer4D[] => [
    batchNorm(params, name, channels, { training: true }, BN_GAMMA_STD),
    lrelu,
  ];
  const layers: Layer4D[] = [conv('down0/conv', 3, ndf, 4, 2, 1), lrelu];
  let channels = ndf;
  for (let j = 1; j < downs; j++) {
    layers.push(
      conv(`down${j}/conv`, channels, channels * 2, 4, 2, 1),
      ...bnLrelu(`down${j}/bn`, channels * 2),
    );
    channels *= 2;
  }
  for (let j = 0; channels > target; j++) {
    layers.push(
      conv(`reduce${j}/conv`, channels, channels / 2, 3, 1, 1),
      ...bnLrelu(`reduce${j}/bn`, channels / 2),
    );
    channels /= 2;
  }
  const encode = sequence(...layers);
  const text = config.mode === 'text';
  const joint = text
    ? sequence(conv('joint/conv', target + ef, target, 3, 1, 1), ...bnLrelu('joint/bn', target))
    : null;
  const logit = (name: string) => {
    const layer = conv2d(params, name, {
      inChannels: target,
      outChannels: 1,
      kernel: 4,
      stride: 4,
    });
    return (x: tf.Tensor4D) => tf.reshape(layer(x), [-1]) as tf.Tensor1D;
  };
  const logits = logit('logits');
  const uncondLogits = text ? logit('uncondLogits') : null;
  return (x, c) => {
    const code = encode(x);
    if (!joint || !uncondLogits) return { cond: null, uncond: logits(code) };
    if (!c) throw new Error('Text mode needs the condition');
    return { cond: logits(joint(joinCondition(c, code))), uncond: uncondLogits(code) };
  };
}

// ---------------------------------------------------------------------------------------------
// The model and its training iteration (condGANTrainer.train / GANTrainer.train).
// ---------------------------------------------------------------------------------------------

/** One iteration's data: per-stage reals, mismatched reals (text mode) and the noise. */
export interface StackGanBatch {
  /** The real images at each stage's size. */
  readonly reals: readonly tf.Tensor4D[];
  /** Real images whose captions do not match `text` (text mode), at each stage's size. */
  readonly wrongs: readonly tf.Tensor4D[] | null;
  readonly z: tf.Tensor2D;
  /** Caption embeddings [N, TEXT_DIM] (text mode). */
  readonly text: tf.Tensor2D | null;
  /** Conditioning augmentation's noise [N, embeddingDim] (text mode). */
  readonly eps: tf.Tensor2D | null;
}

export class StackGan {
  readonly sizes: readonly number[];
  readonly paramsG: Params;
  /** The average of G's weights that samples (avg_param_G). */
  readonly paramsGema: Params;
  readonly paramsD: readonly Params[];
  /** G's batch norm mode: training statistics, or frozen for the G step's second pass. */
  readonly normG: NormMode = { training: true };
  readonly normGema: NormMode = { training: false };
  readonly G: Generator;
  readonly Gema: Generator;
  readonly D: readonly StageDiscriminator[];
  private readonly optG: tf.AdamOptimizer;
  private readonly optD: readonly tf.AdamOptimizer[];

  constructor(
    readonly config: StackGanConfig,
    rng: Rng,
  ) {
    const { branches, gfDim, baseSize } = config;
    if (gfDim % 2 ** branches !== 0) {
      throw new Error(`G's width ${gfDim} must divide by ${2 ** branches} for ${branches} stages`);
    }
    this.sizes = stageSizes(config);
    this.paramsG = new Params('G', rng.fork('G'));
    this.G = generator(this.paramsG, config, this.normG);
    this.paramsGema = new Params('Gema', rng.fork('Gema'));
    this.Gema = generator(this.paramsGema, config, this.normGema);
    if (!this.paramsG.shapeOnly) copyWeights(this.paramsGema, this.paramsG);
    this.paramsD = this.sizes.map((_, i) => new Params(`D${i}`, rng.fork(`D${i}`)));
    this.D = this.sizes.map((s, i) => stageDiscriminator(this.paramsD[i]!, config, s));
    if (baseSize < 8) throw new Error('The first stage must be at least 8 px');
    this.optG = adam(config.lrG, config.beta1, config.beta2);
    this.optD = this.sizes.map(() => adam(config.lrD, config.beta1, config.beta2));
  }

  get text(): boolean {
    return this.config.mode === 'text';
  }

  /**
   * One iteration as the reference runs it: G's forward pass, an update of each D_i on its
   * stage, then (with `trainG`) one G update and the weight average. Returns each network's
   * terms: per D [real, wrong, fake] (no wrong unconditionally), then G's [per-stage adv, KL,
   * colour mean, colour cov] (as stackganLossNames lists them).
   */
  train(
    batch: StackGanBatch,
    phases: { d: boolean; g: boolean },
  ): { d: tf.Tensor1D[] | null; g: tf.Tensor1D | null } {
    let d: tf.Tensor1D[] | null = null;
    if (phases.d) {
      d = tf.tidy(() => {
        this.normG.frozen = false;
        const { images, mu } = this.G(batch.z, batch.text, batch.eps);
        return this.D.map((D, i) =>
          tf.keep(
            minimizeTerms(this.optD[i]!, this.paramsD[i]!.list(), () => {
              // D reads mu.detach() and the fakes detached: only D's weights are differentiated here.
              const c = mu;
              const real = D(batch.reals[i]!, c);
              const wrong = batch.wrongs ? D(batch.wrongs[i]!, c) : null;
              const fake = D(images[i]!, c);
              return jointLossD({ real, wrong, fake }, this.config.uncondLoss);
            }),
          ),
        );
      });
    }
    let g: tf.Tensor1D | null = null;
    if (phases.g) {
      // The D step ran G on this batch already: its fakes again, the running averages once.
      this.normG.frozen = phases.d;
      try {
        g = tf.tidy(() => minimizeTerms(this.optG, this.paramsG.list(), () => this.lossG(batch)));
      } finally {
        this.normG.frozen = false;
      }
      updateEma(this.paramsGema, this.paramsG, this.config.emaDecay);
    }
    return { d, g };
  }

  /** L_G = sum_i L_G_i + l_KL KL + l_C sum over stage pairs (MSE(mu) + 5 MSE(Sigma)). */
  lossG(batch: StackGanBatch): { total: tf.Scalar; terms: tf.Scalar[] } {
    const { uncondLoss, lambdaKl, lambdaColor } = this.config;
    const { images, mu, logvar } = this.G(batch.z, batch.text, batch.eps);
    const adv = this.D.map((D, i) => stageLossG(D(images[i]!, mu), uncondLoss));
    const terms = [...adv];
    const parts: tf.Scalar[] = [...adv];
    if (mu && logvar) {
      // KL(N(mu, sigma) || N(0, I)) weighted by COEFF.KL
      const kl = klLoss(mu, logvar);
      terms.push(kl);
      parts.push(tf.mul(lambdaKl, kl));
    }
    if (images.length > 1) {
      let mean = tf.scalar(0);
      let cov = tf.scalar(0);
      for (let i = images.length - 1; i >= 1; i--) {
        // l_C MSE(mu_i, mu_{i-1}) + 5 l_C MSE(Sigma_i, Sigma_{i-1})
        const colour = colourConsistency(images[i]!, images[i - 1]!);
        mean = tf.add(mean, colour.mean);
        cov = tf.add(cov, colour.cov);
      }
      terms.push(mean, cov);
      if (lambdaColor > 0) parts.push(tf.mul(lambdaColor, mean), tf.mul(5 * lambdaColor, cov));
    }
    return { total: tf.addN(parts) as tf.Scalar, terms };
  }

  /** Samples from the weight average with batch norm's running averages, every stage. */
  sample(z: tf.Tensor2D, text: tf.Tensor2D | null, eps: tf.Tensor2D | null): tf.Tensor4D[] {
    return this.Gema(z, text, eps).images;
  }

  networks(): ModelNetworks {
    return {
      // What a generator file needs to sample: the average alone (as StarGAN v2's), so the
      // trained file stays under the size budget; training on from such a file restarts the
      // live G from its initialisation (a full file keeps both).
      generators: [this.paramsGema],
      others: [this.paramsG, ...this.paramsD],
      optimizers: [
        { optimizer: this.optG, params: this.paramsG },
        ...this.optD.map((optimizer, i) => ({ optimizer, params: this.paramsD[i]! })),
      ],
    };
  }

  dispose(): void {
    this.paramsG.dispose();
    this.paramsGema.dispose();
    for (const p of this.paramsD) p.dispose();
    this.optG.dispose();
    for (const o of this.optD) o.dispose();
  }
}
