/**
 * StarGAN v2: Diverse Image Synthesis for Multiple Domains (Choi et al., CVPR 2020),
 * https://arxiv.org/abs/1912.01865, after clovaai/stargan-v2 (core/model.py, core/solver.py).
 *
 * G(x, s) translates an image x with a style code s; the mapping network F(z, y) turns a latent
 * z into domain y's style, the style encoder E(x, y) reads domain y's style from an image, and
 * D(x, y) gives domain y's real/fake logit. With s~ = F(z, y~) or E(x_ref, y~):
 *   L_D = BCE(D(x, y), 1) + BCE(D(G(x, s~), y~), 0) + lambda_reg R1
 *   L_G = BCE(D(G(x, s~), y~), 1) + lambda_sty |s~ - E(G(x, s~), y~)|
 *         - lambda_ds |G(x, s~1) - G(x, s~2)| + lambda_cyc |x - G(G(x, s~), E(x, y))|
 * Per iteration: D with a latent style, D with a reference style, G with latent styles (Adam
 * steps on G, F and E), G with reference styles (G only); then the EMA copies of G, F and E.
 *
 * Departures, all at toy scale: widths (convDim, maxConvDim, hiddenDim, styleDim) and G's depth
 * are fields, not the 256 px reference's; w_hpf = 0 always (no face-landmark network, as the
 * reference's AFHQ model). The EMA copies start equal to the trained networks: the reference
 * deep-copies them before he_init, so for its first few thousand of 100,000 iterations they
 * show a default-initialised network, which a toy run of a few thousand would show throughout.
 * Leaky ReLU and average pooling are written with second-order gradients for R1.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../core/random';
import { conv2d, instanceNorm, type Layer4D, sequence } from './shared/conv';
import { copyWeights, updateEma } from './shared/ema';
import { type Dense, dense, leakyRelu } from './shared/layers';
import { bceWithLogits, l1 } from './shared/losses';
import type { ModelNetworks } from './shared/networks';
import { adam, minimizeGroups, type OptimizerGroup } from './shared/optim';
import { Params } from './shared/params';
import { r1Penalty } from './shared/penalties';
import { adainResBlk, resBlk, type StyledLayer } from './shared/resblocks';
import type { StarGanV2Config } from './starganv2.config';

type Arch = Pick<
  StarGanV2Config,
  'imageSize' | 'convDim' | 'maxConvDim' | 'repeatNum' | 'styleDim' | 'latentDim' | 'hiddenDim'
>;

const lrelu: Layer4D = (x) => leakyRelu(x, 0.2) as tf.Tensor4D;

/** Picks row i's entry of domain y[i]: out [N, D, K] and one-hot y [N, D] -> [N, K]. */
function pickDomain(out: tf.Tensor3D, y: tf.Tensor2D): tf.Tensor2D {
  return tf.sum(tf.mul(out, tf.expandDims(y, 2)), 1) as tf.Tensor2D;
}

