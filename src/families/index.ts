/**
 * The registry of model families, free of TensorFlow.js and React: the UI, io, share links and
 * the store read it, and every union over families is derived from it. Adding a family is a
 * folder plus one line here, one in `engines.ts` and one in `views.ts`.
 */
import { z } from 'zod';
import { cycleganFamily } from './cyclegan/spec';
import { fieldEntries, tableSchema } from './fields';
import { gan2dFamily } from './gan2d/spec';
import { imageganFamily } from './imagegan/spec';
import { pix2pixFamily } from './pix2pix/spec';
import { stackganFamily } from './stackgan/spec';
import { starganFamily } from './stargan/spec';
import { starganv2Family } from './starganv2/spec';
import { styleganFamily } from './stylegan/spec';
import type { FamilySpec, FamilyTypes } from './types';
import { unitFamily } from './unit/spec';

/** In the model menu's order. */
export const FAMILIES = [
  gan2dFamily,
  imageganFamily,
  starganFamily,
  starganv2Family,
  stackganFamily,
  pix2pixFamily,
  cycleganFamily,
  unitFamily,
  styleganFamily,
] as const;

type AnyFamily = (typeof FAMILIES)[number];
export type ExperimentKind = AnyFamily['kind'];

type Distribute<F> = F extends { readonly kind: infer K; readonly types?: infer T }
  ? T extends FamilyTypes
    ? { kind: K; config: T['config']; types: T }
    : never
  : never;
type Entry = Distribute<AnyFamily>;
type EntryOf<K extends ExperimentKind> = Extract<Entry, { kind: K }>;

export type ModelConfigOf<K extends ExperimentKind> = EntryOf<K>['config'];
export type InfoOf<K extends ExperimentKind> = TypesOf<K>['info'];
export type FrameOf<K extends ExperimentKind> = TypesOf<K>['frame'];
export type RenderOf<K extends ExperimentKind> = TypesOf<K>['render'];
type TypesOf<K extends ExperimentKind> = EntryOf<K>['types'] & FamilyTypes;

export type ExperimentConfigOf<K extends ExperimentKind> = K extends ExperimentKind
  ? { readonly kind: K; readonly seed: number; readonly model: ModelConfigOf<K> }
  : never;
export type ExperimentConfig = ExperimentConfigOf<ExperimentKind>;
export type ExperimentInfo = Entry['types']['info'];
export type Frame = Entry['types']['frame'];
export type RenderRequest = Entry['types']['render'];

/** A family's spec by kind, typed by kind. */
export type SpecOf<K extends ExperimentKind> = Extract<AnyFamily, { kind: K }>;

const BY_KIND = new Map<string, AnyFamily>(FAMILIES.map((family) => [family.kind, family]));

export function isKind(value: unknown): value is ExperimentKind {
  return typeof value === 'string' && BY_KIND.has(value);
}

export function familyOf<K extends ExperimentKind>(kind: K): SpecOf<K> {
  const family = BY_KIND.get(kind);
  if (!family) throw new Error(`Unknown model "${kind}"`);
  return family as SpecOf<K>;
}

/**
 * A family's spec seen through its config's own type: lets generic code (schemas, forms,
 * links) call the family's functions on a config of that family without a switch.
 */
export type LooseFamily = FamilySpec<string, FamilyTypes, Record<string, unknown>>;

export function familyFor(config: ExperimentConfig): LooseFamily {
  return familyOf(config.kind) as unknown as LooseFamily;
}

export const SEED_RANGE = { type: 'int', min: 0, max: 2 ** 31 - 1 } as const;

export function defaultExperiment<K extends ExperimentKind>(
  kind: K,
  seed = 1,
): ExperimentConfigOf<K> {
  return { kind, seed, model: familyOf(kind).defaults } as unknown as ExperimentConfigOf<K>;
}

export const DEFAULT_EXPERIMENT: ExperimentConfig = defaultExperiment(FAMILIES[0].kind);

/**
 * What a first visit opens: the family whose trained model is the most fun in the first
 * seconds (sliders that change a face), loaded at once (see ui/firstVisit.ts).
 */
export const WELCOME_EXPERIMENT: ExperimentConfig = defaultExperiment('stargan');

const seedSchema = z.number().int().min(SEED_RANGE.min).max(SEED_RANGE.max);

/** The experiment schema, one strict object per family, discriminated by kind. */
export const experimentSchema = z.discriminatedUnion(
  'kind',
  (FAMILIES as unknown as readonly LooseFamily[]).map((family) =>
    z.strictObject({
      kind: z.literal(family.kind),
      seed: seedSchema,
      model: tableSchema(family.fields),
    }),
  ) as unknown as [z.ZodObject, ...z.ZodObject[]],
);

/** The uploaded data set a config trains on, if any. */
export function uploadedDatasetId(config: ExperimentConfig): string | null {
  const family = familyFor(config);
  if (!family.uploaded) return null;
  const model = config.model as unknown as Record<string, unknown>;
  return model[family.uploaded.field] === 'uploaded' ? (model.datasetId as string | null) : null;
}

/** Fields the share link and form carry (all but the uploaded set's key). */
export function visibleKeys(config: ExperimentConfig): string[] {
  return fieldEntries(familyFor(config).fields)
    .filter(([, field]) => field.type !== 'datasetId')
    .map(([key]) => key);
}

/** The model's name alone, for default run names. */
export function shortName(config: ExperimentConfig): string {
  return familyFor(config).shortName(config.model as unknown as Record<string, unknown>);
}

/** What the model is, in a few words, for the saved-runs list. */
export function describeModel(config: ExperimentConfig): string {
  return familyFor(config).describe(config.model as unknown as Record<string, unknown>);
}
