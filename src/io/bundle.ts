/**
 * The one file format for every model: a zip of
 *   manifest.json  what the file is (format version, flavour, experiment config, step, data
 *                  set and attribute names, app version, and for full state the random
 *                  streams and counters);
 *   model.json     the weights manifest in TF.js's format ({weightsManifest: [{paths, weights}]});
 *   weights.bin    the weights, float32, in manifest order (tf.io.decodeWeights reads it).
 * Reading checks everything before returning; nothing in a file is executed or evaluated.
 */
import { strFromU8, strToU8, zipSync } from 'fflate';
import { z } from 'zod';
import { version } from '../../package.json';

import { type ExperimentConfig, isKind } from '../families';
import type { Flavour, WeightSpec } from './checkpoint';
import { MAX_HISTORY_ROWS, type ResumeState, type RunHistory } from './records';
import { checkExperiment, describeIssue } from './schema';
import { ZipError, zipDirectory, zipEntryData } from './zip';

export const BUNDLE_FORMAT = 'gan-playground-bundle';
export const BUNDLE_VERSION = 1;
/** Larger than any model here at its largest settings, small enough to hold in memory twice. */
export const MAX_BUNDLE_BYTES = 256 * 1024 * 1024;
const MAX_JSON_BYTES = 1024 * 1024;

export interface BundleManifest {
  readonly format: typeof BUNDLE_FORMAT;
  readonly formatVersion: number;
  readonly appVersion: string;
  readonly flavour: Flavour;
  readonly name: string;
  readonly createdAt: string;
  readonly experiment: ExperimentConfig;
  readonly step: number;
  readonly data: { readonly name: string; readonly attributes: readonly string[] };
  /** Full training state only. */
  readonly resume: ResumeState | null;
  /** The run's charts and training time (full training state; absent in older files). */
  readonly history: RunHistory | null;
}

export interface Bundle {
  readonly manifest: BundleManifest;
  readonly specs: readonly WeightSpec[];
  readonly weights: Float32Array;
}

