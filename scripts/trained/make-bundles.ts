/**
 * Makes the trained generators shipped in public/models/trained/ (issue 13, part 3): builds
 * the experiment from the family's config, fills its generator, writes a generator-flavour
 * bundle with snapshotExperiment, reloads it with experimentFromBundle and prints the
 * family's own quality figures on the reloaded model (at the shipped seed and a few others,
 * whose held-out faces differ).
 *   npx vite-node scripts/trained/make-bundles.ts [gan2d] [gan] [dcgan] [wgan] [wgan-gp] [stargan] [pix2pix] [cyclegan] [unit] [starganv2] [stackgan] [stylegan]
 * gan2d trains here, with our own TS loop (Gan2dExperiment, seeded, CPU). The others convert
 * what scripts/reference/train_*.py wrote to /tmp/gan-trained/<name>.weights.{json,bin}
 * (the twins' weights, already under our names and layouts); starganv2 reads the EMA checkpoint
 * scripts/reference/train_starganv2.py wrote to /tmp/gan-trained/starganv2/<step>.json.
 * Env: DATA (the weights' directory), CHECK=1 (measure only, write nothing), SEEDS (count),
 * PNG=<dir> (also writes each seed's grid of samples or translations as <dir>/<job>-<seed>.png).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { png } from '../../e2e/pngFiles';
import { experimentFromBundle, snapshotExperiment } from '../../src/engine/bundles';
import type { Experiment, ExperimentResources } from '../../src/engine/experiment';
import { registerFastCpuKernels } from '../../src/engine/kernels/cpu';
import { measureQuality } from '../../src/engine/quality';
import { type ExperimentConfig, familyFor } from '../../src/families';
import { createExperiment } from '../../src/families/engines';
import { QUICK_V2 } from '../../src/families/starganv2/spec';
import type { ImageGrid, TrainedModelSpec } from '../../src/families/types';
import { CYCLEGAN_DEFAULTS } from '../../src/models/cyclegan.config';
import { GAN2D_DEFAULTS } from '../../src/models/gan2d.config';
import { IMAGE_GAN_DEFAULTS } from '../../src/models/imagegan.config';
import { PIX2PIX_DEFAULTS } from '../../src/models/pix2pix.config';
import { STACKGAN_DEFAULTS } from '../../src/models/stackgan.config';
import { STARGAN_DEFAULTS } from '../../src/models/stargan.config';
import { STARGANV2_DEFAULTS } from '../../src/models/starganv2.config';
import { STYLEGAN_DEFAULTS } from '../../src/models/stylegan.config';
import { UNIT_DEFAULTS } from '../../src/models/unit.config';
import { loadShippedClassifier } from '../../src/test/shippedClassifier';

const DATA = process.env.DATA ?? '/tmp/gan-trained';
const OUT = 'public/models/trained';
const CHECK = process.env.CHECK === '1';
const SEEDS = Number(process.env.SEEDS ?? 4);
/** Training steps of the 2D GAN (our loop; 3,000 already cover 8 of 8 modes for seeds 1-3). */
const GAN2D_STEPS = 5000;

interface Job {
  readonly config: ExperimentConfig;
  readonly name: string;
  /** The twin's weights (/tmp/gan-trained/<twin>.weights.*), or none: trained here by `fill`. */
  readonly twin?: string;
  /** Fills the experiment's generator; returns the step the bundle records. */
  fill?(experiment: Experiment): Promise<number>;
}

interface TwinWeights {
  readonly weights: { name: string; shape: number[] }[];
  /** The settings the twin was trained with, by our config's field names. */
  readonly config: Readonly<Record<string, string | number>>;
  readonly training: { iterations: number; seconds: number };
  readonly values: Float32Array;
}

function readTwin(name: string): TwinWeights {
  const meta = JSON.parse(readFileSync(join(DATA, `${name}.weights.json`), 'utf8'));
  const bytes = readFileSync(join(DATA, `${name}.weights.bin`));
  const values = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteLength));
  return { ...meta, values };
}

/** The job's config with the settings the twin was trained with (each must be a setting). */
function withTwinSettings(config: ExperimentConfig, twin: TwinWeights): ExperimentConfig {
  const model = config.model as unknown as Record<string, unknown>;
  for (const key of Object.keys(twin.config)) {
    if (!(key in model))
      throw new Error(`The twin's setting ${key} is not one of ${config.kind}'s`);
  }
  return { ...config, model: { ...model, ...twin.config } } as unknown as ExperimentConfig;
}

