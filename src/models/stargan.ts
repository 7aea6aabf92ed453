/**
 * StarGAN: Unified Generative Adversarial Networks for Multi-Domain Image-to-Image Translation
 * (Choi et al., 2018), https://arxiv.org/abs/1711.09020, after yunjey/stargan.
 *
 * One generator G(x, c) translates an image x to target domain labels c (tiled over the image
 * and concatenated to it); a PatchGAN discriminator D(x) gives a realness map D_src and domain
 * logits D_cls. Objective, with WGAN-GP as the adversarial loss:
 *   L_D = -D_src(x) + D_src(G(x, c)) + l_cls L_cls^r + l_gp L_gp
 *   L_G = -D_src(G(x, c)) + l_cls L_cls^f + l_rec |x - G(G(x, c), c')|
 * Departures: toy widths and depths; instance norm always uses instance statistics (the
 * reference's running averages are never used when it samples during training); leaky ReLU is
 * written with second-order gradients for the penalty.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../core/random';
import {
  conv2d,
  convTranspose2d,
  instanceNorm,
  type Layer4D,
  relu,
  sequence,
  tanh,
  tileLabels,
} from './shared/conv';
import { leakyRelu } from './shared/layers';
import {
  l1,
  multiLabelBce,
  softmaxCrossEntropy,
  wassersteinCritic,
  wassersteinGenerator,
} from './shared/losses';
import { type ModelNetworks, twoNetworks } from './shared/networks';
import { adam, minimizeTerms, setLearningRate } from './shared/optim';
import { Params } from './shared/params';
import { gradientPenalty } from './shared/penalties';
import type { StarGanConfig } from './stargan.config';

/** L_D = L_adv + lambda_cls L_cls^r + lambda_gp L_gp (solver.py's d_loss). */
export function starganLossD(
  terms: { readonly adv: tf.Scalar; readonly cls: tf.Scalar; readonly gp: tf.Scalar },
  weights: Pick<StarGanConfig, 'lambdaCls' | 'lambdaGp'>,
): tf.Scalar {
  return tf.addN([
    terms.adv,
    tf.mul(weights.lambdaCls, terms.cls),
    tf.mul(weights.lambdaGp, terms.gp),
  ]) as tf.Scalar;
}

/** L_G = L_adv + lambda_rec L_rec + lambda_cls L_cls^f (solver.py's g_loss). */
export function starganLossG(
  terms: { readonly adv: tf.Scalar; readonly cls: tf.Scalar; readonly rec: tf.Scalar },
  weights: Pick<StarGanConfig, 'lambdaCls' | 'lambdaRec'>,
): tf.Scalar {
  return tf.addN([
    terms.adv,
    tf.mul(weights.lambdaRec, terms.rec),
    tf.mul(weights.lambdaCls, terms.cls),
  ]) as tf.Scalar;
}

/** Where one data set's labels sit in c and in D's classification output. */
export interface LabelBlock {
  readonly offset: number;
  readonly size: number;
  /** Independent binary attributes (BCE) or one of N domains (softmax cross-entropy). */
  readonly kind: 'attributes' | 'oneOf';
}

export interface StarGanBatch {
  readonly xReal: tf.Tensor4D;
  /** Full label vectors given to G: the block's labels, zeros elsewhere, the mask if any. */
  readonly cOrg: tf.Tensor2D;
  readonly cTrg: tf.Tensor2D;
  /** The known block's labels, compared with D_cls. */
  readonly labelOrg: tf.Tensor2D;
  readonly labelTrg: tf.Tensor2D;
  readonly block: LabelBlock;
}

/**
 * L_cls on the block of D's logits whose labels are known (in mask-vector mode the other data
 * set's block is ignored): BCE summed over attributes, or softmax cross-entropy for one-of-N.
 */
export function domainClassificationLoss(
  logits: tf.Tensor2D,
  labels: tf.Tensor2D,
  block: LabelBlock,
): tf.Scalar {
  const known = tf.slice(logits, [0, block.offset], [logits.shape[0], block.size]);
  return block.kind === 'attributes'
    ? multiLabelBce(known, labels)
    : softmaxCrossEntropy(known, labels);
}

/** Generator: conv k7, 2 down-samplings, residual blocks, 2 up-samplings, conv k7, tanh. */
function generator(params: Params, config: StarGanConfig, cDim: number) {
  const layers: Layer4D[] = [];
  let channels = config.gConvDim;
  const normRelu = (name: string, c: number) => [instanceNorm(params, name, c, true), relu];
  layers.push(
    conv2d(params, 'in/conv', {
      inChannels: 3 + cDim,
      outChannels: channels,
      kernel: 7,
      pad: 3,
      bias: false,
    }),
    ...normRelu('in/norm', channels),
  );
  for (let i = 0; i < 2; i++) {
    const spec = {
      inChannels: channels,
      outChannels: channels * 2,
      kernel: 4,
      stride: 2,
      pad: 1,
      bias: false,
    };
    layers.push(conv2d(params, `down${i}/conv`, spec), ...normRelu(`down${i}/norm`, channels * 2));
    channels *= 2;
  }
  for (let i = 0; i < config.gRepeat; i++) {
    const spec = { inChannels: channels, outChannels: channels, kernel: 3, pad: 1, bias: false };
    const residual = sequence(
      conv2d(params, `res${i}/conv0`, spec),
      ...normRelu(`res${i}/norm0`, channels),
      conv2d(params, `res${i}/conv1`, spec),
      instanceNorm(params, `res${i}/norm1`, channels, true),
    );
    layers.push((x) => tf.add(x, residual(x)));
  }
  for (let i = 0; i < 2; i++) {
    const spec = {
      inChannels: channels,
      outChannels: channels / 2,
      kernel: 4,
      stride: 2,
      pad: 1,
      bias: false,
    };
    layers.push(
      convTranspose2d(params, `up${i}/deconv`, spec),
      ...normRelu(`up${i}/norm`, channels / 2),
    );
    channels /= 2;
  }
  layers.push(
    conv2d(params, 'out/conv', {
      inChannels: channels,
      outChannels: 3,
      kernel: 7,
      pad: 3,
      bias: false,
    }),
    tanh,
  );
  const body = sequence(...layers);
  return (x: tf.Tensor4D, c: tf.Tensor2D): tf.Tensor4D => body(tileLabels(x, c));
}