/** Generator: from_rgb, encode (down ResBlks + 2 bottleneck), decode (AdainResBlks), to_rgb. */
export function generator(params: Params, a: Arch) {
  if (a.imageSize % 2 ** a.repeatNum !== 0) {
    throw new Error(`G cannot down-sample ${a.imageSize} px ${a.repeatNum} times`);
  }
  let dimIn = a.convDim;
  const fromRgb = conv2d(params, 'from_rgb', {
    inChannels: 3,
    outChannels: dimIn,
    kernel: 3,
    pad: 1,
    he: true,
  });
  const encodeSpecs: { dimIn: number; dimOut: number; downsample: boolean }[] = [];
  // The decoder is built "stack-like" (decode.insert(0, ...)): decode.0 mirrors the last encoder.
  const decodeSpecs: { dimIn: number; dimOut: number; upsample: boolean }[] = [];
  let dimOut = dimIn;
  for (let i = 0; i < a.repeatNum; i++) {
    dimOut = Math.min(dimIn * 2, a.maxConvDim);
    encodeSpecs.push({ dimIn, dimOut, downsample: true });
    decodeSpecs.unshift({ dimIn: dimOut, dimOut: dimIn, upsample: true });
    dimIn = dimOut;
  }
  for (let i = 0; i < 2; i++) {
    encodeSpecs.push({ dimIn: dimOut, dimOut, downsample: false });
    decodeSpecs.unshift({ dimIn: dimOut, dimOut, upsample: false });
  }
  const encode = encodeSpecs.map((spec, i) =>
    resBlk(params, `encode.${i}`, { ...spec, normalize: true }),
  );
  const decode = decodeSpecs.map((spec, i) =>
    adainResBlk(params, `decode.${i}`, { ...spec, styleDim: a.styleDim }),
  );
  const toRgb = sequence(
    // to_rgb = Sequential(InstanceNorm2d(affine), LeakyReLU(0.2), Conv2d(dim, 3, 1)).
    instanceNorm(params, 'to_rgb.0', a.convDim, true),
    lrelu,
    conv2d(params, 'to_rgb.2', { inChannels: a.convDim, outChannels: 3, kernel: 1, he: true }),
  );
  return (x: tf.Tensor4D, s: tf.Tensor2D): tf.Tensor4D => {
    let h = encode.reduce((acc, block) => block(acc), fromRgb(x));
    h = decode.reduce((acc, block: StyledLayer) => block(acc, s), h);
    return toRgb(h);
  };
}

/** Mapping network: shared MLP z -> hidden (4 Linear + ReLU), one 4-layer head per domain. */
export function mappingNetwork(params: Params, a: Arch, numDomains: number) {
  const shared: Dense[] = [0, 2, 4, 6].map((k) =>
    dense(params, `shared.${k}`, k === 0 ? a.latentDim : a.hiddenDim, a.hiddenDim, true),
  );
  const heads = Array.from({ length: numDomains }, (_, d) =>
    [0, 2, 4, 6].map((k) =>
      dense(params, `unshared.${d}.${k}`, a.hiddenDim, k === 6 ? a.styleDim : a.hiddenDim, true),
    ),
  );
  const mlp = (layers: Dense[], x: tf.Tensor2D, lastLinear: boolean) =>
    layers.reduce(
      (h, layer, i) =>
        lastLinear && i === layers.length - 1 ? layer.apply(h) : tf.relu(layer.apply(h)),
      x,
    );
  return (z: tf.Tensor2D, y: tf.Tensor2D): tf.Tensor2D => {
    const h = mlp(shared, z, false);
    const out = tf.stack(
      heads.map((head) => mlp(head, h, true)),
      1,
    ) as tf.Tensor3D;
    return pickDomain(out, y);
  };
}

/** The trunk E and D share: conv k3, down ResBlks to 4 x 4, LReLU, conv k4 valid, LReLU. */
function trunk(params: Params, a: Arch, prefix: string) {
  const repeat = Math.log2(a.imageSize) - 2;
  let dimIn = a.convDim;
  let dimOut = dimIn;
  const layers: Layer4D[] = [
    conv2d(params, `${prefix}.0`, {
      inChannels: 3,
      outChannels: dimIn,
      kernel: 3,
      pad: 1,
      he: true,
    }),
  ];
  for (let i = 0; i < repeat; i++) {
    dimOut = Math.min(dimIn * 2, a.maxConvDim);
    layers.push(
      resBlk(params, `${prefix}.${i + 1}`, { dimIn, dimOut, normalize: false, downsample: true }),
    );
    dimIn = dimOut;
  }
  layers.push(
    lrelu,
    conv2d(params, `${prefix}.${repeat + 2}`, {
      inChannels: dimOut,
      outChannels: dimOut,
      kernel: 4,
      he: true,
    }),
    lrelu,
  );
  return { body: sequence(...layers), dimOut, next: repeat + 4 };
}

