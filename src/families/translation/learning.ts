/**
 * The translation families' learning runs (tests and the learning script): the held-out
 * translation errors before and after some training steps, seeded, on whatever backend is set.
 */
import type { Experiment } from '../../engine/experiment';
import { measureQuality } from '../../engine/quality';

/** Quality rows before and after `steps` full iterations. */
export async function errorsAcross(
  experiment: Experiment,
  steps: number,
): Promise<{ readonly before: readonly number[]; readonly after: readonly number[] }> {
  const before = (await measureQuality(experiment))!;
  for (let i = 0; i < steps; i++) experiment.step('both').losses.dispose();
  const after = (await measureQuality(experiment, steps))!;
  return { before, after };
}

/** The mean of the first two figures: A→B and B→A L1 of a two-way translator. */
export const bothWays = (q: readonly number[]) => (q[0]! + q[1]!) / 2;
