/**
 * The readers' shared machine (the toy animals' and the two-domain faces'): a ridge regression
 * on fixed features, solved in closed form, that reads a generated data set's labels back from
 * an image. The features: the image averaged down to 8 x 8 px, and 384 random ReLU features of
 * it at 16 px (a fixed random layer, as an extreme learning machine). Closed form keeps a reader
 * seeded, exact and about a second to fit in any worker, with no training run to ship. It is
 * fitted on real images the data's generator labels and only ever judges a GAN's outputs.
 */
import type { Rng } from '../core/random';

/** Side every image is averaged down to before the random layer. */
export const READER_BASE = 16;
const COARSE = 8;
const RANDOM_FEATURES = 384;
const RIDGE = 1e-1;

/** Averages an HWC image of side `size` (a multiple of `to`) down to side `to`. */
function averageDown(image: ArrayLike<number>, size: number, to: number, offset = 0): Float64Array {
  const k = size / to;
  const out = new Float64Array(to * to * 3);
  for (let row = 0; row < size; row++) {
    for (let col = 0; col < size; col++) {
      const o = (Math.floor(row / k) * to + Math.floor(col / k)) * 3;
      const i = offset + (row * size + col) * 3;
      for (let c = 0; c < 3; c++) out[o + c]! += image[i + c]! / (k * k);
    }
  }
  return out;
}

/** Solves (A + ridge I) x = b for symmetric positive definite A (n x n), in place (Cholesky). */
function solveRidge(a: Float64Array, b: Float64Array, n: number, outs: number): Float64Array {
  for (let i = 0; i < n; i++) a[i * n + i]! += RIDGE;
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j]!;
    for (let k = 0; k < j; k++) d -= a[j * n + k]! * a[j * n + k]!;
    const l = Math.sqrt(d);
    a[j * n + j] = l;
    for (let i = j + 1; i < n; i++) {
      let s = a[i * n + j]!;
      for (let k = 0; k < j; k++) s -= a[i * n + k]! * a[j * n + k]!;
      a[i * n + j] = s / l;
    }
  }
  const x = new Float64Array(n * outs);
  for (let o = 0; o < outs; o++) {
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = b[i * outs + o]!;
      for (let k = 0; k < i; k++) s -= a[i * n + k]! * y[k]!;
      y[i] = s / a[i * n + i]!;
    }
    for (let i = n - 1; i >= 0; i--) {
      let s = y[i]!;
      for (let k = i + 1; k < n; k++) s -= a[k * n + i]! * x[k * outs + o]!;
      x[i * outs + o] = s / a[i * n + i]!;
    }
  }
  return x;
}

/** Labelled images to fit a reader on: `count` of them, side `size`, read as `target(i)`. */
export interface ReaderFitSet {
  readonly count: number;
  readonly size: number;
  image(i: number): ArrayLike<number>;
  target(i: number): ArrayLike<number>;
}

export class RidgeReader {
  private readonly projection: Float64Array;
  private readonly weights: Float64Array;
  private readonly dim: number;

  /**
   * Draws the random layer from `rng`, then fits `width` outputs on the set `fitSet` makes
   * (called after the draw, so a set forked from the same stream stays reproducible).
   */
  constructor(
    rng: Rng,
    readonly width: number,
    fitSet: () => ReaderFitSet,
  ) {
    const inputs = READER_BASE * READER_BASE * 3;
    this.projection = Float64Array.from(
      rng.normalArray(RANDOM_FEATURES * (inputs + 1), 1),
      (v) => v / Math.sqrt(inputs),
    );
    this.dim = COARSE * COARSE * 3 + RANDOM_FEATURES + 1;
    const fit = fitSet();
    const n = this.dim;
    const gram = new Float64Array(n * n);
    const rhs = new Float64Array(n * width);
    for (let i = 0; i < fit.count; i++) {
      const f = this.features(fit.image(i), fit.size);
      const y = fit.target(i);
      for (let a = 0; a < n; a++) {
        const fa = f[a]!;
        if (fa === 0) continue;
        for (let b = 0; b <= a; b++) gram[a * n + b]! += fa * f[b]!;
        for (let o = 0; o < width; o++) rhs[a * width + o]! += fa * y[o]!;
      }
    }
    for (let a = 0; a < n; a++) for (let b = a + 1; b < n; b++) gram[a * n + b] = gram[b * n + a]!;
    this.weights = solveRidge(gram, rhs, n, width);
  }

  private features(image: ArrayLike<number>, size: number, offset = 0): Float64Array {
    const base = averageDown(image, size, READER_BASE, offset);
    const coarse = averageDown(base, READER_BASE, COARSE);
    const out = new Float64Array(this.dim);
    out.set(coarse);
    const inputs = base.length;
    for (let j = 0; j < RANDOM_FEATURES; j++) {
      const row = j * (inputs + 1);
      let s = this.projection[row + inputs]!;
      for (let i = 0; i < inputs; i++) s += this.projection[row + i]! * base[i]!;
      out[coarse.length + j] = Math.max(0, s);
    }
    out[this.dim - 1] = 1;
    return out;
  }

  /** The `width` outputs read from one HWC image of side `size` (a multiple of 16) at `offset`. */
  read(image: ArrayLike<number>, size: number, offset = 0): Float64Array {
    const f = this.features(image, size, offset);
    const width = this.width;
    const out = new Float64Array(width);
    for (let a = 0; a < this.dim; a++) {
      const fa = f[a]!;
      if (fa === 0) continue;
      for (let o = 0; o < width; o++) out[o]! += fa * this.weights[a * width + o]!;
    }
    return out;
  }
}

/** Index of the largest of a block of outputs: a class read from its one-hot block. */
export function argmaxIn(v: ArrayLike<number>, block: { offset: number; size: number }): number {
  let best = 0;
  for (let k = 1; k < block.size; k++) {
    if (v[block.offset + k]! > v[block.offset + best]!) best = k;
  }
  return best;
}

/** Mean |a - b| over `count` entries from `offset`. */
export function meanAbs(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  offset: number,
  count: number,
): number {
  let s = 0;
  for (let k = 0; k < count; k++) s += Math.abs(a[offset + k]! - b[offset + k]!);
  return s / count;
}