/** Style encoder: the shared trunk, then one Linear -> style_dim per domain. */
export function styleEncoder(params: Params, a: Arch, numDomains: number) {
  const shared = trunk(params, a, 'shared');
  const heads = Array.from({ length: numDomains }, (_, d) =>
    dense(params, `unshared.${d}`, shared.dimOut, a.styleDim, true),
  );
  return (x: tf.Tensor4D, y: tf.Tensor2D): tf.Tensor2D => {
    const h = tf.reshape(shared.body(x), [x.shape[0], shared.dimOut]) as tf.Tensor2D;
    return pickDomain(
      tf.stack(
        heads.map((head) => head.apply(h)),
        1,
      ) as tf.Tensor3D,
      y,
    );
  };
}

/** Discriminator: the same trunk, then conv 1x1 -> one logit per domain; domain y's is taken. */
export function discriminator(params: Params, a: Arch, numDomains: number) {
  const main = trunk(params, a, 'main');
  const out = conv2d(params, `main.${main.next}`, {
    inChannels: main.dimOut,
    outChannels: numDomains,
    kernel: 1,
    he: true,
  });
  return (x: tf.Tensor4D, y: tf.Tensor2D): tf.Tensor1D => {
    const logits = tf.reshape(out(main.body(x)), [x.shape[0], numDomains]) as tf.Tensor2D;
    return tf.sum(tf.mul(logits, y), 1) as tf.Tensor1D;
  };
}

/** One iteration's inputs, as the reference's InputFetcher gives them. Domains are one-hot. */
export interface StarGanV2Batch {
  readonly xReal: tf.Tensor4D;
  readonly yOrg: tf.Tensor2D;
  readonly yTrg: tf.Tensor2D;
  /** Two references of domain y_trg. */
  readonly xRef: tf.Tensor4D;
  readonly xRef2: tf.Tensor4D;
  readonly zTrg: tf.Tensor2D;
  readonly zTrg2: tf.Tensor2D;
}

/** Where a step's style comes from: latents through F, or references through E. */
export type StyleSource = 'latent' | 'ref';

/** L_D = L_real + L_fake + lambda_reg R1 (compute_d_loss). */
export function starganv2LossD(
  t: { readonly real: tf.Scalar; readonly fake: tf.Scalar; readonly reg: tf.Scalar },
  w: Pick<StarGanV2Config, 'lambdaReg'>,
): tf.Scalar {
  return tf.addN([t.real, t.fake, tf.mul(w.lambdaReg, t.reg)]) as tf.Scalar;
}

/** L_G = L_adv + lambda_sty L_sty - lambda_ds L_ds + lambda_cyc L_cyc (compute_g_loss). */
export function starganv2LossG(
  t: {
    readonly adv: tf.Scalar;
    readonly sty: tf.Scalar;
    readonly ds: tf.Scalar;
    readonly cyc: tf.Scalar;
  },
  w: Pick<StarGanV2Config, 'lambdaSty' | 'lambdaCyc'>,
  lambdaDs: number,
): tf.Scalar {
  return tf.addN([
    t.adv,
    tf.mul(w.lambdaSty, t.sty),
    tf.mul(-lambdaDs, t.ds),
    tf.mul(w.lambdaCyc, t.cyc),
  ]) as tf.Scalar;
}

