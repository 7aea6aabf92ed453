/**
 * The engine's registry of families: how the worker builds each family's experiment. Typed
 * over every kind of the TF-free registry, so a family without an engine does not compile.
 */
import type { Experiment, ExperimentResources } from '../engine/experiment';
import { NO_RESOURCES } from '../engine/experiment';
import type { ExperimentConfig, ExperimentKind, ModelConfigOf } from '.';
import { Gan2dExperiment } from './gan2d/experiment';
import { ImageGanExperiment } from './imagegan/experiment';
import { StarGanExperiment } from './stargan/experiment';

export interface FamilyEngine<K extends ExperimentKind> {
  create(model: ModelConfigOf<K>, seed: number, resources: ExperimentResources): Experiment;
  /** Whether its quality figures use the face classifier (fetched once, on first need). */
  readonly usesClassifier: boolean;
}

export const ENGINES: { readonly [K in ExperimentKind]: FamilyEngine<K> } = {
  gan2d: { create: (model, seed) => new Gan2dExperiment(model, seed), usesClassifier: false },
  imagegan: {
    create: (model, seed, resources) => new ImageGanExperiment(model, seed, resources),
    usesClassifier: true,
  },
  stargan: {
    create: (model, seed, resources) => new StarGanExperiment(model, seed, resources),
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
