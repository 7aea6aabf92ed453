/**
 * Two domains with a known correspondence, for image-to-image translation (issue 15): the same
 * hidden toy face (src/data/faces.ts) rendered as a "photo" (domain A: flat colour regions)
 * and as a "line drawing" (domain B: every region's outline, inked in the region's own colour
 * darkened, on white paper). A -> B is edge tracing; B -> A is filling each region with the
 * colour of its outline, so both directions have one right answer, and because the generator
 * knows the counterpart of every image, translation error against the truth can be measured
 * (no real unpaired data set allows it).
 *
 * Pix2Pix trains on aligned pairs; CycleGAN and UNIT on unpaired draws (independent indices
 * into the two domains). A held-out split, drawn from its own seeded stream, measures error.
 * TF-free: arrays are NHWC float32 in [-1, 1], as the other data modules give them.
 */
import { Rng } from '../core/random';
import { type FaceParams, randomFace, renderFace } from './faces';

export const DOMAIN_NAMES = { A: 'photo', B: 'line drawing' } as const;
export type DomainName = keyof typeof DOMAIN_NAMES;

/** Aligned images: `a[i]` and `b[i]` render the same face. */
export interface AlignedImages {
  readonly count: number;
  readonly size: number;
  /** count x size x size x 3, values in [-1, 1]. */
  readonly a: Float32Array;
  readonly b: Float32Array;
  /** The face both render, per index: the labels a reader is fitted on. */
  readonly faces: readonly FaceParams[];
}

/** Paper white and how much the ink darkens a region's colour (both in [-1, 1] units). */
const PAPER = [0.94, 0.93, 0.88] as const;
const INK_DARKEN = 0.35;
/** Sum of |channel differences| to a 4-neighbour above which a pixel lies on an outline. */
const EDGE_THRESHOLD = 0.3;

/**
 * The line drawing of a photo: a pixel is inked when its colour differs from a 4-neighbour's
 * by more than EDGE_THRESHOLD (both sides of a boundary are inked, each in its own region's
 * colour), else it is paper. Deterministic, so B is a function of A's content.
 */
export function lineDrawing(photo: Float32Array, size: number, out: Float32Array, offset = 0) {
  const at = (row: number, col: number) => offset + (row * size + col) * 3;
  for (let row = 0; row < size; row++) {
    for (let col = 0; col < size; col++) {
      const i = at(row, col);
      let edge = false;
      for (const [dr, dc] of [
        [-1, 0],
        [1, 0],
        [0, -1],
        [0, 1],
      ] as const) {
        const r = row + dr;
        const c = col + dc;
        if (r < 0 || c < 0 || r >= size || c >= size) continue;
        const j = at(r, c);
        const diff =
          Math.abs(photo[i]! - photo[j]!) +
          Math.abs(photo[i + 1]! - photo[j + 1]!) +
          Math.abs(photo[i + 2]! - photo[j + 2]!);
        if (diff > EDGE_THRESHOLD) edge = true;
      }
      for (let k = 0; k < 3; k++) {
        // Ink: the colour mixed towards black (-1) by INK_DARKEN.
        out[i + k] = edge ? photo[i + k]! - INK_DARKEN * (photo[i + k]! + 1) : PAPER[k]!;
      }
    }
  }
}

/** A random face: any hair, gender, age and expression, every nuisance drawn. */
function drawFace(rng: Rng): FaceParams {
  return randomFace(rng, {
    hair: rng.int(3),
    male: rng.uniform() < 0.5,
    young: rng.uniform() < 0.5,
    expression: rng.int(5),
  });
}

/**
 * `count` faces from `seed`, rendered in both styles: aligned A (photo) and B (line drawing)
 * batches, NHWC float32 in [-1, 1]. The same seed, count and size give the same images.
 */
export function alignedFaces(seed: number | string, count: number, size: number): AlignedImages {
  const rng = new Rng(`two-domain:${seed}`);
  const pixels = size * size * 3;
  const a = new Float32Array(count * pixels);
  const b = new Float32Array(count * pixels);
  const faces: FaceParams[] = [];
  for (let i = 0; i < count; i++) {
    faces.push(drawFace(rng));
    renderFace(faces[i]!, size, a, i * pixels);
    lineDrawing(a, size, b, i * pixels);
  }
  return { count, size, a, b, faces };
}

/** A batch of `n` images per domain, NHWC float32, with the indices they came from. */
export interface DomainBatch {
  readonly n: number;
  readonly a: Float32Array;
  readonly b: Float32Array;
  readonly indicesA: readonly number[];
  readonly indicesB: readonly number[];
}

/** Copies images `indices` of one domain's array into a new batch. */
export function gather(images: Float32Array, size: number, indices: readonly number[]) {
  const n = size * size * 3;
  const out = new Float32Array(indices.length * n);
  indices.forEach((index, i) => {
    out.set(images.subarray(index * n, (index + 1) * n), i * n);
  });
  return out;
}

/**
 * The built-in two-domain data set: a training split and a held-out split (its own stream, so
 * no held-out face is trained on), and samplers of paired (Pix2Pix) and unpaired (CycleGAN,
 * UNIT: A and B indices drawn independently) batches from the training split.
 */
export class TwoDomainData {
  readonly train: AlignedImages;
  readonly test: AlignedImages;

  constructor(seed: number, trainCount: number, heldOut: number, size: number) {
    this.train = alignedFaces(`${seed}:train`, trainCount, size);
    this.test = alignedFaces(`${seed}:test`, heldOut, size);
  }

  /** Pairs: B[i] is the drawing of A[i]. */
  paired(rng: Rng, n: number): DomainBatch {
    const indices = Array.from({ length: n }, () => rng.int(this.train.count));
    return this.batch(indices, indices);
  }

  /** Independent draws from the two domains: the correspondence is hidden from the model. */
  unpaired(rng: Rng, n: number): DomainBatch {
    const indicesA = Array.from({ length: n }, () => rng.int(this.train.count));
    const indicesB = Array.from({ length: n }, () => rng.int(this.train.count));
    return this.batch(indicesA, indicesB);
  }

  private batch(indicesA: readonly number[], indicesB: readonly number[]): DomainBatch {
    const { size } = this.train;
    return {
      n: indicesA.length,
      a: gather(this.train.a, size, indicesA),
      b: gather(this.train.b, size, indicesB),
      indicesA,
      indicesB,
    };
  }
}
