import { describe, expect, it } from 'vitest';
import { Rng } from '../core/random';
import { DISTRIBUTIONS_2D } from '../data/toy2d';
import { histogram2d, jsDivergence, modeQuality } from './quality2d';

const ring = DISTRIBUTIONS_2D.ring;

describe('mode quality', () => {
  it('counts every mode of real data and nearly all samples as high quality', () => {
    const q = modeQuality(ring.sample(4000, new Rng(1)), ring.modes!);
    expect(q.modesCovered).toBe(8);
    expect(q.highQualityShare).toBeGreaterThan(0.98);
  });

  it('sees a collapse onto one mode', () => {
    const onOneMode = new Float32Array(200).map((_, i) => (i % 2 === 0 ? 2 : 0));
    const q = modeQuality(onOneMode, ring.modes!);
    expect(q).toEqual({ modesCovered: 1, modesTotal: 8, highQualityShare: 1 });
  });

  it('gives no credit to points between modes', () => {
    const origin = new Float32Array(200);
    expect(modeQuality(origin, ring.modes!)).toEqual({
      modesCovered: 0,
      modesTotal: 8,
      highQualityShare: 0,
    });
  });

  it('needs a fifth of a fair share to call a mode covered', () => {
    // 100 points: 8 modes, threshold 0.2 * 100 / 8 = 2.5 points.
    const pts = new Float32Array(200);
    for (let i = 0; i < 98; i++) pts[2 * i] = 2;
    pts[196] = -2; // two points on the opposite mode: below threshold
    pts[198] = -2;
    expect(modeQuality(pts, ring.modes!).modesCovered).toBe(1);
  });
});

describe('Jensen-Shannon divergence', () => {
  it('is 0 for the same histogram and 1 bit for disjoint ones', () => {
    const a = new Float64Array([0.5, 0.5, 0, 0]);
    const b = new Float64Array([0, 0, 0.25, 0.75]);
    expect(jsDivergence(a, a)).toBe(0);
    expect(jsDivergence(a, b)).toBeCloseTo(1, 10);
  });

  it('matches a hand computation', () => {
    const p = new Float64Array([1, 0]);
    const q = new Float64Array([0.5, 0.5]);
    // m = (0.75, 0.25): 0.5 log2(1/0.75) + 0.5 (0.5 log2(0.5/0.75) + 0.5 log2(0.5/0.25))
    const expected = 0.5 * Math.log2(4 / 3) + 0.25 * Math.log2(2 / 3) + 0.25;
    expect(jsDivergence(p, q)).toBeCloseTo(expected, 10);
  });

  it('histograms sum to one and clamp outliers into the border bins', () => {
    const h = histogram2d(new Float32Array([0, 0, 10, 10, -10, 0]), 3, 4);
    expect(h.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
    expect(h[0 * 4 + 3]).toBeCloseTo(0, 12);
    expect(h[3 * 4 + 3]).toBeCloseTo(1 / 3, 12);
  });
});
