/**
 * A translation run's images as tensors: the training stream of batches (pairs, or independent
 * draws from the two domains) and the held-out split the grid and the figures use. Two sources:
 * - the built-in two-domain faces (src/data/twoDomain.ts), whose held-out photos and drawings
 *   are true counterparts, read by the two-domain reader for the feature distance and domain
 *   accuracy;
 * - an uploaded set with two domain folders (A the first by name, B the second): unpaired, or,
 *   for Pix2Pix, paired by file name (a.png in one folder with a.png in the other). Only pairs
 *   know a true counterpart, and no reader knows the user's domains, so those figures are NaN.
 */
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../../core/random';
import { DOMAIN_NAMES, TwoDomainData } from '../../data/twoDomain';
import { MIN_IMAGES, readStoredImage, splitHeldOut } from '../../data/userImages';
import type { UploadedData } from '../../engine/experiment';
import { READER_BASE } from '../../metrics/ridgeReader';
import {
  contentDistance,
  domainOf,
  type TwoDomainReader,
  twoDomainReader,
} from '../../metrics/twoDomainReader';
import type { CopyBaseline, Domain } from './spec';

/** Held-out built-in faces per domain: the quality figures average over all of them. */
export const HELD_OUT = 32;
/** Held-out images per domain shown in the translate grid. */
export const GRID_ROWS = 3;

type Shape4 = [number, number, number, number];

/** Mean |x - y| over pixels in [-1, 1] of two equal-length arrays (on the CPU, once). */
export function meanAbsDiff(x: Float32Array, y: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += Math.abs(x[i]! - y[i]!);
  return sum / x.length;
}

const mean = (values: readonly number[]) => values.reduce((s, v) => s + v, 0) / values.length;

/** Draws a training batch: n images per domain, NHWC in [-1, 1]; A[i] and B[i] aligned if paired. */
type Draw = (rng: Rng, n: number, paired: boolean) => { a: Float32Array; b: Float32Array };

/** The built-in faces' reader and its reads of the held-out truths. */
interface Reading {
  readonly reader: TwoDomainReader;
  readonly truthReads: { readonly A: Float64Array[]; readonly B: Float64Array[] };
}

export class TranslationData {
  readonly testA: tf.Tensor4D;
  readonly testB: tf.Tensor4D;
  /** The grid's held-out images of each domain. */
  readonly gridA: tf.Tensor4D;
  readonly gridB: tf.Tensor4D;
  /** What copying the input scores (NaN where there is no true counterpart to score against). */
  readonly baseline: CopyBaseline;
  /** Whether held-out A[i] and B[i] are true counterparts (the built-in faces, pairs). */
  readonly aligned: boolean;
  /** The data set's name for people, for a bundle's manifest. */
  readonly name: string;
  /** What each domain holds, for people. */
  readonly domainNames: { readonly A: string; readonly B: string };

  private constructor(
    readonly size: number,
    test: { readonly a: Float32Array; readonly b: Float32Array },
    private readonly draw: Draw,
    private readonly reading: Reading | null,
    meta: {
      readonly aligned: boolean;
      readonly name: string;
      readonly domainNames: { readonly A: string; readonly B: string };
    },
  ) {
    const pixels = size * size * 3;
    this.testA = tf.tensor4d(test.a, [test.a.length / pixels, size, size, 3]);
    this.testB = tf.tensor4d(test.b, [test.b.length / pixels, size, size, 3]);
    this.gridA = tf.slice(this.testA, [0, 0, 0, 0], [GRID_ROWS, -1, -1, -1]);
    this.gridB = tf.slice(this.testB, [0, 0, 0, 0], [GRID_ROWS, -1, -1, -1]);
    this.aligned = meta.aligned;
    this.name = meta.name;
    this.domainNames = meta.domainNames;
    const l1 = meta.aligned ? meanAbsDiff(test.a, test.b) : Number.NaN;
    const feature = reading
      ? mean(reading.truthReads.A.map((read, i) => contentDistance(read, reading.truthReads.B[i]!)))
      : Number.NaN;
    this.baseline = { l1, feature };
  }

  /** The built-in faces: `datasetSize` training faces and HELD_OUT held out, both styles. */
  static faces(seed: number, datasetSize: number, size: number): TranslationData {
    const data = new TwoDomainData(seed, datasetSize, HELD_OUT, size);
    const { a, b } = data.test;
    const reader = twoDomainReader(size);
    const pixels = size * size * 3;
    const readAll = (images: Float32Array) =>
      Array.from({ length: HELD_OUT }, (_, i) => reader.read(images, size, i * pixels));
    return new TranslationData(
      size,
      { a, b },
      (rng, n, paired) => (paired ? data.paired(rng, n) : data.unpaired(rng, n)),
      { reader, truthReads: { A: readAll(a), B: readAll(b) } },
      {
        aligned: true,
        name: 'two-domain toy faces (photos, line drawings)',
        domainNames: DOMAIN_NAMES,
      },
    );
  }

