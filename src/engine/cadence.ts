/**
 * The single place that decides when the device is asked for values and when the UI is told.
 * Reading back waits for the GPU, so it happens every `metricsEvery` steps, not per step; and
 * also as soon as the steps queued since the last read would take the device more than
 * QUEUE_BUDGET_MS, so Pause, a slider or Reset never waits behind more than about half a
 * second of work (or one step, when one step takes longer).
 */

/** The UI hears from the worker at most this often while training runs (10 updates a second). */
export const UPDATE_INTERVAL_MS = 100;
/** The most device work the loop queues before it waits for the device. */
export const QUEUE_BUDGET_MS = 500;

export interface CadenceState {
  readonly stepsSinceReadback: number;
  readonly msSinceFrame: number;
  /** A single step, a pause or a reset: the user waits for exactly this result. */
  readonly forced: boolean;
  /** Measured device time per step, or null before it is known (then every step is read). */
  readonly msPerStep: number | null;
  /** The speed limit spaces steps at least a frame apart: show every step (slow motion). */
  readonly slowMotion: boolean;
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
  const queued = state.msPerStep === null ? Infinity : state.stepsSinceReadback * state.msPerStep;
  const readback =
    state.forced ||
    state.slowMotion ||
    state.stepsSinceReadback >= metricsEvery ||
    queued >= QUEUE_BUDGET_MS;
  const interval = Math.max(UPDATE_INTERVAL_MS, frameIntervalMs);
  // A little slack, so steps paced exactly one interval apart each get their frame.
  const frame = readback && (state.forced || state.msSinceFrame >= interval * 0.9);
  return { readback, frame };
}

/** Whether a speed limit of `maxStepsPerSecond` is slow enough to show every step. */
export function isSlowMotion(maxStepsPerSecond: number): boolean {
  return maxStepsPerSecond > 0 && 1000 / maxStepsPerSecond >= UPDATE_INTERVAL_MS;
}

/**
 * The device's time per step, as reads reveal it: when a read settles, the device has finished
 * every step queued before it, so the time since the previous read over the steps between them
 * is its time per step (kept as a moving average).
 */
export class StepClock {
  /** Null until two reads of a continuous run have settled. */
  msPerStep: number | null = null;
  private lastReadAt: number | null = null;

  /**
   * A read settled at `now`, `steps` steps after the previous one. A read that ends a step the
   * user asked for alone (not a continuous run) only restarts the clock.
   */
  settled(now: number, steps: number, continuous = true): void {
    if (continuous && this.lastReadAt !== null && steps > 0) {
      const measured = (now - this.lastReadAt) / steps;
      this.msPerStep = this.msPerStep === null ? measured : (this.msPerStep + measured) / 2;
    }
    this.lastReadAt = now;
  }

  /** What comes before the next read is not device time alone (a pause): measure from it. */
  restart(): void {
    this.lastReadAt = null;
  }

  reset(): void {
    this.msPerStep = null;
    this.lastReadAt = null;
  }
}

export function shouldPostUpdate(msSinceUpdate: number, forced: boolean): boolean {
  return forced || msSinceUpdate >= UPDATE_INTERVAL_MS;
}
