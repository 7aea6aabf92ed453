import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/random';
import { Params } from './params';
import { patchGan, reflectionPad, resnetBlock, translationConvTranspose } from './translation';

describe('translation blocks', () => {
  it('reflection-pads as nn.ReflectionPad2d, and sends the mirrored gradients back', () => {
    const x = tf.tensor4d([1, 2, 3, 4], [1, 4, 1, 1]);
    // Padding 2 on both axes of a 1-wide image would mirror beyond it: pad rows of a 4 x 3 image.
    const wide = tf.tile(x, [1, 1, 3, 1]) as tf.Tensor4D;
    const padded = reflectionPad(wide, 2);
    expect(padded.shape).toEqual([1, 8, 7, 1]);
    expect(Array.from(tf.slice(padded, [0, 0, 3, 0], [1, 8, 1, 1]).dataSync())).toEqual([
      3, 2, 1, 2, 3, 4, 3, 2,
    ]);
    // d/dx sum(w * pad(x)) with w = 10^k at padded position k: each x collects its mirrors.
    const w = tf.tensor4d([1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7], [1, 8, 1, 1]);
    const grad = tf.grad((v: tf.Tensor) =>
      tf.sum(
        tf.mul(
          tf.transpose(
            reflectionPad(tf.transpose(v as tf.Tensor4D, [0, 2, 1, 3]), 2),
            [0, 2, 1, 3],
          ),
          w,
        ),
      ),
    )(tf.tile(x, [1, 1, 3, 1]) as tf.Tensor4D);
    // Padded row k holds x[3, 2, 1, 2, 3, 4, 3, 2][k], so x1 <- 100, x2 <- 10 + 1e3 + 1e7,
    // x3 <- 1 + 1e4 + 1e6, x4 <- 1e5; and padded along W too, column 0 of 3 appears twice
    // (itself and its mirror at pad 2), so column 0's gradient is twice that.
    const expected = [100, 10 + 1000 + 1e7, 1 + 1e4 + 1e6, 1e5].map((v) => 2 * v);
    expect(Array.from(tf.slice(grad, [0, 0, 0, 0], [1, 4, 1, 1]).dataSync())).toEqual(expected);
  });

  it("up-samples 2x with ConvTranspose2d(k3, s2, p1, output_padding 1)'s alignment", () => {
    const params = new Params('T', new Rng(1));
    const up = translationConvTranspose(params, 'up', {
      inChannels: 1,
      outChannels: 1,
      kernel: 3,
      stride: 2,
      pad: 1,
      outputPadding: 1,
      bias: false,
    });
    // A single 1 at input (0, 0) with an all-ones kernel: PyTorch writes rows/cols -1..1 of
    // the full output, cropped by 1: output (0..1, 0..1) are 1, the rest 0.
    const W = params.named().get('T/up/W')!;
    W.assign(tf.ones(W.shape));
    const x = tf.tensor4d([1, 0, 0, 0], [1, 2, 2, 1]);
    const y = up(x);
    expect(y.shape).toEqual([1, 4, 4, 1]);
    expect(Array.from(y.dataSync())).toEqual([1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    params.dispose();
  });

  it('keeps the shape through a ResNet block and maps 32 px to a 2 x 2 PatchGAN', () => {
    const params = new Params('T', new Rng(2));
    const block = resnetBlock(params, 'res', 4);
    const d = patchGan(params, 'D', 3, 4, 3);
    tf.tidy(() => {
      expect(block(tf.zeros([2, 8, 8, 4])).shape).toEqual([2, 8, 8, 4]);
      expect(d(tf.zeros([2, 32, 32, 3])).shape).toEqual([2, 2, 2, 1]);
    });
    // Instance norm without affine has no weights: two convs of the block, weights and biases.
    expect(params.specs().filter((s) => s.name.startsWith('T/res/')).length).toBe(4);
    params.dispose();
  });
});