/** Copies a twin's converted weights into the generator: every name present, every shape equal. */
function fillFromTwin(experiment: Experiment, twin: TwinWeights): number {
  const { generators, others } = experiment.networks();
  const variables = new Map([...generators, ...others].flatMap((p) => [...p.named()]));
  const names = twin.weights.map((w) => w.name).sort();
  // Every generator weight, and what else the twin names (StackGAN++'s live G beside its
  // average, which a generator file leaves out).
  const expected = generators.flatMap((p) => [...p.named()].map(([name]) => name));
  const missing = expected.filter((name) => !names.includes(name));
  const unknown = names.filter((name) => !variables.has(name));
  if (missing.length > 0 || unknown.length > 0) {
    throw new Error(`The twin lacks [${missing}] and has unknown [${unknown}]`);
  }
  let offset = 0;
  for (const { name, shape } of twin.weights) {
    const variable = variables.get(name)!;
    if (JSON.stringify(shape) !== JSON.stringify(variable.shape)) {
      throw new Error(`${name}: the twin's shape is [${shape}], ours [${variable.shape}]`);
    }
    const size = shape.reduce((a, b) => a * b, 1);
    tf.tidy(() => variable.assign(tf.tensor(twin.values.subarray(offset, offset + size), shape)));
    offset += size;
  }
  if (offset !== twin.values.length) throw new Error(`${twin.values.length - offset} extra values`);
  const { iterations, seconds } = twin.training;
  console.log(
    `twin trained ${iterations} iterations in ${seconds} s: ${JSON.stringify(twin.config)}`,
  );
  return iterations;
}

/**
 * A checkpoint of train_starganv2.py (its EMA G, F and E under our names, as float32 base64) in
 * the twins' weight format, so fillFromTwin checks every name and shape the same way.
 */
function readStarGanV2Checkpoint(path: string): TwinWeights {
  const checkpoint = JSON.parse(readFileSync(path, 'utf8')) as {
    step: number;
    weights: Record<string, { shape: number[]; b64: string }>;
  };
  const weights = Object.entries(checkpoint.weights).map(([name, e]) => ({
    name,
    shape: e.shape,
    bytes: Buffer.from(e.b64, 'base64'),
  }));
  const values = new Float32Array(weights.reduce((n, w) => n + w.bytes.byteLength / 4, 0));
  let offset = 0;
  for (const w of weights) {
    // Copied byte-wise: Buffer's pool offset need not be a multiple of 4.
    new Uint8Array(values.buffer, offset * 4, w.bytes.byteLength).set(w.bytes);
    offset += w.bytes.byteLength / 4;
  }
  return {
    weights: weights.map(({ name, shape }) => ({ name, shape })),
    config: {},
    training: { iterations: checkpoint.step, seconds: Number.NaN },
    values,
  };
}

const JOBS: Record<string, Job> = {
  gan2d: {
    config: { kind: 'gan2d', seed: 1, model: GAN2D_DEFAULTS },
    name: 'Trained 2D GAN (ring of 8)',
    async fill(experiment) {
      const started = Date.now();
      for (let i = 0; i < GAN2D_STEPS; i++) experiment.step('both').losses.dispose();
      console.log(`gan2d: ${GAN2D_STEPS} steps in ${(Date.now() - started) / 1000} s`);
      return GAN2D_STEPS;
    },
  },
  gan: {
    config: { kind: 'imagegan', seed: 1, model: IMAGE_GAN_DEFAULTS.gan },
    name: 'Trained GAN (MLP, toy faces, 16 px)',
    twin: 'gan',
  },
  wgan: {
    config: { kind: 'imagegan', seed: 1, model: IMAGE_GAN_DEFAULTS.wgan },
    name: 'Trained WGAN (toy faces, 32 px)',
    twin: 'wgan',
  },
  dcgan: {
    config: { kind: 'imagegan', seed: 1, model: IMAGE_GAN_DEFAULTS.dcgan },
    name: 'Trained DCGAN (toy faces, 32 px)',
    twin: 'dcgan',
  },
  'wgan-gp': {
    config: { kind: 'imagegan', seed: 1, model: IMAGE_GAN_DEFAULTS['wgan-gp'] },
    name: 'Trained WGAN-GP (toy faces, 32 px)',
    twin: 'wgan-gp',
  },
  stargan: {
    config: { kind: 'stargan', seed: 1, model: STARGAN_DEFAULTS },
    name: 'Trained StarGAN v1 (toy faces, 32 px)',
    twin: 'stargan',
  },
  // The twin's settings (train_translation.py: ngf 8, under the size budget) replace these.
  pix2pix: {
    config: { kind: 'pix2pix', seed: 1, model: PIX2PIX_DEFAULTS },
    name: 'Trained Pix2Pix (toy faces, drawing → photo, 32 px)',
    twin: 'pix2pix',
  },
  cyclegan: {
    config: { kind: 'cyclegan', seed: 1, model: CYCLEGAN_DEFAULTS },
    name: 'Trained CycleGAN (toy faces, photo ↔ drawing, 32 px)',
    twin: 'cyclegan',
  },
  unit: {
    config: { kind: 'unit', seed: 1, model: UNIT_DEFAULTS },
    name: 'Trained UNIT (toy faces, photo ↔ drawing, 32 px)',
    twin: 'unit',
  },
  // The quick preset (16 px), trained by train_starganv2.py (seed 1, 3,000 iterations, its
  // documented command); the checkpoint holds G_ema, F_ema and E_ema.
  starganv2: {
    config: { kind: 'starganv2', seed: 1, model: { ...STARGANV2_DEFAULTS, ...QUICK_V2 } },
    name: 'Trained StarGAN v2 (toy animals, 16 px)',
    async fill(experiment) {
      const path = process.env.V2_CHECKPOINT ?? join(DATA, 'starganv2', '003000.json');
      return fillFromTwin(experiment, readStarGanV2Checkpoint(path));
    },
  },
  // train_stackgan.py's run (seed 1, its settings replace these; README, StackGAN++) at 4,000
  // iterations (ITERS=4000 NAME=stackgan4k): G's 0.999 weight average, which samples.
  stackgan: {
    config: { kind: 'stackgan', seed: 1, model: STACKGAN_DEFAULTS },
    name: 'Trained StackGAN++ (captioned toy faces, 16/32/64 px)',
    twin: 'stackgan4k-4000',
  },
  // The defaults, trained by scripts/reference/train_stylegan.py (seed 1, 2,000 iterations);
  // the bundle holds G_ema (Gs/...) and G (G/...), as the twin writes both.
  stylegan: {
    config: { kind: 'stylegan', seed: 1, model: STYLEGAN_DEFAULTS },
    name: 'Trained StyleGAN-lite (toy faces, 32 px)',
    twin: 'stylegan',
  },
};

