/**
 * Reads a two-domain face (src/data/twoDomain.ts) back from an image of either style: which
 * domain it is in (photo or line drawing) and what it shows (hair, sex, age, expression, skin and
 * background colour). A ridge reader (ridgeReader.ts) fitted on real faces of both domains, so
 * its content read is the same for a face and its drawing; it only ever judges translations:
 * - the feature distance: mean |r(G_AB(a)) − r(b)| over the content read of the translation and
 *   of the true counterpart (what a perceptual distance measures on real data, here on features
 *   that name what the face is);
 * - the domain accuracy: how often a translation is read as its target domain (a copy of the
 *   input, the untrained translator, scores 0).
 */
import { Rng } from '../core/random';
import type { FaceParams } from '../data/faces';
import { alignedFaces } from '../data/twoDomain';
import { argmaxIn, meanAbs, RidgeReader } from './ridgeReader';

/** The read vector: domain one-hot, then the content a translation must keep. */
export const TWO_DOMAIN_READ = {
  domain: { offset: 0, size: 2 },
  /** Hair one-hot (3), male and young (±1), expression one-hot (5), skin and background RGB. */
  content: { offset: 2, size: 16 },
} as const;
const WIDTH = 18;
/** Faces the reader is fitted on, each in both domains. */
const FIT_FACES = 1000;
const HELD_OUT_FACES = 100;

const oneHot = (k: number, n: number) => Array.from({ length: n }, (_, i) => Number(i === k));
/** Colours as the images hold them: [0, 255] to [-1, 1]. */
const signed = (rgb: readonly number[]) => rgb.map((v) => v / 127.5 - 1);

/** What the reader should read from face `p` drawn in domain 0 (photo) or 1 (drawing). */
export function twoDomainTarget(p: FaceParams, domain: 0 | 1): number[] {
  return [
    ...oneHot(domain, 2),
    ...oneHot(p.hair, 3),
    p.male ? 1 : -1,
    p.young ? 1 : -1,
    ...oneHot(p.expression, 5),
    ...signed(p.skin),
    ...signed(p.background),
  ];
}

/** The domain a read vector names: 0 photo, 1 drawing. */
export function domainOf(read: ArrayLike<number>): number {
  return argmaxIn(read, TWO_DOMAIN_READ.domain);
}

/** Mean |x − y| over the content entries of two read vectors: the feature distance. */
export function contentDistance(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const { offset, size } = TWO_DOMAIN_READ.content;
  return meanAbs(x, y, offset, size);
}

/** How well the reader reads real held-out faces (shown beside the figures it gives). */
export interface TwoDomainReaderAccuracy {
  readonly domain: number;
  /** Mean |read − truth| of the content entries, over both domains. */
  readonly content: number;
  /** Mean |r(a) − r(b)| of the content read of a face and of its own drawing: the floor. */
  readonly pairDistance: number;
}

export class TwoDomainReader {
  private readonly reader: RidgeReader;
  readonly accuracy: TwoDomainReaderAccuracy;

  /**
   * Fitted on faces rendered at `size` (a multiple of 16), the side it will read: a drawing's
   * outlines are one pixel wide at every size, so its average at 16 px depends on the size.
   */
  constructor(
    rng: Rng,
    readonly size: number,
  ) {
    this.reader = new RidgeReader(rng, WIDTH, () => {
      const fit = alignedFaces(`reader:${rng.int(1 << 30)}`, FIT_FACES, size);
      const pixels = size * size * 3;
      // Even rows photos, odd rows their drawings.
      const image = (i: number) => {
        const k = i >> 1;
        return (i & 1 ? fit.b : fit.a).subarray(k * pixels, (k + 1) * pixels);
      };
      return {
        count: 2 * FIT_FACES,
        size,
        image,
        target: (i) => twoDomainTarget(fit.faces[i >> 1]!, (i & 1) as 0 | 1),
      };
    });
    this.accuracy = this.measure(rng);
  }

  /**
   * The read vector of one HWC image at `offset`: of the reader's side, or already averaged
   * down from it to 16 px (the reader's first step, which a GPU does faster).
   */
  read(image: ArrayLike<number>, size: number, offset = 0): Float64Array {
    return this.reader.read(image, size, offset);
  }

  private measure(rng: Rng): TwoDomainReaderAccuracy {
    const set = alignedFaces(`reader-held-out:${rng.int(1 << 30)}`, HELD_OUT_FACES, this.size);
    const pixels = this.size * this.size * 3;
    let domain = 0;
    let content = 0;
    let pairDistance = 0;
    for (let i = 0; i < set.count; i++) {
      const reads = [set.a, set.b].map((images) => this.read(images, this.size, i * pixels));
      reads.forEach((read, d) => {
        domain += Number(domainOf(read) === d);
        const truth = twoDomainTarget(set.faces[i]!, d as 0 | 1);
        content += contentDistance(read, truth);
      });
      pairDistance += contentDistance(reads[0]!, reads[1]!);
    }
    const n = set.count;
    return { domain: domain / (2 * n), content: content / (2 * n), pairDistance: pairDistance / n };
  }
}

const fitted = new Map<number, TwoDomainReader>();

/**
 * The reader of faces of side `size`, fitted once per worker and size with a fixed seed
 * (independent of any experiment's).
 */
export function twoDomainReader(size: number): TwoDomainReader {
  let reader = fitted.get(size);
  if (!reader) {
    reader = new TwoDomainReader(new Rng(`two-domain-reader:${size}`), size);
    fitted.set(size, reader);
  }
  return reader;
}
