import type { UploadedData } from '../engine/experiments';
import { GAN2D_DEFAULTS } from '../models/gan2d.config';
import {
  IMAGE_GAN_DEFAULTS,
  type ImageGanConfig,
  type ImageGanVariant,
} from '../models/imagegan.config';
import { STARGAN_DEFAULTS, type StarGanConfig } from '../models/stargan.config';
import type { ExperimentConfig } from '../protocol/messages';

/** Settings small enough for many steps per test on the CPU backend. */
export const TINY_STARGAN: StarGanConfig = {
  ...STARGAN_DEFAULTS,
  imageSize: 16,
  gConvDim: 4,
  gRepeat: 1,
  dConvDim: 4,
  dRepeat: 3,
  batchSize: 2,
  datasetSize: 32,
};

export const tinyImageGan = (variant: ImageGanVariant): ImageGanConfig => ({
  ...IMAGE_GAN_DEFAULTS[variant],
  imageSize: 16,
  zDim: 8,
  gBase: 4,
  dBase: 4,
  batchSize: 4,
  datasetSize: 32,
});

/** One experiment of every model kind and variant, seeded. */
export const TINY_EXPERIMENTS: readonly ExperimentConfig[] = [
  { kind: 'gan2d', seed: 3, model: { ...GAN2D_DEFAULTS, batchSize: 16 } },
  {
    kind: 'gan2d',
    seed: 3,
    model: { ...GAN2D_DEFAULTS, loss: 'wasserstein', optimizer: 'rmsprop', kD: 2, batchSize: 16 },
  },
  { kind: 'stargan', seed: 3, model: TINY_STARGAN },
  { kind: 'stargan', seed: 3, model: { ...TINY_STARGAN, data: 'both' } },
  ...(['gan', 'dcgan', 'wgan', 'wgan-gp'] as const).map(
    (variant): ExperimentConfig => ({ kind: 'imagegan', seed: 3, model: tinyImageGan(variant) }),
  ),
];

/**
 * An uploaded data set in memory: `count` 64 px images alternating dark and light, labels
 * one of N over `group` and counting in binary over the rest.
 */
export function uploadedData(
  count: number,
  labelNames: readonly string[],
  group: readonly number[],
): UploadedData {
  const bytes = 64 * 64 * 3;
  const pixels = new Uint8Array(count * bytes);
  const labels = new Uint8Array(count * labelNames.length);
  for (let i = 0; i < count; i++) {
    pixels.fill(i % 2 ? 230 : 30, i * bytes, (i + 1) * bytes);
    labelNames.forEach((_, k) => {
      labels[i * labelNames.length + k] = group.includes(k)
        ? Number(k === group[i % group.length])
        : (i >> k) & 1;
    });
  }
  return {
    summary: {
      id: 'set',
      name: 'mine',
      count,
      bytes: pixels.length,
      createdAt: 0,
      labelMode: labelNames.length > 0 ? 'attributes' : 'unlabelled',
      labelNames,
      group,
      skipped: 0,
    },
    images: { count, pixels, labels, labelNames },
  };
}
