/**
 * Sum's and Mean's gradients with their ones made on the device. TF.js's multiply the incoming
 * gradient by ones(x.shape), which it builds as a JavaScript array: on the GPU backends an
 * upload of a whole activation's worth of ones for every reduction back-propagated (batch
 * norm's moments: eight a DCGAN iteration, each 4,096 values at the small size). onesLike(x)
 * is a fill kernel on the device; the values are the same. (Broadcasting dy instead would save
 * the multiply, but Tile's gradient, which R1's second order needs, stops at rank 4.)
 */
import * as tf from '@tensorflow/tfjs-core';

/** The incoming gradient with the reduced axes put back as 1s, spread over x's shape. */
function spread(dy: tf.Tensor, x: tf.Tensor, axis: number | number[]): tf.Tensor {
  const axes = tf.util.parseAxisParam(axis, x.shape);
  const kept = x.shape.map((size, i) => (axes.includes(i) ? 1 : size));
  return tf.mul(tf.reshape(dy, kept), tf.onesLike(x));
}

let registered = false;

export function registerReductionGradients(): void {
  if (registered) return;
  registered = true;
  tf.registerGradient({
    kernelName: tf.Sum,
    inputsToSave: ['x'],
    gradFunc: (dy, [x], attrs) => {
      const { axis } = attrs as unknown as tf.SumAttrs;
      return { x: () => spread(dy as tf.Tensor, x!, axis) };
    },
  });
  tf.registerGradient({
    kernelName: tf.Mean,
    inputsToSave: ['x'],
    gradFunc: (dy, [x], attrs) => {
      const { axis } = attrs as unknown as tf.MeanAttrs;
      const axes = tf.util.parseAxisParam(axis, x!.shape);
      const count = axes.reduce((n, i) => n * x!.shape[i]!, 1);
      return { x: () => tf.div(spread(dy as tf.Tensor, x!, axis), count) };
    },
  });
}
