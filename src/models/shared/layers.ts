import * as tf from '@tensorflow/tfjs-core';
import type { Params } from './params';

export type Activation = 'relu' | 'leakyRelu' | 'tanh' | 'linear';

/**
 * Leaky ReLU written as relu(x) - a relu(-x). TF.js's own leakyRelu has no second-order
 * gradient (its gradient uses Greater, which has none), and the gradient penalties of
 * WGAN-GP, StarGAN and R1 differentiate through D twice.
 */
export function leakyRelu(x: tf.Tensor, alpha = 0.2): tf.Tensor {
  return tf.sub(tf.relu(x), tf.mul(alpha, tf.relu(tf.neg(x))));
}

export function activate(x: tf.Tensor, activation: Activation): tf.Tensor {
  switch (activation) {
    case 'relu':
      return tf.relu(x);
    case 'leakyRelu':
      return leakyRelu(x);
    case 'tanh':
      return tf.tanh(x);
    case 'linear':
      return x;
  }
}

export interface Dense {
  apply(x: tf.Tensor2D): tf.Tensor2D;
}

/**
 * Fully connected layer with PyTorch's nn.Linear initialisation, U(-1/sqrt(in), 1/sqrt(in)),
 * or with `he` N(0, sqrt(2 / in)) weights and zero bias (clovaai/stargan-v2's he_init).
 */
export function dense(
  params: Params,
  name: string,
  inDim: number,
  outDim: number,
  he = false,
): Dense {
  const bound = 1 / Math.sqrt(inDim);
  const W = he
    ? params.normal(`${name}/W`, [inDim, outDim], 0, Math.sqrt(2 / inDim))
    : params.uniform(`${name}/W`, [inDim, outDim], bound);
  const b = he
    ? params.constant(`${name}/b`, [outDim], 0)
    : params.uniform(`${name}/b`, [outDim], bound);
  return { apply: (x) => tf.add(tf.matMul(x, W), b) };
}

export interface MlpShape {
  readonly inDim: number;
  readonly hiddenLayers: number;
  readonly width: number;
  readonly outDim: number;
  readonly hidden: Activation;
  readonly output: Activation;
}

/** A stack of dense layers: hiddenLayers of `width` units, then a linear map to outDim. */
export function mlp(params: Params, shape: MlpShape): Dense {
  const layers: Dense[] = [];
  let inDim = shape.inDim;
  for (let i = 0; i < shape.hiddenLayers; i++) {
    layers.push(dense(params, `fc${i}`, inDim, shape.width));
    inDim = shape.width;
  }
  const out = dense(params, 'out', inDim, shape.outDim);
  return {
    apply(x) {
      let h: tf.Tensor2D = x;
      for (const layer of layers) h = activate(layer.apply(h), shape.hidden) as tf.Tensor2D;
      return activate(out.apply(h), shape.output) as tf.Tensor2D;
    },
  };
}
