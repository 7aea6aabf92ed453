/**
 * Schemas for settings that arrive from outside (a bundle's manifest, a share link): every
 * field checked for type and range before anything is built from it. Ranges match the
 * settings panel's, so whatever the panel can make, a file or link can carry.
 */
import { z } from 'zod';
import { FACE_SIZES } from '../data/faces';
import { DATASETS_2D } from '../data/toy2d';
import { IMAGE_GAN_VARIANTS } from '../models/imagegan.config';
import type { ExperimentConfig, LiveSettings } from '../protocol/messages';

const int = (min: number, max: number) => z.number().int().min(min).max(max);
const rate = (max: number) => z.number().min(1e-6).max(max);
const beta = z.number().min(0).max(0.9999);
const faceSize = z.union(FACE_SIZES.map((size) => z.literal(size)));
const datasetId = z.string().min(1).max(64).nullable();

export const gan2dSchema = z.strictObject({
  dataset: z.enum(DATASETS_2D),
  noiseDim: int(1, 16),
  gLayers: int(0, 5),
  gWidth: int(1, 128),
  dLayers: int(0, 5),
  dWidth: int(1, 128),
  loss: z.enum(['nonSaturating', 'leastSquares', 'wasserstein', 'wassersteinGp']),
  optimizer: z.enum(['adam', 'sgd', 'rmsprop']),
  lrG: rate(1),
  lrD: rate(1),
  batchSize: int(1, 1024),
  kD: int(1, 10),
  kG: int(1, 10),
});

export const starganSchema = z.strictObject({
  data: z.enum(['celeba', 'rafd', 'both', 'uploaded']),
  imageSize: faceSize,
  gConvDim: int(2, 64),
  gRepeat: int(0, 9),
  dConvDim: int(2, 64),
  dRepeat: int(1, 6),
  lambdaCls: z.number().min(0).max(100),
  lambdaRec: z.number().min(0).max(100),
  lambdaGp: z.number().min(0).max(100),
  nCritic: int(1, 20),
  lrG: rate(1e-2),
  lrD: rate(1e-2),
  beta1: beta,
  beta2: beta,
  batchSize: int(1, 128),
  numIters: int(1, 10_000_000),
  datasetSize: int(16, 20_000),
  datasetId,
});

export const imageGanSchema = z.strictObject({
  variant: z.enum(IMAGE_GAN_VARIANTS),
  dataset: z.enum(['faces', 'shapes', 'uploaded']),
  imageSize: faceSize,
  zDim: int(4, 256),
  gBase: int(2, 128),
  dBase: int(2, 128),
  batchSize: int(2, 256),
  lrG: rate(1e-2),
  lrD: rate(1e-2),
  beta1: beta,
  beta2: beta,
  nCritic: int(1, 20),
  clip: z.number().min(1e-4).max(1),
  lambdaGp: z.number().min(0).max(100),
  datasetSize: int(16, 20_000),
  datasetId,
});

const seed = z
  .number()
  .int()
  .min(0)
  .max(2 ** 31 - 1);

export const experimentSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('gan2d'), seed, model: gan2dSchema }),
  z.strictObject({ kind: z.literal('stargan'), seed, model: starganSchema }),
  z.strictObject({ kind: z.literal('imagegan'), seed, model: imageGanSchema }),
]);

export const liveSchema = z.strictObject({
  maxStepsPerSecond: z.number().min(0).max(1000),
  metricsEvery: int(1, 1000),
});

export const MODEL_SCHEMAS = {
  gan2d: gan2dSchema,
  stargan: starganSchema,
  imagegan: imageGanSchema,
} as const;

/** The first problem zod found, as one sentence naming the field. */
export function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid value';
  const path = issue.path.join('.');
  return path ? `${path}: ${issue.message}` : issue.message;
}

/** An experiment config from outside, or a description of its first problem. */
export function checkExperiment(
  raw: unknown,
): { config: ExperimentConfig; problem: null } | { config: null; problem: string } {
  const result = experimentSchema.safeParse(raw);
  if (!result.success) return { config: null, problem: describeIssue(result.error) };
  const config = result.data;
  if (config.kind !== 'gan2d') {
    const uploaded =
      config.kind === 'stargan'
        ? config.model.data === 'uploaded'
        : config.model.dataset === 'uploaded';
    if (uploaded !== (config.model.datasetId !== null)) {
      return { config: null, problem: 'model.datasetId: set exactly when the data is uploaded' };
    }
  }
  return { config, problem: null };
}

export function parseExperiment(raw: unknown): ExperimentConfig {
  const { config, problem } = checkExperiment(raw);
  if (!config) throw new Error(`Invalid settings (${problem})`);
  return config;
}

export function parseLive(raw: unknown): LiveSettings {
  const result = liveSchema.safeParse(raw);
  if (!result.success) throw new Error(`Invalid live settings (${describeIssue(result.error)})`);
  return result.data;
}
