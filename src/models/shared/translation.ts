/**
 * Blocks of junyanz/pytorch-CycleGAN-and-pix2pix (networks.py), shared by CycleGAN, Pix2Pix and
 * UNIT: convolutions with reflection or zero padding and the reference's init_weights('normal')
 * (weights N(0, 0.02), biases 0; PyTorch-GAN's UNIT keeps PyTorch's default biases), the ResNet
 * block (PyTorch-GAN's ResidualBlock is the same block), the N-layer PatchGAN, and the transposed
 * convolution with output_padding that ResnetGenerator up-samples with. NHWC; filters as in
 * conv.ts ([kh, kw, in, out], transposed [kh, kw, out, in]). Instance norm is conv.ts's, without
 * affine (get_norm_layer('instance'): affine=False, track_running_stats=False), so conv biases
 * stay on (use_bias is True for instance norm in the reference).
 */
import * as tf from '@tensorflow/tfjs-core';
import { instanceNorm, type Layer4D, relu, sequence } from './conv';
import { leakyRelu } from './layers';
import type { Params } from './params';

/** init_weights('normal', 0.02): conv weights N(0, 0.02), biases 0. */
export const INIT_STD = 0.02;

/**
 * nn.ReflectionPad2d(pad): mirrors the border without repeating the edge pixel. The forward pass
 * is TF.js's MirrorPad; the gradient is our own, because TF.js's (4.22) only slices the centre
 * out of dy, dropping what the mirrored pixels pass back to their sources. Ours adds each
 * mirrored band of dy, reversed, onto the rows (then columns) it was copied from.
 */
export function reflectionPad(x: tf.Tensor4D, pad: number): tf.Tensor4D {
  const [, h, w] = x.shape;
  if (pad >= h || pad >= w)
    throw new Error(`Reflection padding ${pad} needs more than ${pad} pixels`);
  const padded = tf.customGrad((...inputs: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const value = tf.mirrorPad(
      inputs[0] as tf.Tensor4D,
      [
        [0, 0],
        [pad, pad],
        [pad, pad],
        [0, 0],
      ],
      'reflect',
    );
    return {
      value,
      gradFunc: (dy: tf.Tensor) => foldAxis(foldAxis(dy as tf.Tensor4D, pad, 2), pad, 1),
    };
  });
  return padded(x) as tf.Tensor4D;
}

/**
 * The gradient of mirroring `pad` entries at both ends of `axis`: the centre of dy, plus the
 * leading band reversed onto entries 1..pad and the trailing band reversed onto n-1-pad..n-2.
 */
function foldAxis(dy: tf.Tensor4D, pad: number, axis: 1 | 2): tf.Tensor4D {
  const n = dy.shape[axis] - 2 * pad;
  const band = (start: number, size: number) => {
    const begin = [0, 0, 0, 0];
    const sizes = [-1, -1, -1, -1];
    begin[axis] = start;
    sizes[axis] = size;
    return tf.slice(dy, begin, sizes);
  };
  // Zeros around a band by tf.pad (one kernel on the device); building them with tf.zeros would
  // upload a buffer from JavaScript, four per padded convolution per backward pass.
  const placed = (t: tf.Tensor4D, before: number, after: number) => {
    const widths: [number, number][] = [
      [0, 0],
      [0, 0],
      [0, 0],
      [0, 0],
    ];
    widths[axis] = [before, after];
    return tf.pad(t, widths);
  };
  // Leading band: padded index k < pad holds source pad - k, i.e. reversed sources 1..pad.
  const lead = placed(tf.reverse(band(0, pad), axis), 1, n - 1 - pad);
  // Trailing band: padded index pad + n + k holds source n - 2 - k: reversed n-1-pad..n-2.
  const trail = placed(tf.reverse(band(pad + n, pad), axis), n - 1 - pad, 1);
  return tf.addN([band(pad, n), lead, trail]) as tf.Tensor4D;
}

