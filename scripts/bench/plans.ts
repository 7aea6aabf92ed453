import { TINY_STARGAN } from '../../e2e/setups';
import type { BenchCase, BenchPlan } from './runner';

const starganSlider = {
  testId: 'slider-Male',
  output: 'slider-output',
  values: ['1', '0'],
} as const;
const latentSlider = {
  testId: 'latent-slider-0',
  output: 'latent-output',
  values: ['2.5', '-2.5'],
} as const;

const smallImage = (variant: string) =>
  [
    ['variant', variant],
    ['imagegan-size', '16'],
    ['z-dim', '16'],
    ['g-base', '8'],
    ['d-base', '8'],
    ['imagegan-batch', '16'],
  ] as const;

/** Every model at its default size and at a stated small size (16 px, widths 4-8). */
export const FULL_CASES: readonly BenchCase[] = [
  {
    label: '2D GAN',
    size: 'default (2x32 MLP, batch 64)',
    model: 'gan2d',
    fields: [],
    warmup: 3,
    iterations: 20,
  },
  {
    label: 'DCGAN',
    size: 'small (16 px, widths 8, batch 16)',
    model: 'imagegan',
    fields: smallImage('dcgan'),
    slider: latentSlider,
    warmup: 2,
    iterations: 8,
  },
  {
    label: 'DCGAN',
    size: 'default (32 px, widths 16, batch 64)',
    model: 'imagegan',
    fields: [['variant', 'dcgan']],
    slider: latentSlider,
    warmup: 2,
    iterations: 4,
  },
  {
    label: 'WGAN-GP',
    size: 'small (16 px, widths 8, batch 16)',
    model: 'imagegan',
    fields: smallImage('wgan-gp'),
    warmup: 2,
    iterations: 4,
  },
  {
    label: 'WGAN-GP',
    size: 'default (32 px, widths 16, batch 64)',
    model: 'imagegan',
    fields: [['variant', 'wgan-gp']],
    warmup: 1,
    iterations: 2,
  },
  {
    label: 'StarGAN v1',
    size: 'small (16 px, 4 channels, batch 2)',
    model: 'stargan',
    fields: TINY_STARGAN,
    slider: starganSlider,
    warmup: 2,
    iterations: 6,
  },
  {
    label: 'StarGAN v1',
    size: 'default (32 px, 16 channels, batch 16)',
    model: 'stargan',
    fields: [],
    slider: starganSlider,
    warmup: 1,
    iterations: 2,
  },
];

export const FULL_PLAN: BenchPlan = {
  backends: ['webgpu', 'webgl', 'cpu'],
  cases: FULL_CASES,
  loopSeconds: 6,
  sliderMoves: 5,
};

/** One model, two backends, few iterations: what the end-to-end suite runs. */
export const QUICK_PLAN: BenchPlan = {
  backends: ['webgpu', 'cpu'],
  cases: [{ ...FULL_CASES[0]!, warmup: 2, iterations: 3 }],
  loopSeconds: 2,
  sliderMoves: 0,
};