/** The four networks and their EMA copies, their optimisers, and the reference's steps. */
export class StarGanV2 {
  readonly paramsG: Params;
  readonly paramsF: Params;
  readonly paramsE: Params;
  readonly paramsD: Params;
  readonly paramsGEma: Params;
  readonly paramsFEma: Params;
  readonly paramsEEma: Params;
  readonly G: (x: tf.Tensor4D, s: tf.Tensor2D) => tf.Tensor4D;
  readonly F: (z: tf.Tensor2D, y: tf.Tensor2D) => tf.Tensor2D;
  readonly E: (x: tf.Tensor4D, y: tf.Tensor2D) => tf.Tensor2D;
  readonly D: (x: tf.Tensor4D, y: tf.Tensor2D) => tf.Tensor1D;
  /** The EMA copies, used for every sample shown. */
  readonly GEma: (x: tf.Tensor4D, s: tf.Tensor2D) => tf.Tensor4D;
  readonly FEma: (z: tf.Tensor2D, y: tf.Tensor2D) => tf.Tensor2D;
  readonly EEma: (x: tf.Tensor4D, y: tf.Tensor2D) => tf.Tensor2D;
  readonly optG: tf.AdamOptimizer;
  readonly optF: tf.AdamOptimizer;
  readonly optE: tf.AdamOptimizer;
  readonly optD: tf.AdamOptimizer;

  constructor(
    readonly config: StarGanV2Config,
    readonly numDomains: number,
    rng: Rng,
  ) {
    const c = config;
    this.paramsG = new Params('G', rng.fork('G'));
    this.paramsF = new Params('F', rng.fork('F'));
    this.paramsE = new Params('E', rng.fork('E'));
    this.paramsD = new Params('D', rng.fork('D'));
    this.G = generator(this.paramsG, c);
    this.F = mappingNetwork(this.paramsF, c, numDomains);
    this.E = styleEncoder(this.paramsE, c, numDomains);
    this.D = discriminator(this.paramsD, c, numDomains);
    // The EMA copies: the same code under their own scopes, then set to the live weights.
    this.paramsGEma = new Params('G_ema', rng.fork('G_ema'));
    this.paramsFEma = new Params('F_ema', rng.fork('F_ema'));
    this.paramsEEma = new Params('E_ema', rng.fork('E_ema'));
    this.GEma = generator(this.paramsGEma, c);
    this.FEma = mappingNetwork(this.paramsFEma, c, numDomains);
    this.EEma = styleEncoder(this.paramsEEma, c, numDomains);
    if (!this.paramsG.shapeOnly) this.resetEma();
    this.optG = adam(c.lr, c.beta1, c.beta2);
    this.optF = adam(c.fLr, c.beta1, c.beta2);
    this.optE = adam(c.lr, c.beta1, c.beta2);
    this.optD = adam(c.lr, c.beta1, c.beta2);
  }

  /** Sets the EMA copies to the live networks. */
  resetEma(): void {
    copyWeights(this.paramsGEma, this.paramsG);
    copyWeights(this.paramsFEma, this.paramsF);
    copyWeights(this.paramsEEma, this.paramsE);
  }

  /** moving_average(nets.x, nets_ema.x, beta) for G, F and E. */
  updateEma(): void {
    updateEma(this.paramsGEma, this.paramsG, this.config.emaBeta);
    updateEma(this.paramsFEma, this.paramsF, this.config.emaBeta);
    updateEma(this.paramsEEma, this.paramsE, this.config.emaBeta);
  }

  private group(optimizer: tf.Optimizer, params: Params): OptimizerGroup {
    return { optimizer, variables: params.list(), weightDecay: this.config.weightDecay };
  }

  /** s~ for the batch: F(z, y~) or E(x_ref, y~) (the live networks, as in training). */
  private style(b: StarGanV2Batch, source: StyleSource, second: boolean): tf.Tensor2D {
    return source === 'latent'
      ? this.F(second ? b.zTrg2 : b.zTrg, b.yTrg)
      : this.E(second ? b.xRef2 : b.xRef, b.yTrg);
  }

