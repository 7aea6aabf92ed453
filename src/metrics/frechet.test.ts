import { describe, expect, it } from 'vitest';
import { Rng } from '../core/random';
import { fitGaussian, frechetDistance } from './frechet';

describe('Fréchet distance', () => {
  const rng = new Rng(1);
  const sample = (n: number, dim: number, mean: number, std: number) =>
    Float64Array.from(rng.normalArray(n * dim), (v) => mean + std * v);

  it('is 0 for the same data', () => {
    const x = sample(200, 3, 0, 1);
    const g = fitGaussian(x, 200, 3);
    expect(frechetDistance(g, g)).toBeCloseTo(0, 8);
  });

  it('matches the closed form for diagonal covariances', () => {
    // For diagonal S1, S2: |mu1 - mu2|^2 + sum (sqrt(s1) - sqrt(s2))^2.
    const gA = fitGaussian(new Float64Array([-1, 0, 1, 0, 0, -2, 0, 2]), 4, 2);
    const gB = fitGaussian(new Float64Array([2, 1, 4, 1, 3, -1, 3, 3]), 4, 2);
    // gA: mean (0, 0), variances (2/3, 8/3); gB: mean (3, 1), variances (2/3, 8/3).
    expect(frechetDistance(gA, gB)).toBeCloseTo(9 + 1, 6);
    const gC = fitGaussian(new Float64Array([-2, 0, 2, 0, 0, -4, 0, 4]), 4, 2);
    const expected =
      (Math.sqrt(2 / 3) - Math.sqrt(8 / 3)) ** 2 + (Math.sqrt(8 / 3) - Math.sqrt(32 / 3)) ** 2;
    expect(frechetDistance(gA, gC)).toBeCloseTo(expected, 6);
  });

  it('grows with the gap between two distributions', () => {
    const base = fitGaussian(sample(500, 4, 0, 1), 500, 4);
    const near = fitGaussian(sample(500, 4, 0.2, 1), 500, 4);
    const far = fitGaussian(sample(500, 4, 1, 2), 500, 4);
    expect(frechetDistance(base, near)).toBeLessThan(frechetDistance(base, far));
  });
});
