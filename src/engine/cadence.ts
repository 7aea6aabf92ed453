/**
 * The single place that decides when the device is asked for values and when the UI is told.
 * Reading back waits for the GPU, so it happens every `metricsEvery` steps, never per step; the
 * wait also keeps the queue of submitted GPU work short, which keeps Pause responsive.
 */

/** The UI hears from the worker at most this often while training runs (10 updates a second). */
export const UPDATE_INTERVAL_MS = 100;

export interface CadenceState {
  readonly stepsSinceReadback: number;
  readonly msSinceFrame: number;
  /** A single step, a pause or a reset: the user waits for exactly this result. */
  readonly forced: boolean;
}

export interface CadencePlan {
  /** Read this step's losses back. */
  readonly readback: boolean;
  /** Also render and read back the live view (samples, heat map, quality). */
  readonly frame: boolean;
}

/** frameIntervalMs: the experiment's own floor on frame spacing (a costly view asks for more). */
export function planReadback(
  state: CadenceState,
  metricsEvery: number,
  frameIntervalMs: number = UPDATE_INTERVAL_MS,
): CadencePlan {
  const readback = state.forced || state.stepsSinceReadback >= metricsEvery;
  const interval = Math.max(UPDATE_INTERVAL_MS, frameIntervalMs);
  const frame = readback && (state.forced || state.msSinceFrame >= interval);
  return { readback, frame };
}

export function shouldPostUpdate(msSinceUpdate: number, forced: boolean): boolean {
  return forced || msSinceUpdate >= UPDATE_INTERVAL_MS;
}