export interface TranslationConv {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernel: number;
  readonly stride?: number;
  readonly pad?: number;
  /** 'reflect' pads with ReflectionPad2d before a padding-free conv; 'zero' is Conv2d's own. */
  readonly padMode?: 'zero' | 'reflect';
  readonly bias?: boolean;
  /**
   * 'zero': init_weights' constant 0 (junyanz). 'torch': PyTorch's own default, U(-1/sqrt(fan_in),
   * 1/sqrt(fan_in)), which PyTorch-GAN's weights_init_normal leaves in place.
   */
  readonly biasInit?: 'zero' | 'torch';
}

/** A conv's bias under either initialisation; fanIn as PyTorch counts it (weight.size(1) k k). */
function convBias(params: Params, name: string, spec: TranslationConv, fanIn: number) {
  if (spec.bias === false) return null;
  return spec.biasInit === 'torch'
    ? params.uniform(`${name}/b`, [spec.outChannels], 1 / Math.sqrt(fanIn))
    : params.constant(`${name}/b`, [spec.outChannels], 0);
}

/** Conv2d with the reference's initialisation and either padding mode. */
export function translationConv(params: Params, name: string, spec: TranslationConv): Layer4D {
  const { inChannels, outChannels, kernel } = spec;
  const stride = spec.stride ?? 1;
  const pad = spec.pad ?? 0;
  const W = params.normal(`${name}/W`, [kernel, kernel, inChannels, outChannels], 0, INIT_STD);
  const b = convBias(params, name, spec, inChannels * kernel * kernel);
  return (x) => {
    let input = x;
    if (pad > 0) {
      input =
        spec.padMode === 'reflect'
          ? reflectionPad(x, pad)
          : tf.pad(x, [
              [0, 0],
              [pad, pad],
              [pad, pad],
              [0, 0],
            ]);
    }
    const y = tf.conv2d(input, W as tf.Tensor4D, stride, 'valid');
    return b ? tf.add(y, b) : y;
  };
}

/**
 * ConvTranspose2d(k, s, padding, output_padding) with the reference's initialisation: the full
 * ('valid') transposed conv, (H - 1) s + k rows, cropped to rows [pad, pad + out) where
 * out = (H - 1) s - 2 pad + k + output_padding (TF's 'same' differs by a one-row shift for k3
 * s2 p1 op1, ResnetGenerator's up-sampling).
 */
export function translationConvTranspose(
  params: Params,
  name: string,
  spec: TranslationConv & { readonly outputPadding?: number },
): Layer4D {
  const { inChannels, outChannels, kernel } = spec;
  const stride = spec.stride ?? 2;
  const pad = spec.pad ?? 1;
  const extra = spec.outputPadding ?? 0;
  if (extra > pad) throw new Error('output_padding beyond the padding is not supported');
  const W = params.normal(`${name}/W`, [kernel, kernel, outChannels, inChannels], 0, INIT_STD);
  // A transposed conv's weight is [in, out, k, k] in PyTorch: its fan_in counts out channels.
  const b = convBias(params, name, spec, outChannels * kernel * kernel);
  return (x) => {
    const [n, h, w] = x.shape;
    const full = (s: number) => (s - 1) * stride + kernel;
    const y = tf.conv2dTranspose(
      x,
      W as tf.Tensor4D,
      [n, full(h), full(w), outChannels],
      stride,
      'valid',
    );
    const out = (s: number) => full(s) - 2 * pad + extra;
    const cropped = tf.slice(y, [0, pad, pad, 0], [n, out(h), out(w), outChannels]);
    return b ? tf.add(cropped, b) : cropped;
  };
}

/** Instance norm without affine (nothing to learn, so no weights are made). */
export function plainInstanceNorm(params: Params, name: string, channels: number): Layer4D {
  return instanceNorm(params, name, channels, false);
}

/**
 * ResnetBlock (reflection padding, no dropout): x + IN(conv3(pad(ReLU(IN(conv3(pad(x))))))).
 */
