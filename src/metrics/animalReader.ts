/**
 * Reads the toy animals' attributes back from an image: the domain, the content (where the
 * head is, how big, which way it turns) and the style (fur colour, pattern, eye colour). It is
 * trained apart from any GAN, on real animals the generator labels, and only ever judges G's
 * outputs: StarGAN v2's domain accuracy, content kept and reference style kept.
 *
 * A ridge regression on fixed features, solved in closed form: the image averaged down to
 * 8 x 8 px, and 384 random ReLU features of it at 16 px (a fixed random layer, as an extreme
 * learning machine). Closed form keeps it seeded, exact and about a second to fit in any
 * worker, with no training run to ship. Classes are read as the largest output of their block.
 */
import { Rng } from '../core/random';
import {
  ANIMAL_DOMAINS,
  AnimalDataset,
  attributeVector,
  READ_ATTRIBUTES,
  READ_WIDTH,
} from '../data/animals';

const BASE = 16;
const COARSE = 8;
const RANDOM_FEATURES = 384;
const RIDGE = 1e-1;
/** Animals per domain the reader is fitted on. */
const FIT_PER_DOMAIN = 300;

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

/** How well the reader reads real held-out animals (the page shows it next to the figures). */
export interface ReaderAccuracy {
  readonly domain: number;
  /** Mean absolute error of cx, cy and size, in image sides. */
  readonly content: number;
  /** Mean absolute error of the fur colour, RGB in [-1, 1]. */
  readonly fur: number;
}

export class AnimalReader {
  private readonly projection: Float64Array;
  private readonly weights: Float64Array;
  private readonly dim: number;
  readonly accuracy: ReaderAccuracy;

  constructor(rng: Rng) {
    const inputs = BASE * BASE * 3;
    this.projection = Float64Array.from(
      rng.normalArray(RANDOM_FEATURES * (inputs + 1), 1),
      (v) => v / Math.sqrt(inputs),
    );
    this.dim = COARSE * COARSE * 3 + RANDOM_FEATURES + 1;
    const fit = new AnimalDataset(FIT_PER_DOMAIN, BASE, rng.fork('fit'));
    const n = this.dim;
    const gram = new Float64Array(n * n);
    const rhs = new Float64Array(n * READ_WIDTH);
    for (let i = 0; i < fit.count; i++) {
      const f = this.features(fit.image(i), BASE);
      const y = attributeVector(fit.params[i]!);
      for (let a = 0; a < n; a++) {
        const fa = f[a]!;
        if (fa === 0) continue;
        for (let b = 0; b <= a; b++) gram[a * n + b]! += fa * f[b]!;
        for (let o = 0; o < READ_WIDTH; o++) rhs[a * READ_WIDTH + o]! += fa * y[o]!;
      }
    }
    for (let a = 0; a < n; a++) for (let b = a + 1; b < n; b++) gram[a * n + b] = gram[b * n + a]!;
    this.weights = solveRidge(gram, rhs, n, READ_WIDTH);
    this.accuracy = this.measure(new AnimalDataset(100, BASE, rng.fork('held-out')));
  }

  private features(image: ArrayLike<number>, size: number, offset = 0): Float64Array {
    const base = averageDown(image, size, BASE, offset);
    const coarse = averageDown(base, BASE, COARSE);
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

  /** The attribute vector read from one image (see READ_ATTRIBUTES for its layout). */
  read(image: ArrayLike<number>, size: number, offset = 0): Float64Array {
    const f = this.features(image, size, offset);
    const out = new Float64Array(READ_WIDTH);
    for (let a = 0; a < this.dim; a++) {
      const fa = f[a]!;
      if (fa === 0) continue;
      for (let o = 0; o < READ_WIDTH; o++) out[o]! += fa * this.weights[a * READ_WIDTH + o]!;
    }
    return out;
  }

  private measure(set: AnimalDataset): ReaderAccuracy {
    let domain = 0;
    let content = 0;
    let fur = 0;
    for (let i = 0; i < set.count; i++) {
      const read = this.read(set.image(i), set.size);
      const truth = attributeVector(set.params[i]!);
      domain += Number(argmaxIn(read, READ_ATTRIBUTES.domain) === set.params[i]!.domain);
      content += meanAbs(read, truth, READ_ATTRIBUTES.content.offset, 3);
      fur += meanAbs(read, truth, READ_ATTRIBUTES.fur.offset, 3);
    }
    return { domain: domain / set.count, content: content / set.count, fur: fur / set.count };
  }
}

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

let shared: AnimalReader | null = null;

/** The reader, fitted once per worker with a fixed seed (independent of any experiment's). */
export function animalReader(): AnimalReader {
  shared ??= new AnimalReader(new Rng('animal-reader'));
  return shared;
}

export const READER_DOMAINS = ANIMAL_DOMAINS;
