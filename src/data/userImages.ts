/**
 * Uploaded images as a model reads them: stored once as 64 px RGB bytes (centre-cropped and
 * resized when imported), read at 16, 32 or 64 px by averaging 4 x 4, 2 x 2 or single pixels
 * and scaling to [-1, 1], as the references' ToTensor + Normalize(0.5, 0.5) do. Conversion
 * happens per image when a batch asks, so a large set stays in bytes.
 */
import type { Rng } from '../core/random';
import { STORED_SIZE } from './importPlan';
import type { LabelledImages } from './labelledImages';

export interface StoredImages {
  readonly count: number;
  /** count x 64 x 64 x 3 bytes. */
  readonly pixels: Uint8Array;
  /** count x labelNames.length, 0/1. */
  readonly labels: Uint8Array;
  readonly labelNames: readonly string[];
}

/** The smallest set that trains: one image or more to learn from and 3 for the test grid. */
export const MIN_IMAGES = 4;

/** One stored image at `size` px (a divisor of 64), values in [-1, 1]. */
export function readStoredImage(pixels: Uint8Array, index: number, size: number): Float32Array {
  const factor = STORED_SIZE / size;
  if (!Number.isInteger(factor)) throw new Error(`${size} px does not divide ${STORED_SIZE} px`);
  const base = index * STORED_SIZE * STORED_SIZE * 3;
  const out = new Float32Array(size * size * 3);
  const scale = 1 / (factor * factor * 127.5);
  for (let row = 0; row < size; row++) {
    for (let col = 0; col < size; col++) {
      for (let ch = 0; ch < 3; ch++) {
        let sum = 0;
        for (let dy = 0; dy < factor; dy++) {
          const line = base + ((row * factor + dy) * STORED_SIZE + col * factor) * 3 + ch;
          for (let dx = 0; dx < factor; dx++) sum += pixels[line + dx * 3]!;
        }
        out[(row * size + col) * 3 + ch] = sum * scale - 1;
      }
    }
  }
  return out;
}

/** A held-out test split, as StarGAN keeps 2,000 CelebA faces apart: a tenth, 3 to 64. */
export function splitHeldOut(count: number, rng: Rng): { train: number[]; test: number[] } {
  if (count < MIN_IMAGES) {
    throw new Error(
      `The data set has ${count} image${count === 1 ? '' : 's'}; training needs at least ${MIN_IMAGES}`,
    );
  }
  const order = Array.from({ length: count }, (_, i) => i);
  for (let i = count - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const held = Math.min(64, Math.max(3, Math.floor(count / 10)));
  return { train: order.slice(held), test: order.slice(0, held) };
}

export class UserImageSet implements LabelledImages {
  readonly count: number;
  readonly labelNames: readonly string[];

  constructor(
    private readonly stored: StoredImages,
    readonly size: number,
    private readonly indices: readonly number[],
  ) {
    this.count = indices.length;
    this.labelNames = stored.labelNames;
  }

  image(index: number): Float32Array {
    return readStoredImage(this.stored.pixels, this.indices[index]!, this.size);
  }

  label(index: number): Float32Array {
    const width = this.labelNames.length;
    const at = this.indices[index]! * width;
    return Float32Array.from(this.stored.labels.subarray(at, at + width));
  }
}
