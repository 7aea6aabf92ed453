import type { UploadedData } from '../engine/experiment';
import type { ExperimentFactory } from '../engine/trainer';
import { type ExperimentConfig, FAMILIES } from '../families';
import { createExperiment, modelShapes } from '../families/engines';
import { imageganFamily } from '../families/imagegan/spec';
import { starganFamily } from '../families/stargan/spec';
import type { ImageGanConfig, ImageGanVariant } from '../models/imagegan.config';
import type { StarGanConfig } from '../models/stargan.config';

/** Settings small enough for many steps per test on the CPU backend. */
export const TINY_STARGAN: StarGanConfig = starganFamily.testSizes.small;

export const tinyImageGan = (variant: ImageGanVariant): ImageGanConfig =>
  imageganFamily.testSizes.tiny.find((config) => config.variant === variant)!;

/** Every family's tiny experiments (every variant and data mode they list), seeded. */
export const TINY_EXPERIMENTS: readonly ExperimentConfig[] = FAMILIES.flatMap((family) =>
  family.testSizes.tiny.map((model) => ({ kind: family.kind, seed: 3, model }) as ExperimentConfig),
);

/** The Trainer's factory without resources (no classifier, no uploads). */
export const buildExperiment: ExperimentFactory = Object.assign(
  async (config: ExperimentConfig) => createExperiment(config),
  { shapes: (config: ExperimentConfig) => modelShapes(config) },
);

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
    names: Array.from({ length: count }, (_, i) => `image-${i}.png`),
  };
}
