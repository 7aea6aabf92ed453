import type { StoredImages } from '../../data/userImages';
import type { FaceClassifier } from '../../metrics/faceClassifier';
import type { DatasetSummary, ExperimentConfig } from '../../protocol/messages';
import type { Experiment } from '../experiment';
import { Gan2dExperiment } from './gan2d';
import { ImageGanExperiment } from './imagegan';
import { StarGanExperiment } from './stargan';

/** An uploaded data set, loaded from the browser's storage. */
export interface UploadedData {
  readonly summary: DatasetSummary;
  readonly images: StoredImages;
}

/** What experiments may use beyond their config: networks loaded once, uploaded data. */
export interface ExperimentResources {
  readonly classifier: FaceClassifier | null;
  /** The classifier's held-out accuracy, by "attributes@32px"-style keys. */
  readonly classifierAccuracy: Readonly<Record<string, number>> | null;
  /** The data set a config's datasetId names, when it trains on uploaded data. */
  readonly uploaded: UploadedData | null;
}

export const NO_RESOURCES: ExperimentResources = {
  classifier: null,
  classifierAccuracy: null,
  uploaded: null,
};

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
