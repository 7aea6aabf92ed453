import { describe, expect, it } from 'vitest';
import { Rng } from '../core/random';
import { DATASETS_2D, DISTRIBUTIONS_2D } from './toy2d';

const N = 8000;

function points(name: (typeof DATASETS_2D)[number], seed = 1) {
  return DISTRIBUTIONS_2D[name].sample(N, new Rng(seed));
}

describe('2D data sets', () => {
  it.each(DATASETS_2D)('%s is deterministic for a seed and stays in its window', (name) => {
    const a = points(name);
    expect(points(name)).toEqual(a);
    expect(points(name, 2)).not.toEqual(a);
    const extent = DISTRIBUTIONS_2D[name].extent;
    const inside = a.filter((v) => Math.abs(v) < extent).length;
    expect(inside / a.length).toBeGreaterThan(0.999);
  });

  it('ring: radius 2, spread 0.1, all 8 modes equally likely', () => {
    const p = points('ring');
    const counts = new Array(8).fill(0);
    let radius = 0;
    for (let i = 0; i < N; i++) {
      const [x, y] = [p[2 * i]!, p[2 * i + 1]!];
      radius += Math.hypot(x, y) / N;
      const k = Math.round((Math.atan2(y, x) / (2 * Math.PI)) * 8 + 8) % 8;
      counts[k]++;
    }
    expect(radius).toBeGreaterThan(1.98);
    expect(radius).toBeLessThan(2.02);
    for (const c of counts) expect(c / N).toBeCloseTo(1 / 8, 1);
  });

  it('grid: points sit on the 25 lattice sites', () => {
    const p = points('grid');
    let offLattice = 0;
    const sites = new Set<string>();
    for (let i = 0; i < N; i++) {
      const [x, y] = [p[2 * i]!, p[2 * i + 1]!];
      if (Math.hypot(x - Math.round(x), y - Math.round(y)) > 0.25) offLattice++;
      sites.add(`${Math.round(x)},${Math.round(y)}`);
    }
    expect(offLattice).toBe(0);
    expect(sites.size).toBe(25);
  });

  it('moons and spiral are centred near the origin', () => {
    for (const name of ['moons', 'spiral'] as const) {
      const p = points(name);
      let mx = 0;
      let my = 0;
      for (let i = 0; i < N; i++) {
        mx += p[2 * i]! / N;
        my += p[2 * i + 1]! / N;
      }
      expect(Math.hypot(mx, my)).toBeLessThan(0.6);
    }
  });
});