  /** An uploaded set with two domain folders; `paired` pairs its images by file name. */
  static uploaded(
    upload: UploadedData,
    size: number,
    paired: boolean,
    seed: number,
  ): TranslationData {
    const { summary, images, names } = upload;
    const [folderA, folderB] = summary.labelNames;
    if (summary.labelMode !== 'domains' || summary.labelNames.length !== 2) {
      const has =
        summary.labelMode === 'domains' ? `${summary.labelNames.length} domain folders` : 'none';
      throw new Error(
        `The translation models need an upload with exactly two domain folders; “${summary.name}” has ${has}`,
      );
    }
    const rng = new Rng(`${seed}:uploaded-split`);
    const byDomain: [number[], number[]] = [[], []];
    for (let i = 0; i < images.count; i++) byDomain[images.labels[2 * i] ? 0 : 1].push(i);
    // [train A, train B, test A, test B]: image indices into the upload.
    let split: [number[], number[], number[], number[]];
    if (paired) {
      const stem = (i: number) => (names[i] ?? '').replace(/^.*\//, '').replace(/\.[^.]*$/, '');
      const inB = new Map(byDomain[1].map((i) => [stem(i), i]));
      const pairs = byDomain[0].flatMap((i) => (inB.has(stem(i)) ? [[i, inB.get(stem(i))!]] : []));
      if (pairs.length < MIN_IMAGES) {
        throw new Error(
          `Pix2Pix pairs images by file name: ${pairs.length} names are in both “${folderA}” and “${folderB}”, and training needs at least ${MIN_IMAGES} pairs`,
        );
      }
      const { train, test } = splitHeldOut(pairs.length, rng);
      const side = (ks: number[], d: 0 | 1) => ks.map((k) => pairs[k]![d]!);
      split = [side(train, 0), side(train, 1), side(test, 0), side(test, 1)];
    } else {
      const [a, b] = byDomain.map((indices, d) => {
        if (indices.length < MIN_IMAGES) {
          throw new Error(
            `The domain “${summary.labelNames[d]}” has ${indices.length} images; training needs at least ${MIN_IMAGES}`,
          );
        }
        const { train, test } = splitHeldOut(indices.length, rng.fork(`domain-${d}`));
        return { train: train.map((k) => indices[k]!), test: test.map((k) => indices[k]!) };
      }) as [{ train: number[]; test: number[] }, { train: number[]; test: number[] }];
      split = [a.train, b.train, a.test, b.test];
    }
    const [trainA, trainB, testA, testB] = split;
    const read = (indices: readonly number[]) => {
      const out = new Float32Array(indices.length * size * size * 3);
      indices.forEach((index, k) => {
        out.set(readStoredImage(images.pixels, index, size), k * size * size * 3);
      });
      return out;
    };
    const draw: Draw = (stream, n, pairedDraw) => {
      const ia = Array.from({ length: n }, () => stream.int(trainA.length));
      const ib = pairedDraw ? ia : Array.from({ length: n }, () => stream.int(trainB.length));
      return { a: read(ia.map((k) => trainA[k]!)), b: read(ib.map((k) => trainB[k]!)) };
    };
    const how = paired ? 'paired by file name' : 'unpaired';
    return new TranslationData(size, { a: read(testA), b: read(testB) }, draw, null, {
      aligned: paired,
      name: `uploaded “${summary.name}” (A ${folderA}, B ${folderB}), ${how}`,
      domainNames: { A: folderA!, B: folderB! },
    });
  }

  /** Whether the reader's figures exist (the built-in faces). */
  get readable(): boolean {
    return this.reading !== null;
  }

  /**
   * The reader's figures of held-out translations into `to` (HELD_OUT images at READER_BASE px,
   * as readerPixels gives them): [feature distance to the true counterparts, share read as `to`].
   */
  readerFigures(translated: Float32Array, to: Domain): [number, number] {
    if (!this.reading) return [Number.NaN, Number.NaN];
    const { reader, truthReads } = this.reading;
    const pixels = READER_BASE * READER_BASE * 3;
    const target = to === 'A' ? 0 : 1;
    let distance = 0;
    let correct = 0;
    for (let i = 0; i < HELD_OUT; i++) {
      const read = reader.read(translated, READER_BASE, i * pixels);
      distance += contentDistance(read, truthReads[to][i]!);
      correct += Number(domainOf(read) === target);
    }
    return [distance / HELD_OUT, correct / HELD_OUT];
  }

  /** A training batch as tensors (caller disposes): pairs, or independent draws. */
  batch(rng: Rng, n: number, paired: boolean): { realA: tf.Tensor4D; realB: tf.Tensor4D } {
    const { a, b } = this.draw(rng, n, paired);
    const shape: Shape4 = [n, this.size, this.size, 3];
    return { realA: tf.tensor4d(a, shape), realB: tf.tensor4d(b, shape) };
  }

  dispose(): void {
    tf.dispose([this.testA, this.testB, this.gridA, this.gridB]);
  }
}