/** The family's spec entry for this job: the first trained model that fits its settings. */
function specFor(config: ExperimentConfig): TrainedModelSpec<Record<string, unknown>> {
  const models = familyFor(config).trained ?? [];
  const model = config.model as unknown as Record<string, unknown>;
  const spec = models.find((m) => m.fits?.(model) ?? true);
  if (!spec) throw new Error(`${config.kind} declares no trained model for these settings`);
  return spec;
}

async function quality(experiment: Experiment, picture: string): Promise<readonly number[]> {
  const tensor = experiment.frameTensor();
  const values = (await tensor.data()) as Float32Array;
  tensor.dispose();
  const frame = experiment.decodeFrame(values, 0);
  const grid = (frame as { grid?: ImageGrid }).grid;
  if (process.env.PNG && grid) {
    const { rows, cols, size, pixels } = grid;
    const at = (x: number, y: number) => {
      const image = Math.floor(y / size) * cols + Math.floor(x / size);
      const i = 4 * (image * size * size + (y % size) * size + (x % size));
      return [pixels[i]!, pixels[i + 1]!, pixels[i + 2]!] as [number, number, number];
    };
    mkdirSync(process.env.PNG, { recursive: true });
    writeFileSync(join(process.env.PNG, `${picture}.png`), png(cols * size, rows * size, at));
  }
  return (await measureQuality(experiment)) ?? [];
}

registerFastCpuKernels();
await tf.setBackend('cpu');
const { classifier, accuracy } = loadShippedClassifier();
const resources: ExperimentResources = {
  classifier,
  classifierAccuracy: accuracy,
  uploaded: null,
};
const build = async (config: ExperimentConfig) => createExperiment(config, resources);

// A job, or job=<twin weights name> to convert another run of the twin (stargan=stargan-b).
for (const arg of process.argv.slice(2)) {
  const [key = '', weights] = arg.split('=');
  const job = JOBS[key];
  if (!job) throw new Error(`Unknown job ${key}; choose from ${Object.keys(JOBS)}`);
  const twinName = weights ?? job.twin;
  const twin = twinName ? readTwin(twinName) : null;
  const config = twin ? withTwinSettings(job.config, twin) : job.config;
  const spec = specFor(config);
  const experiment = createExperiment(config, resources);
  const step = twin ? fillFromTwin(experiment, twin) : await job.fill!(experiment);
  const { bytes } = await snapshotExperiment(
    experiment,
    { config, step, name: job.name },
    'generator',
    (t) => t.data(),
  );
  experiment.dispose();
  if (!CHECK) {
    mkdirSync(OUT, { recursive: true });
    writeFileSync(join(OUT, spec.file), bytes);
  }
  console.log(
    `${spec.file}: ${(bytes.byteLength / 1024).toFixed(0)} KB${CHECK ? ' (not written)' : ''}`,
  );
  // Measured on the model read back from the file, at the shipped seed and others.
  for (let seed = config.seed; seed < config.seed + SEEDS; seed++) {
    const { experiment: loaded } = await experimentFromBundle(bytes, (config) =>
      build({ ...config, seed }),
    );
    const row = await quality(loaded, `${twinName ?? key}-${seed}`);
    loaded.dispose();
    const met = spec.target.met(row);
    console.log(
      `  seed ${seed}: quality [${row.map((v) => v.toFixed(3)).join(', ')}] ${met ? 'meets' : 'MISSES'} "${spec.target.text}"`,
    );
  }
}
classifier.dispose();
