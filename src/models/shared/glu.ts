import * as tf from '@tensorflow/tfjs-core';
import { batchNorm, conv2d, type Layer4D, type NormMode, sequence, upsampleNearest2 } from './conv';
import type { Params } from './params';

/**
 * Gated linear units and StackGAN++'s blocks built on them (hanzhanggit/StackGAN-v2,
 * model.py): GLU, upBlock, Block3x3_relu and ResBlock, NHWC.
 */

/** GLU over the last axis: the first half times sigmoid of the second, x[:C] * s(x[C:]). */
export function glu<T extends tf.Tensor>(x: T): T {
  const c = x.shape[x.rank - 1]!;
  if (c % 2 !== 0) throw new Error(`GLU needs an even channel count, got ${c}`);
  const [a, b] = tf.split(x, 2, x.rank - 1);
  return tf.mul(a!, tf.sigmoid(b!)) as T;
}

/**
 * conv3x3 (no bias) to 2 out channels, batch norm, GLU: the reference's Block3x3_relu.
 * gammaStd > 0 draws batch norm's scale from N(1, gammaStd) (the reference's weights_init).
 */
export function convBnGlu(
  params: Params,
  name: string,
  inChannels: number,
  outChannels: number,
  mode: NormMode,
  gammaStd = 0,
): Layer4D {
  return sequence(
    conv2d(params, `${name}/conv`, {
      inChannels,
      outChannels: outChannels * 2,
      kernel: 3,
      pad: 1,
      bias: false,
    }),
    batchNorm(params, `${name}/bn`, outChannels * 2, mode, gammaStd),
    glu,
  );
}

/** upBlock: nearest x2, conv3x3 to 2 out channels, batch norm, GLU. */
export function upBlock(
  params: Params,
  name: string,
  inChannels: number,
  outChannels: number,
  mode: NormMode,
  gammaStd = 0,
): Layer4D {
  return sequence(
    upsampleNearest2,
    convBnGlu(params, name, inChannels, outChannels, mode, gammaStd),
  );
}

/** ResBlock: x + BN(conv3x3(GLU(BN(conv3x3(x) to 2C))) to C). */
export function gluResBlock(
  params: Params,
  name: string,
  channels: number,
  mode: NormMode,
  gammaStd = 0,
) {
  const body = sequence(
    convBnGlu(params, `${name}/0`, channels, channels, mode, gammaStd),
    conv2d(params, `${name}/1/conv`, {
      inChannels: channels,
      outChannels: channels,
      kernel: 3,
      pad: 1,
      bias: false,
    }),
    batchNorm(params, `${name}/1/bn`, channels, mode, gammaStd),
  );
  return (x: tf.Tensor4D): tf.Tensor4D => tf.add(x, body(x));
}