  /** One D update (compute_d_loss); returns [real, fake, reg]. */
  trainD(b: StarGanV2Batch, source: StyleSource): tf.Tensor1D {
    return tf.tidy(() => {
      // x_fake under torch.no_grad(): no gradient reaches G, F or E.
      const xFake = this.G(b.xReal, this.style(b, source, false));
      return minimizeGroups([this.group(this.optD, this.paramsD)], () => {
        // L_real = BCE(D(x, y), 1)
        const real = bceWithLogits(this.D(b.xReal, b.yOrg), 1);
        // R1 = 0.5 mean_n sum (dD(x, y)/dx)^2
        const reg = r1Penalty((x: tf.Tensor4D) => this.D(x, b.yOrg), b.xReal);
        // L_fake = BCE(D(G(x, s~), y~), 0)
        const fake = bceWithLogits(this.D(xFake, b.yTrg), 0);
        return {
          total: starganv2LossD({ real, fake, reg }, this.config),
          terms: [real, fake, reg],
        };
      });
    });
  }

  /**
   * One G update (compute_g_loss): with latent styles it steps G, F and E; with reference
   * styles G alone. Returns [adv, sty, ds, cyc].
   */
  trainG(b: StarGanV2Batch, source: StyleSource, lambdaDs: number): tf.Tensor1D {
    const groups =
      source === 'latent'
        ? [
            this.group(this.optG, this.paramsG),
            this.group(this.optF, this.paramsF),
            this.group(this.optE, this.paramsE),
          ]
        : [this.group(this.optG, this.paramsG)];
    return tf.tidy(() => {
      // x_fake2 = G(x, s~2).detach(): computed before the taped pass, so no gradient reaches
      // G, F or E through it (the weights have not moved yet, so its value is the same).
      const xFake2 = this.G(b.xReal, this.style(b, source, true));
      return minimizeGroups(groups, () => {
        const sTrg = this.style(b, source, false);
        const xFake = this.G(b.xReal, sTrg);
        // L_adv = BCE(D(G(x, s~), y~), 1)
        const adv = bceWithLogits(this.D(xFake, b.yTrg), 1);
        // L_sty = mean |s~ - E(G(x, s~), y~)|
        const sty = l1(this.E(xFake, b.yTrg), sTrg);
        // L_ds = mean |G(x, s~1) - G(x, s~2)|, the second output detached as in the reference
        const ds = l1(xFake, xFake2);
        // L_cyc = mean |G(G(x, s~), E(x, y)) - x|
        const cyc = l1(this.G(xFake, this.E(b.xReal, b.yOrg)), b.xReal);
        const total = starganv2LossG({ adv, sty, ds, cyc }, this.config, lambdaDs);
        return { total, terms: [adv, sty, ds, cyc] };
      });
    });
  }

  /** The mean style of each domain over `z` (utils.translate_using_latent's s_avg): [D, S]. */
  meanStyles(z: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      const n = z.shape[0];
      const rows = Array.from({ length: this.numDomains }, (_, d) =>
        tf.mean(
          this.FEma(z, tf.oneHot(tf.fill([n], d, 'int32'), this.numDomains) as tf.Tensor2D),
          0,
        ),
      );
      return tf.stack(rows) as tf.Tensor2D;
    });
  }

  networks(): ModelNetworks {
    return {
      // What a generator file needs to sample: the EMA copies (and the live G, F, E to go on).
      generators: [this.paramsGEma, this.paramsFEma, this.paramsEEma],
      others: [this.paramsG, this.paramsF, this.paramsE, this.paramsD],
      optimizers: [
        { optimizer: this.optG, params: this.paramsG },
        { optimizer: this.optF, params: this.paramsF },
        { optimizer: this.optE, params: this.paramsE },
        { optimizer: this.optD, params: this.paramsD },
      ],
    };
  }

  dispose(): void {
    for (const p of [
      this.paramsG,
      this.paramsF,
      this.paramsE,
      this.paramsD,
      this.paramsGEma,
      this.paramsFEma,
      this.paramsEEma,
    ]) {
      p.dispose();
    }
    for (const o of [this.optG, this.optF, this.optE, this.optD]) o.dispose();
  }
}
