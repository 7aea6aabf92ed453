import { describe, expect, it } from 'vitest';
import { cropSquare } from './imageUpload';

describe('cropSquare', () => {
  it("crops a CelebA photo as the StarGAN reference's test transform (CenterCrop 178)", () => {
    expect(cropSquare(178, 218, 'celeba')).toEqual({ x: 0, y: 20, side: 178 });
    // Another photo: the same proportion of its height, centred.
    expect(cropSquare(356, 436, 'celeba')).toEqual({ x: 0, y: 40, side: 356 });
    expect(cropSquare(1000, 436, 'celeba')).toEqual({ x: 322, y: 40, side: 356 });
  });

  it('takes the largest centred square otherwise', () => {
    expect(cropSquare(178, 218, 'square')).toEqual({ x: 0, y: 20, side: 178 });
    expect(cropSquare(300, 100, 'square')).toEqual({ x: 100, y: 0, side: 100 });
  });
});