/** A download name for a bundle: the run's name made file-safe, its step and flavour. */
export function bundleFileName(name: string, step: number, flavour: Flavour): string {
  const safe =
    name
      .replace(/[^\w.-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 80) || 'run';
  return `${safe}-step${step}-${flavour === 'full' ? 'training-state' : 'generator'}.zip`;
}

export function writeBundle(bundle: Bundle): Uint8Array {
  const model = {
    format: 'gan-playground-weights',
    generatedBy: `GAN Playground ${version}`,
    weightsManifest: [{ paths: ['weights.bin'], weights: bundle.specs }],
  };
  const weights = new Uint8Array(
    bundle.weights.buffer,
    bundle.weights.byteOffset,
    bundle.weights.byteLength,
  );
  return zipSync({
    'manifest.json': strToU8(JSON.stringify(bundle.manifest, null, 2)),
    'model.json': strToU8(JSON.stringify(model, null, 2)),
    // Float weights barely compress; storing them keeps export and import fast.
    'weights.bin': [weights, { level: 0 }],
  });
}

export function newManifest(
  fields: Omit<BundleManifest, 'format' | 'formatVersion' | 'appVersion' | 'createdAt'>,
): BundleManifest {
  return {
    format: BUNDLE_FORMAT,
    formatVersion: BUNDLE_VERSION,
    appVersion: version,
    createdAt: new Date().toISOString(),
    ...fields,
  };
}

/**
 * Alea's state (seedrandom's alea.js): s0, s1, s2 are fractions in [0, 1) and c the integer
 * carry, t | 0 for t = 2091639 s0 + c 2^-32 < 2091639. Box-Muller's spare value is at most
 * sqrt(-2 ln 2^-32) = 6.7 in size. Anything else makes a stream no seed makes (a negative
 * state gives negative "uniform" numbers and out-of-range indices).
 */
const aleaFraction = z.number().min(0).lt(1);
const rngStateSchema = z.strictObject({
  alea: z.strictObject({
    c: z.number().int().min(0).lt(2091639),
    s0: aleaFraction,
    s1: aleaFraction,
    s2: aleaFraction,
  }),
  spareNormal: z.number().min(-7).max(7).nullable(),
});

/** Weights and first moments: far beyond any trained value, far below float32's overflow. */
export const MAX_WEIGHT = 1e6;

/**
 * The range a saved value must lie in, by its name (see checkpoint.ts): second moments and
 * variances are squares, Adam's running beta powers are beta^t for beta in (0, 1) (0 once
 * float32 underflows: 0.5^150), step counters are whole numbers.
 */
function rangeOf(name: string): { min: number; max: number; integer?: boolean; what: string } {
  const parts = name.split('/');
  const last = parts[parts.length - 1];
  if (parts[0] === 'opt' && parts.length === 3) {
    if (last === 'iterations') {
      return { min: 0, max: 2 ** 31 - 1, integer: true, what: 'a whole number of steps' };
    }
    if (last === 'beta1_power' || last === 'beta2_power') {
      return { min: 0, max: 1 - 2 ** -24, what: 'in [0, 1)' };
    }
  }
  const square = parts[0] === 'opt' ? last === 'v' || last === 'rms' : last === 'runningVar';
  if (square) return { min: 0, max: MAX_WEIGHT ** 2, what: `in [0, ${MAX_WEIGHT ** 2}]` };
  return { min: -MAX_WEIGHT, max: MAX_WEIGHT, what: `within ±${MAX_WEIGHT}` };
}

/** The first value of `values` outside the range `name` allows, described, or null. */
function valueProblem(name: string, values: Float32Array): string | null {
  const range = rangeOf(name);
  for (const value of values) {
    if (!Number.isFinite(value)) return `Weight ${name} holds NaN or infinite values`;
    if (value < range.min || value > range.max || (range.integer && !Number.isInteger(value))) {
      return `Weight ${name} holds ${value}; it must be ${range.what}`;
    }
  }
  return null;
}

const manifestSchema = z.object({
  format: z.literal(BUNDLE_FORMAT),
  formatVersion: z.literal(BUNDLE_VERSION),
  appVersion: z.string().max(64),
  flavour: z.enum(['generator', 'full']),
  name: z.string().max(200),
  createdAt: z.string().max(64),
  step: z.number().int().min(0),
  data: z.object({ name: z.string().max(200), attributes: z.array(z.string().max(100)).max(100) }),
  resume: z
    .strictObject({
      rngs: z.record(z.string().max(64), rngStateSchema),
      counters: z.record(
        z.string().max(64),
        z
          .number()
          .int()
          .min(0)
          .max(2 ** 31 - 1),
      ),
    })
    .nullable(),
  history: z
    .strictObject({
      elapsedMs: z.number().min(0).max(1e12),
      lossSteps: z.array(z.number().int().min(0)).max(2 * MAX_HISTORY_ROWS),
      losses: z.array(z.number().nullable()).max(2 * MAX_HISTORY_ROWS * 16),
      qualitySteps: z.array(z.number().int().min(0)).max(2 * MAX_HISTORY_ROWS),
      quality: z.array(z.number().nullable()).max(2 * MAX_HISTORY_ROWS * 16),
    })
    .nullable()
    .default(null),
});

const modelSchema = z.object({
  weightsManifest: z
    .array(
      z.object({
        paths: z.tuple([z.literal('weights.bin')]),
        weights: z
          .array(
            z.object({
              name: z.string().max(200),
              shape: z.array(z.number().int().min(0)).max(8),
              dtype: z.string(),
            }),
          )
          .max(100_000),
      }),
    )
    .length(1),
});

export class BundleError extends Error {
  override readonly name = 'BundleError';
}

const fail = (message: string): never => {
  throw new BundleError(message);
};

function unzip(bytes: Uint8Array): Record<string, Uint8Array> {
  if (bytes.byteLength > MAX_BUNDLE_BYTES) {
    fail(`The file is ${mb(bytes.byteLength)}; the limit is ${mb(MAX_BUNDLE_BYTES)}`);
  }
  const isZip = bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
  if (!isZip) fail('This is not a GAN Playground file: it is not a zip archive');
  const limitOf = (name: string) => (name === 'weights.bin' ? MAX_BUNDLE_BYTES : MAX_JSON_BYTES);
  // See src/io/zip.ts: every entry's ranges, sizes and CRC-32 are checked, and reading stops
  // as soon as an entry passes its declared size or limit. Weights barely compress (they are
  // stored), so a ratio over 64 : 1 is refused: no entry costs more than its bytes allow.
  const files: Record<string, Uint8Array> = {};
  try {
    const directory = zipDirectory(bytes, { maxEntries: MAX_BUNDLE_ENTRIES });
    for (const name of ['manifest.json', 'model.json', 'weights.bin']) {
      const entry = directory.byName.get(name);
      if (entry) {
        files[name] = zipEntryData(bytes, entry, { maxBytes: limitOf(name), maxRatio: 64 });
      }
    }
  } catch (error) {
    if (!(error instanceof ZipError)) throw error;
    const { problem, message } = error;
    if (problem === 'damaged') fail(`The zip archive is damaged: ${message}`);
    fail(problem === 'limit' ? message : `The zip archive cannot be read: ${message}`);
  }
  return files;
}

/** A bundle holds 3 files; a few more (added by a zip tool) are listed but not read. */
const MAX_BUNDLE_ENTRIES = 1000;

function json(files: Record<string, Uint8Array>, name: string): unknown {
  const data = files[name] ?? fail(`The file has no ${name}`);
  try {
    return JSON.parse(strFromU8(data));
  } catch {
    return fail(`${name} is not valid JSON`);
  }
}

function readManifest(raw: unknown): BundleManifest {
  const head = z.object({ format: z.unknown(), formatVersion: z.unknown() }).safeParse(raw);
  if (!head.success || head.data.format !== BUNDLE_FORMAT) {
    fail('manifest.json is not a GAN Playground manifest');
  }
  const formatVersion = (raw as { formatVersion: unknown }).formatVersion;
  if (typeof formatVersion !== 'number' || !Number.isInteger(formatVersion) || formatVersion < 1) {
    fail(`Unknown format version ${JSON.stringify(formatVersion)}`);
  }
  if ((formatVersion as number) > BUNDLE_VERSION) {
    fail(
      `The file has format version ${formatVersion}, newer than this app reads (${BUNDLE_VERSION}); reload the page for the latest version`,
    );
  }
  const experiment = (raw as { experiment?: { kind?: unknown } }).experiment;
  const kind = experiment?.kind;
  if (!isKind(kind)) fail(`Unknown model kind ${JSON.stringify(kind)}`);
  const config = checkExperiment(experiment);
  if (!config.config) fail(`The file's model settings are invalid (${config.problem})`);
  const rest = manifestSchema.safeParse(raw);
  if (!rest.success) fail(`manifest.json is invalid (${describeIssue(rest.error)})`);
  const manifest = { ...rest.data!, experiment: config.config! } as BundleManifest;
  if (manifest.flavour === 'full' && manifest.resume === null) {
    fail('The file says it holds the full training state but has no random state');
  }
  return manifest;
}

/**
 * Reads and checks a bundle's container, manifest and weights (dtypes, byte length, every
 * value in the range its name allows: see rangeOf). Whether the weights fit the model is checked when it is built (see fitSpecs).
 */
export function readBundle(bytes: Uint8Array): Bundle {
  const files = unzip(bytes);
  const manifest = readManifest(json(files, 'manifest.json'));
  const model = modelSchema.safeParse(json(files, 'model.json'));
  if (!model.success) fail(`model.json is invalid (${describeIssue(model.error)})`);
  const rawSpecs = model.data!.weightsManifest[0]!.weights;
  const badType = rawSpecs.find((spec) => spec.dtype !== 'float32');
  if (badType) fail(`Weight ${badType.name} has dtype ${badType.dtype}; only float32 is read`);
  const specs = rawSpecs as WeightSpec[];
  const data = files['weights.bin'] ?? fail('The file has no weights.bin');
  const expectedBytes = 4 * specs.reduce((sum, s) => sum + s.shape.reduce((a, b) => a * b, 1), 0);
  if (data.byteLength !== expectedBytes) {
    fail(`weights.bin holds ${data.byteLength} bytes; model.json describes ${expectedBytes}`);
  }
  const weights = new Float32Array(data.slice().buffer);
  let offset = 0;
  for (const spec of specs) {
    const size = spec.shape.reduce((a, b) => a * b, 1);
    const problem = valueProblem(spec.name, weights.subarray(offset, offset + size));
    if (problem) fail(problem);
    offset += size;
  }
  return { manifest, specs, weights };
}

/** Checks a bundle's specs against what the model built from its config expects. */
export function fitSpecs(actual: readonly WeightSpec[], expected: readonly WeightSpec[]): void {
  const byName = new Map(actual.map((spec) => [spec.name, spec]));
  if (byName.size !== actual.length) fail('model.json names a weight twice');
  const missing = expected.filter((spec) => !byName.has(spec.name)).map((spec) => spec.name);
  if (missing.length > 0) {
    fail(`The weights do not match the settings: missing ${list(missing)}`);
  }
  const known = new Set(expected.map((spec) => spec.name));
  const unknown = actual.filter((spec) => !known.has(spec.name)).map((spec) => spec.name);
  if (unknown.length > 0) {
    fail(`The weights do not match the settings: unexpected ${list(unknown)}`);
  }
  for (const spec of expected) {
    const shape = byName.get(spec.name)!.shape;
    if (shape.length !== spec.shape.length || shape.some((d, i) => d !== spec.shape[i])) {
      fail(
        `The weights do not match the settings: ${spec.name} has shape [${shape}], the model's is [${spec.shape}]`,
      );
    }
  }
}

const list = (names: readonly string[]) =>
  names.length > 4
    ? `${names.slice(0, 4).join(', ')} and ${names.length - 4} more`
    : names.join(', ');

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
