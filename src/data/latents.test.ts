import { describe, expect, it } from 'vitest';
import { latentBatch, lerp, slerp } from './latents';

const norm = (v: Float32Array) => Math.hypot(...v);

describe('latent interpolation', () => {
  it('draws the same latents for the same seed', () => {
    expect(latentBatch(3, 2, 8)).toEqual(latentBatch(3, 2, 8));
    expect(latentBatch(4, 2, 8)).not.toEqual(latentBatch(3, 2, 8));
  });

  it('both interpolations start at a and end at b', () => {
    const [a, b] = latentBatch(1, 2, 16) as [Float32Array, Float32Array];
    for (const f of [lerp, slerp]) {
      expect(Array.from(f(a, b, 0)).every((v, i) => Math.abs(v - a[i]!) < 1e-5)).toBe(true);
      expect(Array.from(f(a, b, 1)).every((v, i) => Math.abs(v - b[i]!) < 1e-5)).toBe(true);
    }
  });

  it('slerp keeps the norm of equal-norm endpoints; lerp shrinks it midway', () => {
    const a = new Float32Array([1, 0, 0]);
    const b = new Float32Array([0, 1, 0]);
    expect(norm(slerp(a, b, 0.5))).toBeCloseTo(1, 6);
    expect(norm(lerp(a, b, 0.5))).toBeCloseTo(Math.SQRT1_2, 6);
  });
});