/** PatchGAN discriminator without normalisation: a realness map and domain logits. */
function discriminator(params: Params, config: StarGanConfig, clsDim: number) {
  const layers: Layer4D[] = [];
  let inChannels = 3;
  let channels = config.dConvDim;
  for (let i = 0; i < config.dRepeat; i++) {
    const spec = { inChannels, outChannels: channels, kernel: 4, stride: 2, pad: 1 };
    layers.push(conv2d(params, `down${i}/conv`, spec), (x) => leakyRelu(x, 0.01) as tf.Tensor4D);
    inChannels = channels;
    channels *= 2;
  }
  const trunk = sequence(...layers);
  const patch = config.imageSize / 2 ** config.dRepeat;
  const src = conv2d(params, 'src', { inChannels, outChannels: 1, kernel: 3, pad: 1, bias: false });
  const cls = conv2d(params, 'cls', {
    inChannels,
    outChannels: clsDim,
    kernel: patch,
    bias: false,
  });
  return (x: tf.Tensor4D) => {
    const h = trunk(x);
    return { src: src(h), cls: tf.reshape(cls(h), [x.shape[0], clsDim]) as tf.Tensor2D };
  };
}

export class StarGan {
  readonly paramsG: Params;
  readonly paramsD: Params;
  readonly G: (x: tf.Tensor4D, c: tf.Tensor2D) => tf.Tensor4D;
  readonly D: (x: tf.Tensor4D) => { src: tf.Tensor4D; cls: tf.Tensor2D };
  private readonly optG: tf.AdamOptimizer;
  private readonly optD: tf.AdamOptimizer;

  /** cDim: length of G's label input; clsDim: D's domain logits (the label blocks, no mask). */
  constructor(
    readonly config: StarGanConfig,
    readonly cDim: number,
    readonly clsDim: number,
    rng: Rng,
  ) {
    if (
      config.imageSize % 2 ** config.dRepeat !== 0 ||
      config.imageSize / 2 ** config.dRepeat < 1
    ) {
      throw new Error(`D cannot down-sample ${config.imageSize} px ${config.dRepeat} times`);
    }
    this.paramsG = new Params('G', rng.fork('G'));
    this.paramsD = new Params('D', rng.fork('D'));
    this.G = generator(this.paramsG, config, cDim);
    this.D = discriminator(this.paramsD, config, clsDim);
    this.optG = adam(config.lrG, config.beta1, config.beta2);
    this.optD = adam(config.lrD, config.beta1, config.beta2);
  }

  setLearningRates(lrG: number, lrD: number): void {
    setLearningRate(this.optG, lrG);
    setLearningRate(this.optD, lrD);
  }

  /** One D update; returns [D adv, D cls, D gp]. alpha: [N, 1, 1, 1] interpolation weights. */
  trainD(batch: StarGanBatch, alpha: tf.Tensor4D): tf.Tensor1D {
    return tf.tidy(() => {
      const xFake = this.G(batch.xReal, batch.cTrg);
      return minimizeTerms(this.optD, this.paramsD.list(), () => {
        const real = this.D(batch.xReal);
        const fake = this.D(xFake);
        // L_adv = -E[D_src(x)] + E[D_src(G(x, c))]
        const lossAdv = wassersteinCritic(real.src, fake.src);
        // L_cls^r = E[-log D_cls(c' | x)] on the real image's own labels
        const lossCls = domainClassificationLoss(real.cls, batch.labelOrg, batch.block);
        // L_gp = E[(||grad D_src(x^)||_2 - 1)^2]
        const lossGp = gradientPenalty((x) => this.D(x).src, batch.xReal, xFake, alpha);
        const total = starganLossD({ adv: lossAdv, cls: lossCls, gp: lossGp }, this.config);
        return { total, terms: [lossAdv, lossCls, lossGp] };
      });
    });
  }

  /** One G update; returns [G adv, G cls, G rec]. */
  trainG(batch: StarGanBatch): tf.Tensor1D {
    return tf.tidy(() =>
      minimizeTerms(this.optG, this.paramsG.list(), () => {
        const xFake = this.G(batch.xReal, batch.cTrg);
        const fake = this.D(xFake);
        // L_adv = -E[D_src(G(x, c))]
        const lossAdv = wassersteinGenerator(fake.src);
        // L_cls^f = E[-log D_cls(c | G(x, c))] on the target labels
        const lossCls = domainClassificationLoss(fake.cls, batch.labelTrg, batch.block);
        // L_rec = E[|x - G(G(x, c), c')|]
        const lossRec = l1(batch.xReal, this.G(xFake, batch.cOrg));
        const total = starganLossG({ adv: lossAdv, cls: lossCls, rec: lossRec }, this.config);
        return { total, terms: [lossAdv, lossCls, lossRec] };
      }),
    );
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
