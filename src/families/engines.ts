/**
 * The engine's registry of families: how the worker builds each family's experiment. Typed
 * over every kind of the TF-free registry, so a family without an engine does not compile.
 */
import { Rng } from '../core/random';
import type { BareModel, Experiment, ExperimentResources } from '../engine/experiment';
import { NO_RESOURCES } from '../engine/experiment';
import type { TorchHooks, TorchImport } from '../engine/torchImport';
import type { TorchTensor } from '../io/torch';
import { CycleGan } from '../models/cyclegan';
import { Gan2d } from '../models/gan2d';
import { createImageGan } from '../models/imagegan';
import { Pix2Pix } from '../models/pix2pix';
import { shapesOnly } from '../models/shared/params';
import { StackGan } from '../models/stackgan';
import { StyleGan } from '../models/stylegan';
import { Unit } from '../models/unit';
import type { ExperimentConfig, ExperimentKind, ModelConfigOf } from '.';
import { CycleGanExperiment } from './cyclegan/experiment';
import { cycleganTorch } from './cyclegan/torch';
import { Gan2dExperiment } from './gan2d/experiment';
import { ImageGanExperiment } from './imagegan/experiment';
import { Pix2PixExperiment } from './pix2pix/experiment';
import { StackGanExperiment } from './stackgan/experiment';
import { StarGanExperiment, starganModel } from './stargan/experiment';
import { starganTorch } from './stargan/torch';
import { StarGanV2Experiment, starganv2Model } from './starganv2/experiment';
import { starganv2Torch } from './starganv2/torch';
import { StyleGanExperiment } from './stylegan/experiment';
import { UnitExperiment } from './unit/experiment';

export interface FamilyEngine<K extends ExperimentKind> {
  create(model: ModelConfigOf<K>, seed: number, resources: ExperimentResources): Experiment;
  /**
   * The model `create` would build, without data, noise or views; null when its shapes depend
   * on resources not given (an uploaded set's labels).
   */
  model(model: ModelConfigOf<K>, rng: Rng, resources: ExperimentResources): BareModel | null;
  /** Whether its quality figures use the face classifier (fetched once, on first need). */
  readonly usesClassifier: boolean;
  /** PyTorch checkpoints of the family's reference, in and out (engine/torchImport.ts). */
  readonly torch?: TorchHooks;
}

export const ENGINES: { readonly [K in ExperimentKind]: FamilyEngine<K> } = {
  gan2d: {
    create: (model, seed) => new Gan2dExperiment(model, seed),
    model: (model, rng) => new Gan2d(model, rng),
    usesClassifier: false,
  },
  imagegan: {
    create: (model, seed, resources) => new ImageGanExperiment(model, seed, resources),
    model: (model, rng) => createImageGan(model, rng),
    usesClassifier: true,
  },
  stargan: {
    create: (model, seed, resources) => new StarGanExperiment(model, seed, resources),
    model: (model, rng, resources) => starganModel(model, rng, resources.uploaded),
    usesClassifier: true,
    torch: starganTorch,
  },
  starganv2: {
    create: (model, seed, resources) => new StarGanV2Experiment(model, seed, resources),
    model: (model, rng, resources) => starganv2Model(model, rng, resources.uploaded),
    usesClassifier: false,
    torch: starganv2Torch,
  },
  stackgan: {
    create: (model, seed, resources) => new StackGanExperiment(model, seed, resources),
    model: (model, rng) => new StackGan(model, rng),
    usesClassifier: true,
  },
  pix2pix: {
    create: (model, seed, resources) => new Pix2PixExperiment(model, seed, resources.uploaded),
    model: (model, rng) => new Pix2Pix(model, rng.fork('model')),
    usesClassifier: false,
  },
  cyclegan: {
    create: (model, seed, resources) => new CycleGanExperiment(model, seed, resources.uploaded),
    model: (model, rng) => {
      // In the experiment's order: the pool's stream is forked before the model's.
      const pool = rng.fork('pool');
      return new CycleGan(model, rng.fork('model'), pool);
    },
    usesClassifier: false,
    torch: cycleganTorch,
  },
  unit: {
    create: (model, seed, resources) => new UnitExperiment(model, seed, resources.uploaded),
    model: (model, rng) => new Unit(model, rng.fork('model')),
    usesClassifier: false,
  },
  stylegan: {
    create: (model, seed, resources) => new StyleGanExperiment(model, seed, resources),
    model: (model, rng) => new StyleGan(model, rng.fork('model')),
    usesClassifier: true,
  },
};

export function engineFor(config: ExperimentConfig): FamilyEngine<ExperimentKind> {
  return ENGINES[config.kind] as FamilyEngine<ExperimentKind>;
}

export function createExperiment(
  config: ExperimentConfig,
  resources: ExperimentResources = NO_RESOURCES,
): Experiment {
  return engineFor(config).create(config.model, config.seed, resources);
}

/**
 * The networks `config` builds, with names and shapes but no values (see shapesOnly): checks a
 * weights file against its settings in microseconds, before any data or weight is made. Null
 * when the shapes depend on resources not given.
 */
export function modelShapes(
  config: ExperimentConfig,
  resources: ExperimentResources = NO_RESOURCES,
): BareModel | null {
  return shapesOnly(() => engineFor(config).model(config.model, new Rng(config.seed), resources));
}

/**
 * A PyTorch checkpoint as the experiment it describes: the first family whose reference names
 * it carries (a family's hook returns null for a file whose keys are another reference's, and
 * throws naming the first mismatch in one that is its reference's): StarGAN v1 (yunjey's
 * `main.*`), CycleGAN (junyanz's `model.*`) and StarGAN v2 (clovaai's module dict).
 */
export function experimentOfTorch(
  tensors: Readonly<Record<string, TorchTensor>>,
  metadata: Readonly<Record<string, string>> | undefined,
  current: ExperimentConfig | null = null,
  fileName?: string,
): TorchImport {
  const all = Object.values(ENGINES).flatMap((engine) => (engine.torch ? [engine.torch] : []));
  // A family that claims the file by its key names is asked first, so its refusal is shown.
  const names = Object.keys(tensors);
  const hooks = [...all.filter((h) => h.claims?.(names)), ...all.filter((h) => !h.claims?.(names))];
  let firstError: unknown = null;
  for (const hook of hooks) {
    try {
      const found = hook.fromTorch(tensors, metadata, current, fileName);
      if (found) return found;
    } catch (error) {
      firstError ??= error;
    }
  }
  if (firstError) throw firstError;
  const first = Object.keys(tensors).slice(0, 3).join(', ');
  throw new Error(
    `No model here reads this checkpoint (its first keys: ${first || 'none'}): the page loads yunjey/stargan's Generator (main.*), junyanz's CycleGAN ResnetGenerator (model.*) and clovaai/stargan-v2's networks (generator.*, mapping_network.*, style_encoder.*)`,
  );
}

/** The family's PyTorch hooks, or null when it has no PyTorch map. */
export function torchHooksFor(config: ExperimentConfig): TorchHooks | null {
  return engineFor(config).torch ?? null;
}