export function resnetBlock(
  params: Params,
  name: string,
  channels: number,
  biasInit: TranslationConv['biasInit'] = 'zero',
): Layer4D {
  const spec = {
    inChannels: channels,
    outChannels: channels,
    kernel: 3,
    pad: 1,
    biasInit,
  } as const;
  const body = sequence(
    translationConv(params, `${name}/conv0`, { ...spec, padMode: 'reflect' }),
    plainInstanceNorm(params, `${name}/norm0`, channels),
    relu,
    translationConv(params, `${name}/conv1`, { ...spec, padMode: 'reflect' }),
    plainInstanceNorm(params, `${name}/norm1`, channels),
  );
  return (x) => tf.add(x, body(x));
}

export const leaky: Layer4D = (x) => leakyRelu(x, 0.2) as tf.Tensor4D;

/**
 * NLayerDiscriminator (the 70 x 70 PatchGAN at 256 px): C(ndf) k4 s2 without norm, LReLU 0.2;
 * nLayers - 1 more k4 s2 convs doubling channels (at most 8 ndf) with IN and LReLU; one k4 s1
 * conv with IN and LReLU; a k4 s1 conv to one channel: a map of raw realness scores (no
 * sigmoid; the loss decides). At 32 px with 3 layers the map is 2 x 2.
 */
export function patchGan(
  params: Params,
  name: string,
  inChannels: number,
  ndf: number,
  nLayers: number,
): Layer4D {
  const k4 = (i: number, o: number, stride: number) => ({
    inChannels: i,
    outChannels: o,
    kernel: 4,
    stride,
    pad: 1,
  });
  const layers: Layer4D[] = [
    translationConv(params, `${name}/conv0`, k4(inChannels, ndf, 2)),
    leaky,
  ];
  let channels = ndf;
  for (let n = 1; n <= nLayers; n++) {
    const next = ndf * Math.min(2 ** n, 8);
    const stride = n < nLayers ? 2 : 1;
    layers.push(
      translationConv(params, `${name}/conv${n}`, k4(channels, next, stride)),
      plainInstanceNorm(params, `${name}/norm${n}`, next),
      leaky,
    );
    channels = next;
  }
  layers.push(translationConv(params, `${name}/out`, k4(channels, 1, 1)));
  return sequence(...layers);
}

/** A generator's stem or head: ReflectionPad2d(3), Conv k7 (the ResNet generators' both ends). */
export function reflectConv7(
  params: Params,
  name: string,
  inChannels: number,
  outChannels: number,
  biasInit: TranslationConv['biasInit'] = 'zero',
): Layer4D {
  const spec = { inChannels, outChannels, kernel: 7, pad: 3, biasInit } as const;
  return translationConv(params, name, { ...spec, padMode: 'reflect' });
}

/** How a generator resamples: kernel, activation after instance norm, and conv options. */
export interface Resampling {
  readonly kernel: number;
  readonly act: Layer4D;
  readonly outputPadding?: number;
  readonly biasInit?: TranslationConv['biasInit'];
}

/**
 * `count` x (conv k s2 p1 to twice the channels, IN, act), named <name>/down<i> ('down'), or
 * `count` x (ConvTranspose k s2 p1 to half the channels, IN, act), named <name>/up<i> ('up');
 * returns the layers and the channels after them.
 */
export function resampling(
  params: Params,
  name: string,
  way: 'down' | 'up',
  channels: number,
  count: number,
  r: Resampling,
): [Layer4D[], number] {
  const layers: Layer4D[] = [];
  for (let i = 0; i < count; i++) {
    const next = way === 'down' ? channels * 2 : channels / 2;
    const prefix = `${name}/${way}${i}`;
    const spec = {
      inChannels: channels,
      outChannels: next,
      kernel: r.kernel,
      stride: 2,
      pad: 1,
      biasInit: r.biasInit,
    };
    layers.push(
      way === 'down'
        ? translationConv(params, prefix, spec)
        : translationConvTranspose(params, prefix, { ...spec, outputPadding: r.outputPadding }),
      plainInstanceNorm(params, `${prefix}/norm`, next),
      r.act,
    );
    channels = next;
  }
  return [layers, channels];
}
