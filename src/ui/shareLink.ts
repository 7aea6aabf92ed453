/**
 * Experiments in the URL, the way TensorFlow Playground keeps its state there: one query
 * parameter per setting (`?model=imagegan&seed=3&variant=dcgan&imageSize=16&…`), readable
 * and editable by hand. Settings a link leaves out take their defaults, so old links keep
 * working as settings are added.
 */
import { MODEL_SCHEMAS, parseExperiment, parseLive } from '../io/schema';
import {
  DEFAULT_LIVE_SETTINGS,
  type ExperimentConfig,
  type ExperimentKind,
  type LiveSettings,
} from '../protocol/messages';
import { DEFAULT_EXPERIMENTS } from './store/store';

const KINDS = Object.keys(MODEL_SCHEMAS) as ExperimentKind[];
const LIVE_KEYS = Object.keys(DEFAULT_LIVE_SETTINGS) as (keyof LiveSettings)[];

export interface ShareLink {
  readonly experiment: ExperimentConfig | null;
  readonly live: LiveSettings | null;
  readonly weightsUrl: string | null;
  /** What in the link could not be used, for a notice. */
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
  for (const [key, value] of Object.entries(experiment.model)) {
    if (key !== 'datasetId') url.searchParams.set(key, String(value));
  }
  for (const key of LIVE_KEYS) url.searchParams.set(key, String(live[key]));
  if (weightsUrl) url.searchParams.set('weights', weightsUrl);
  return url.href;
}

/** A query value as the JSON type the schemas expect: numbers where they parse, else text. */
const typed = (value: string): string | number =>
  value.trim() !== '' && Number.isFinite(Number(value)) ? Number(value) : value;

export function readShareLink(search: string): ShareLink {
  const params = new URLSearchParams(search);
  const problems: string[] = [];
  const weightsUrl = params.get('weights');
  const kind = params.get('model');
  let experiment: ExperimentConfig | null = null;
  if (kind !== null) {
    if (!(KINDS as string[]).includes(kind)) {
      problems.push(`The link names an unknown model "${kind}"`);
    } else {
      const defaults = DEFAULT_EXPERIMENTS[kind as ExperimentKind];
      const model: Record<string, unknown> = { ...defaults.model };
      const fallback: Record<string, unknown> = { ...defaults.model };
      for (const key of Object.keys(model)) {
        const value = params.get(key);
        if (value !== null && key !== 'datasetId') model[key] = typed(value);
      }
      // Uploaded images stay in the browser that has them; a link cannot bring them along.
      for (const key of ['data', 'dataset'] as const) {
        if (model[key] === 'uploaded') {
          model[key] = fallback[key];
          problems.push(
            'The link trains on a data set uploaded in another browser, which links cannot carry; the built-in data is used instead',
          );
        }
      }
      const seed = params.get('seed');
      try {
        experiment = parseExperiment({
          kind,
          seed: seed === null ? defaults.seed : typed(seed),
          model,
        });
      } catch (error) {
        problems.push(`The link's settings could not be used: ${(error as Error).message}`);
      }
    }
  }
  let live: LiveSettings | null = null;
  if (LIVE_KEYS.some((key) => params.has(key))) {
    const raw: Record<string, unknown> = { ...DEFAULT_LIVE_SETTINGS };
    for (const key of LIVE_KEYS) {
      const value = params.get(key);
      if (value !== null) raw[key] = typed(value);
    }
    try {
      live = parseLive(raw);
    } catch (error) {
      problems.push(`The link's live settings could not be used: ${(error as Error).message}`);
    }
  }
  return { experiment, live, weightsUrl, problems };
}
