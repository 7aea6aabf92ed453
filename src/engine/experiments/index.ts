import type { FaceClassifier } from '../../metrics/faceClassifier';
import type { ExperimentConfig } from '../../protocol/messages';
import type { Experiment } from '../experiment';
import { Gan2dExperiment } from './gan2d';
import { ImageGanExperiment } from './imagegan';
import { StarGanExperiment } from './stargan';

/** What experiments may use beyond their config: networks loaded once per worker. */
export interface ExperimentResources {
  readonly classifier: FaceClassifier | null;
  /** The classifier's held-out accuracy, by "attributes@32px"-style keys. */
  readonly classifierAccuracy: Readonly<Record<string, number>> | null;
}

export const NO_RESOURCES: ExperimentResources = { classifier: null, classifierAccuracy: null };

export function createExperiment(
  config: ExperimentConfig,
  resources: ExperimentResources = NO_RESOURCES,
): Experiment {
  switch (config.kind) {
    case 'gan2d':
      return new Gan2dExperiment(config.model, config.seed);
    case 'stargan':
      return new StarGanExperiment(config.model, config.seed, resources);
    case 'imagegan':
      return new ImageGanExperiment(config.model, config.seed, resources);
  }
}
