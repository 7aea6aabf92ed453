/**
 * Experiments in the URL, the way TensorFlow Playground keeps its state there: one query
 * parameter per setting (`?model=imagegan&seed=3&variant=dcgan&imageSize=16&…`), readable
 * and editable by hand. Settings a link leaves out take their defaults, so old links keep
 * working as settings are added; a bad value is reported by name and replaced by its default,
 * and the good ones are kept.
 */
import type { z } from 'zod';
import {
  defaultExperiment,
  type ExperimentConfig,
  familyFor,
  isKind,
  SEED_RANGE,
  visibleKeys,
} from '../families';
import { describeRange, fieldEntries, fieldSchema, typedQueryValue } from '../families/fields';
import { checkExperiment } from '../io/schema';
import { BACKENDS, DEFAULT_LIVE_SETTINGS, type LiveSettings } from '../protocol/messages';

const LIVE_FIELDS = {
  maxStepsPerSecond: { type: 'float', min: 0, max: 1000 },
  metricsEvery: { type: 'int', min: 1, max: 1000 },
} as const;
const LIVE_KEYS = Object.keys(LIVE_FIELDS) as (keyof LiveSettings)[];
/** Parameters that are not settings. */
const OTHER_KEYS = ['model', 'seed', 'weights', 'backend', 'bench', 'testHooks'];

export interface ShareLink {
  readonly experiment: ExperimentConfig | null;
  readonly live: LiveSettings | null;
  readonly weightsUrl: string | null;
  /** What in the link could not be used, one sentence each, for a notice. */
  readonly problems: readonly string[];
}

/** A link that rebuilds `experiment` with `live` settings (and loads `weightsUrl`, if given). */
export function shareUrl(
  base: string,
  experiment: ExperimentConfig,
  live: LiveSettings,
  weightsUrl: string | null,
): string {
  const url = new URL(base);
  url.search = '';
  const backend = new URL(base).searchParams.get('backend');
  if (backend) url.searchParams.set('backend', backend);
  url.searchParams.set('model', experiment.kind);
  url.searchParams.set('seed', String(experiment.seed));
  const model = experiment.model as unknown as Record<string, unknown>;
  for (const key of visibleKeys(experiment)) url.searchParams.set(key, String(model[key]));
  for (const key of LIVE_KEYS) url.searchParams.set(key, String(live[key]));
  if (weightsUrl) url.searchParams.set('weights', weightsUrl);
  return url.href;
}

/** The value if the field's schema takes it, or a sentence naming what was wrong. */
function readValue(
  key: string,
  text: string,
  schema: z.ZodType,
  allowed: string,
): { value: unknown } | { problem: string } {
  const value = typedQueryValue(text);
  return schema.safeParse(value).success
    ? { value }
    : { problem: `${key}=${text} is not ${allowed}; the default is used` };
}

export function readShareLink(search: string): ShareLink {
  const params = new URLSearchParams(search);
  const problems: string[] = [];
  const weightsUrl = params.get('weights');
  const backend = params.get('backend');
  if (
    backend !== null &&
    backend !== 'auto' &&
    !(BACKENDS as readonly string[]).includes(backend)
  ) {
    problems.push(`backend=${backend} is not one of auto, ${BACKENDS.join(', ')}; auto is used`);
  }
  const kind = params.get('model');
  const known = new Set([...OTHER_KEYS, ...LIVE_KEYS]);
  let experiment: ExperimentConfig | null = null;
  if (kind !== null && !isKind(kind)) {
    problems.push(`The link names an unknown model "${kind}"`);
  } else if (kind !== null) {
    const defaults = defaultExperiment(kind);
    const family = familyFor(defaults);
    const model: Record<string, unknown> = { ...(defaults.model as unknown as object) };
    for (const [key, field] of fieldEntries(family.fields)) {
      known.add(key);
      const text = params.get(key);
      if (text === null || field.type === 'datasetId') continue;
      const read = readValue(key, text, fieldSchema(field), describeRange(field));
      if ('value' in read) model[key] = read.value;
      else problems.push(read.problem);
    }
    // Uploaded images stay in the browser that has them; a link cannot bring them along.
    const uploadField = family.uploaded?.field;
    if (uploadField && model[uploadField] === 'uploaded') {
      model[uploadField] = (defaults.model as unknown as Record<string, unknown>)[uploadField];
      problems.push(
        'The link trains on a data set uploaded in another browser, which links cannot carry; the built-in data is used instead',
      );
    }
    let seed = defaults.seed;
    const seedText = params.get('seed');
    if (seedText !== null) {
      const read = readValue('seed', seedText, fieldSchema(SEED_RANGE), describeRange(SEED_RANGE));
      if ('value' in read) seed = read.value as number;
      else problems.push(read.problem);
    }
    const checked = checkExperiment({ kind, seed, model });
    if (checked.config) {
      experiment = checked.config;
    } else {
      // Values fine alone but not together (down-samplings that do not fit the image size).
      problems.push(
        `The link's settings do not fit together (${checked.problem}); the defaults are used`,
      );
      experiment = defaults;
    }
  }
  let live: LiveSettings | null = null;
  if (LIVE_KEYS.some((key) => params.has(key))) {
    const values: Record<string, unknown> = { ...DEFAULT_LIVE_SETTINGS };
    for (const key of LIVE_KEYS) {
      const text = params.get(key);
      if (text === null) continue;
      const field = LIVE_FIELDS[key];
      const read = readValue(key, text, fieldSchema(field), describeRange(field));
      if ('value' in read) values[key] = read.value;
      else problems.push(read.problem);
    }
    live = values as unknown as LiveSettings;
  }
  const unknown = [...params.keys()].filter((key) => !known.has(key));
  if (unknown.length > 0) {
    problems.push(
      `The link has parameters this page does not know, ignored: ${unknown.join(', ')}`,
    );
  }
  return { experiment, live, weightsUrl, problems };
}
