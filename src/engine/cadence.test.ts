import { describe, expect, it } from 'vitest';
import { planReadback, shouldPostUpdate, UPDATE_INTERVAL_MS } from './cadence';

describe('read-back cadence', () => {
  it('never reads back between metric steps', () => {
    for (let s = 1; s < 10; s++) {
      expect(planReadback({ stepsSinceReadback: s, msSinceFrame: 1e9, forced: false }, 10)).toEqual(
        { readback: false, frame: false },
      );
    }
  });

  it('reads losses every N steps and a frame only when the last one is old enough', () => {
    expect(planReadback({ stepsSinceReadback: 10, msSinceFrame: 5, forced: false }, 10)).toEqual({
      readback: true,
      frame: false,
    });
    expect(
      planReadback({ stepsSinceReadback: 10, msSinceFrame: UPDATE_INTERVAL_MS, forced: false }, 10),
    ).toEqual({ readback: true, frame: true });
  });

  it('reads everything for a step the user asked for', () => {
    expect(planReadback({ stepsSinceReadback: 1, msSinceFrame: 0, forced: true }, 10)).toEqual({
      readback: true,
      frame: true,
    });
  });

  it('posts at most ten updates a second unless forced', () => {
    expect(shouldPostUpdate(UPDATE_INTERVAL_MS - 1, false)).toBe(false);
    expect(shouldPostUpdate(UPDATE_INTERVAL_MS, false)).toBe(true);
    expect(shouldPostUpdate(0, true)).toBe(true);
  });
});
