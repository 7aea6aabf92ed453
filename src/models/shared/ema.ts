import * as tf from '@tensorflow/tfjs-core';
import type { Params } from './params';

/**
 * An exponential moving average of a network's weights (Karras et al.'s G_ema, StackGAN++'s
 * avg_param_G): `average` is a second copy of the network, built by the same code under another
 * scope, that samples while `live` trains.
 */

/** The name of a weight without its network's scope: "G/fc/W" -> "fc/W". */
const local = (name: string) => name.slice(name.indexOf('/') + 1);

/** Pairs each variable of `average` with the one of `live` of the same local name. */
function pairs(average: Params, live: Params): [tf.Variable, tf.Variable][] {
  const byName = new Map([...live.named()].map(([name, v]) => [local(name), v]));
  return [...average.named()].map(([name, v]) => {
    const source = byName.get(local(name));
    if (!source) throw new Error(`EMA: ${live.scope} has no weight ${local(name)}`);
    return [v, source];
  });
}

/**
 * avg <- decay avg + (1 - decay) w for trainable weights; non-trainable state (batch norm's
 * running averages) is copied, since the reference averages parameters only and samples with
 * the live network's buffers.
 */
export function updateEma(average: Params, live: Params, decay: number): void {
  tf.tidy(() => {
    for (const [avg, w] of pairs(average, live)) {
      avg.assign(w.trainable ? tf.add(tf.mul(avg, decay), tf.mul(w, 1 - decay)) : w);
    }
  });
}

/** Sets the average to the live weights (a fresh run, or after loading only the live ones). */
export function copyWeights(average: Params, live: Params): void {
  tf.tidy(() => {
    for (const [avg, w] of pairs(average, live)) avg.assign(w);
  });
}
