import { describe, expect, it } from 'vitest';
import { Rng } from '../core/random';
import { alignedFaces, lineDrawing, TwoDomainData } from './twoDomain';

describe('two-domain faces', () => {
  it('is seeded: the same seed gives the same images, another seed others', () => {
    const one = alignedFaces(3, 4, 16);
    expect(alignedFaces(3, 4, 16).a).toEqual(one.a);
    expect(alignedFaces(3, 4, 16).b).toEqual(one.b);
    expect(alignedFaces(4, 4, 16).a).not.toEqual(one.a);
  });

  it('renders B as the line drawing of A: a function of A, paper and ink only, in [-1, 1]', () => {
    const { a, b, size } = alignedFaces(1, 3, 32);
    const again = new Float32Array(b.length);
    for (let i = 0; i < 3; i++) lineDrawing(a, size, again, i * size * size * 3);
    expect(again).toEqual(b);
    expect(Math.min(...a, ...b)).toBeGreaterThanOrEqual(-1);
    expect(Math.max(...a, ...b)).toBeLessThanOrEqual(1);
    // Some but not most pixels are inked (paper's red channel is 0.94).
    let inked = 0;
    for (let p = 0; p < b.length; p += 3) if (b[p] !== Math.fround(0.94)) inked++;
    const share = inked / (b.length / 3);
    expect(share).toBeGreaterThan(0.1);
    expect(share).toBeLessThan(0.6);
  });

  it('keeps the held-out split apart and samples pairs and unpaired draws', () => {
    const data = new TwoDomainData(1, 20, 6, 16);
    expect(data.test.a).not.toEqual(data.train.a.subarray(0, data.test.a.length));
    const n = 16 * 16 * 3;
    const pairs = data.paired(new Rng(1), 5);
    expect(pairs.indicesA).toEqual(pairs.indicesB);
    const k = pairs.indicesA[2]!;
    expect(pairs.b.subarray(2 * n, 3 * n)).toEqual(data.train.b.subarray(k * n, (k + 1) * n));
    const unpaired = data.unpaired(new Rng(1), 8);
    expect(unpaired.indicesA).not.toEqual(unpaired.indicesB);
    const j = unpaired.indicesB[3]!;
    expect(unpaired.b.subarray(3 * n, 4 * n)).toEqual(data.train.b.subarray(j * n, (j + 1) * n));
  });
});
