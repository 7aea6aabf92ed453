import { describe, expect, it } from 'vitest';
import { Rng } from '../core/random';
import { EXPRESSIONS, FACE_ATTRIBUTES, FaceDataset } from './faces';
import { gatherImages } from './labelledImages';

const HAIR = [
  [38, 30, 28],
  [236, 204, 112],
  [128, 78, 40],
];
const GREY = [178, 178, 182];

/** The colour at face-relative coordinates (x, y) (the face ellipse is x^2 + y^2 < 1). */
function colourAt(set: FaceDataset, index: number, x: number, y: number): number[] {
  const p = set.params[index]!;
  const col = Math.floor((p.cx + x * p.rx) * set.size);
  const row = Math.floor((p.cy + y * p.ry) * set.size);
  const i = (row * set.size + col) * 3;
  return Array.from(set.image(index).subarray(i, i + 3), (v) => (v + 1) * 127.5);
}

const near = (a: number[], b: number[], tolerance = 30) =>
  a.every((v, i) => Math.abs(v - b[i]!) <= tolerance);

describe('toy faces', () => {
  it('are the same for the same seed, at every size', () => {
    for (const size of [16, 32, 64] as const) {
      const a = new FaceDataset('celeba', 8, size, new Rng(3));
      const b = new FaceDataset('celeba', 8, size, new Rng(3));
      expect(b.images).toEqual(a.images);
      expect(b.labels).toEqual(a.labels);
      expect(a.images.every((v) => v >= -1 && v <= 1)).toBe(true);
    }
  });

  it('label exactly one hair colour, and Male and Young as 0/1', () => {
    const set = new FaceDataset('celeba', 200, 32, new Rng(1));
    expect(set.labelNames).toEqual(FACE_ATTRIBUTES);
    for (let i = 0; i < set.count; i++) {
      const label = Array.from(set.label(i));
      expect(label.slice(0, 3).reduce((a, b) => a + b)).toBe(1);
      expect(label.every((v) => v === 0 || v === 1)).toBe(true);
    }
    // All attribute values occur in reasonable proportions.
    const mean = (k: number) =>
      Array.from({ length: set.count }, (_, i) => set.label(i)[k]!).reduce((a, b) => a + b) /
      set.count;
    for (let k = 0; k < 5; k++) expect(mean(k)).toBeGreaterThan(0.2);
  });

  it('draw each label: hair colour on the crown, beard for Male, grey temples for not Young', () => {
    const set = new FaceDataset('celeba', 120, 64, new Rng(2));
    for (let i = 0; i < set.count; i++) {
      const p = set.params[i]!;
      expect(near(colourAt(set, i, 0, -0.9), HAIR[p.hair]!)).toBe(true);
      const chin = colourAt(set, i, 0, 0.8);
      expect(near(chin, p.skin as unknown as number[], 12)).toBe(!p.male);
      expect(near(colourAt(set, i, 0.7, -0.7), GREY)).toBe(!p.young);
    }
  });

  it('give the expression set one-hot expressions only', () => {
    const set = new FaceDataset('rafd', 100, 32, new Rng(1));
    expect(set.labelNames).toEqual(EXPRESSIONS);
    const seen = new Set<number>();
    for (let i = 0; i < set.count; i++) {
      const label = Array.from(set.label(i));
      expect(label.reduce((a, b) => a + b)).toBe(1);
      expect(label.indexOf(1)).toBe(set.params[i]!.expression);
      seen.add(label.indexOf(1));
    }
    expect(seen.size).toBe(EXPRESSIONS.length);
  });

  it('gathers batches with horizontal flips', () => {
    const set = new FaceDataset('celeba', 4, 16, new Rng(1));
    const { images } = gatherImages(set, [1], [true]);
    const original = set.image(1);
    for (let row = 0; row < 16; row++) {
      for (let col = 0; col < 16; col++) {
        const a = images.subarray((row * 16 + col) * 3, (row * 16 + col) * 3 + 3);
        const b = original.subarray((row * 16 + 15 - col) * 3, (row * 16 + 15 - col) * 3 + 3);
        expect(Array.from(a)).toEqual(Array.from(b));
      }
    }
  });
});
