import { describe, expect, it } from 'vitest';
import { Rng } from './random';

describe('Rng', () => {
  it('repeats its stream for the same seed and differs for another', () => {
    const a = new Rng(7).normalArray(16);
    expect(new Rng(7).normalArray(16)).toEqual(a);
    expect(new Rng(8).normalArray(16)).not.toEqual(a);
  });

  it('draws standard normals', () => {
    const values = new Rng(1).normalArray(20000);
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(variance).toBeGreaterThan(0.95);
    expect(variance).toBeLessThan(1.05);
  });

  it('forks streams that do not depend on later use of the parent', () => {
    const parentA = new Rng(3);
    const childA = parentA.fork('data');
    parentA.normalArray(100);
    const parentB = new Rng(3);
    const childB = parentB.fork('data');
    expect(childA.normalArray(8)).toEqual(childB.normalArray(8));
  });

  it('resumes exactly from a saved state', () => {
    const rng = new Rng(5);
    rng.uniformArray(10, 0, 1);
    const resumed = new Rng(5, rng.state());
    expect(resumed.uniformArray(10, 0, 1)).toEqual(rng.uniformArray(10, 0, 1));
  });

  it('resumes mid-pair of normals, and from a state that went through JSON', () => {
    const rng = new Rng(6);
    rng.normalArray(3);
    const resumed = new Rng(0, JSON.parse(JSON.stringify(rng.state())));
    expect(resumed.normalArray(5)).toEqual(rng.normalArray(5));
  });
});
