/**
 * Each family's combined objective, term by term, against values computed by hand: swapping
 * two loss weights, or the terms they weigh, changes a number here and fails.
 */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { GAN2D_DEFAULTS, WGAN_GP_LAMBDA } from './gan2d.config';
import { IMAGE_GAN_DEFAULTS } from './imagegan.config';
import { nonSaturatingLossD } from './shared/imagegan';
import { penalisedCriticLoss } from './shared/losses';
import { starganLossD, starganLossG } from './stargan';
import { STARGAN_DEFAULTS } from './stargan.config';

const value = (t: tf.Scalar) => {
  const v = t.dataSync()[0]!;
  t.dispose();
  return v;
};
const s = (v: number) => tf.scalar(v);

describe('combined objectives, by hand', () => {
  it('StarGAN D: L_adv + lambda_cls L_cls + lambda_gp L_gp with the reference weights 1, 10', () => {
    const { lambdaCls, lambdaGp } = STARGAN_DEFAULTS;
    expect([lambdaCls, lambdaGp]).toEqual([1, 10]);
    // 1.5 + 1 * 2 + 10 * 0.25
    const total = starganLossD({ adv: s(1.5), cls: s(2), gp: s(0.25) }, STARGAN_DEFAULTS);
    expect(value(total)).toBeCloseTo(6, 6);
    // The weights apply to their own terms: lambda_cls 3 triples cls only.
    const weighted = starganLossD(
      { adv: s(1.5), cls: s(2), gp: s(0.25) },
      { lambdaCls: 3, lambdaGp: 10 },
    );
    expect(value(weighted)).toBeCloseTo(10, 6);
  });

  it('StarGAN G: L_adv + lambda_rec L_rec + lambda_cls L_cls with the reference weights 10, 1', () => {
    const { lambdaCls, lambdaRec } = STARGAN_DEFAULTS;
    expect([lambdaCls, lambdaRec]).toEqual([1, 10]);
    // -0.5 + 10 * 0.3 + 1 * 2 = 4.5; with lambda_cls and lambda_rec swapped it would be 19.8.
    const total = starganLossG({ adv: s(-0.5), cls: s(2), rec: s(0.3) }, STARGAN_DEFAULTS);
    expect(value(total)).toBeCloseTo(4.5, 6);
    const swapped = starganLossG(
      { adv: s(-0.5), cls: s(2), rec: s(0.3) },
      { lambdaCls: 10, lambdaRec: 1 },
    );
    expect(value(swapped)).toBeCloseTo(19.8, 5);
  });

  it('WGAN-GP critic (image and 2D): -E[D(x)] + E[D(G(z))] + lambda L_gp, lambda 10', () => {
    expect(IMAGE_GAN_DEFAULTS['wgan-gp'].lambdaGp).toBe(10);
    expect(WGAN_GP_LAMBDA).toBe(10);
    // -E[D(x)] = -0.7, E[D(G(z))] = 0.2, L_gp = 0.05: -0.7 + 0.2 + 10 * 0.05
    const total = penalisedCriticLoss({ real: s(-0.7), fake: s(0.2), gp: s(0.05) }, 10);
    expect(value(total)).toBeCloseTo(0, 6);
    expect(value(penalisedCriticLoss({ real: s(-0.7), fake: s(0.2), gp: s(0.3) }, 10))).toBeCloseTo(
      2.5,
      6,
    );
  });

  it("GAN and DCGAN D: s (L_real + L_fake), halved as PyTorch-GAN's gan.py, whole as DCGAN's", () => {
    expect(value(nonSaturatingLossD({ real: s(0.6), fake: s(0.9) }, 0.5))).toBeCloseTo(0.75, 6);
    expect(value(nonSaturatingLossD({ real: s(0.6), fake: s(0.9) }, 1))).toBeCloseTo(1.5, 6);
  });

  it('the 2D GAN defaults are the log loss with Adam, one D and one G step', () => {
    expect(GAN2D_DEFAULTS).toMatchObject({
      loss: 'nonSaturating',
      optimizer: 'adam',
      kD: 1,
      kG: 1,
    });
  });
});
