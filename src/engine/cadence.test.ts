import { describe, expect, it } from 'vitest';
import {
  type CadenceState,
  isSlowMotion,
  planReadback,
  QUEUE_BUDGET_MS,
  shouldPostUpdate,
  UPDATE_INTERVAL_MS,
} from './cadence';

/** A fast device (1 ms a step), no speed limit, nothing forced. */
const fast = (change: Partial<CadenceState>): CadenceState => ({
  stepsSinceReadback: 1,
  msSinceFrame: 1e9,
  forced: false,
  msPerStep: 1,
  slowMotion: false,
  ...change,
});

describe('read-back cadence', () => {
  it('never reads back between metric steps on a fast device', () => {
    for (let s = 1; s < 10; s++) {
      expect(planReadback(fast({ stepsSinceReadback: s }), 10)).toEqual({
        readback: false,
        frame: false,
      });
    }
  });

  it('reads losses every N steps and a frame only when the last one is old enough', () => {
    expect(planReadback(fast({ stepsSinceReadback: 10, msSinceFrame: 5 }), 10)).toEqual({
      readback: true,
      frame: false,
    });
    expect(
      planReadback(fast({ stepsSinceReadback: 10, msSinceFrame: UPDATE_INTERVAL_MS }), 10),
    ).toEqual({ readback: true, frame: true });
  });

  it('reads everything for a step the user asked for', () => {
    expect(planReadback(fast({ msSinceFrame: 0, forced: true }), 10)).toEqual({
      readback: true,
      frame: true,
    });
  });

  it('waits for the device before half a second of work is queued', () => {
    // 200 ms a step: the third step would queue 600 ms, so the second waits.
    expect(planReadback(fast({ stepsSinceReadback: 2, msPerStep: 200 }), 10).readback).toBe(false);
    expect(planReadback(fast({ stepsSinceReadback: 3, msPerStep: 200 }), 10).readback).toBe(true);
    // A step slower than the budget: every step waits, so a pause waits for one step at most.
    expect(planReadback(fast({ msPerStep: QUEUE_BUDGET_MS * 10 }), 10).readback).toBe(true);
    // Before the speed is known, every step waits.
    expect(planReadback(fast({ msPerStep: null }), 10).readback).toBe(true);
  });

  it('shows every step in slow motion', () => {
    expect(isSlowMotion(1)).toBe(true);
    expect(isSlowMotion(10)).toBe(true);
    expect(isSlowMotion(11)).toBe(false);
    expect(isSlowMotion(0)).toBe(false);
    const plan = planReadback(fast({ slowMotion: true, msSinceFrame: 1000 }), 10, 1000);
    expect(plan).toEqual({ readback: true, frame: true });
  });

  it('posts at most ten updates a second unless forced', () => {
    expect(shouldPostUpdate(UPDATE_INTERVAL_MS - 1, false)).toBe(false);
    expect(shouldPostUpdate(UPDATE_INTERVAL_MS, false)).toBe(true);
    expect(shouldPostUpdate(0, true)).toBe(true);
  });
});
