import type * as tf from '@tensorflow/tfjs-core';
import type { Params } from './params';

/** An optimiser and the network it updates (its slots follow that network's variable order). */
export interface OptimizerOf {
  readonly optimizer: tf.Optimizer;
  readonly params: Params;
}

/** What a model saves: its networks, generator first, and their optimisers by network. */
export interface ModelNetworks {
  /** What a "generator only" file holds: enough to sample, translate and play. */
  readonly generators: readonly Params[];
  readonly others: readonly Params[];
  readonly optimizers: readonly OptimizerOf[];
}

/** A generator and a discriminator, each with its own optimiser (every model so far). */
export function twoNetworks(G: OptimizerOf, D: OptimizerOf): ModelNetworks {
  return { generators: [G.params], others: [D.params], optimizers: [G, D] };
}
