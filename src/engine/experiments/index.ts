import type { ExperimentConfig } from '../../protocol/messages';
import type { Experiment } from '../experiment';
import { Gan2dExperiment } from './gan2d';

export function createExperiment(config: ExperimentConfig): Experiment {
  switch (config.kind) {
    case 'gan2d':
      return new Gan2dExperiment(config.model, config.seed);
  }
}
