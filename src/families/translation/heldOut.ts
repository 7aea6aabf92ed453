/**
 * What the translation families (Pix2Pix, CycleGAN, UNIT) share on the engine side: the
 * built-in two-domain data (src/data/twoDomain.ts) with a held-out split as tensors, the
 * translation error against the true counterpart, the translate grid packed into a frame, the
 * two-way figures, and the loss row of a step that may update D, G or both.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../../core/random';
import { toRgba } from '../../data/pixels';
import { type DomainBatch, TwoDomainData } from '../../data/twoDomain';
import type { RenderInputs, StepResult } from '../../engine/experiment';
import { READER_BASE } from '../../metrics/ridgeReader';
import {
  contentDistance,
  domainOf,
  type TwoDomainReader,
  twoDomainReader,
} from '../../metrics/twoDomainReader';
import type { StepPhase } from '../../protocol/messages';
import type { ImageGrid } from '../types';
import type { CopyBaseline, Domain, TranslateRequest } from './spec';

/** Held-out faces per domain: the quality figures average over all of them. */
export const HELD_OUT = 32;
/** Held-out faces per domain shown in the translate grid. */
export const GRID_ROWS = 3;

/** Mean |x - y| over pixels in [-1, 1] of two equal-length arrays (on the CPU, once). */
export function meanAbsDiff(x: Float32Array, y: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += Math.abs(x[i]! - y[i]!);
  return sum / x.length;
}

/** The two-domain data of one run: the training split for batches, held-out tensors. */
export class TranslationData {
  readonly data: TwoDomainData;
  readonly testA: tf.Tensor4D;
  readonly testB: tf.Tensor4D;
  /** The grid's held-out faces, in both styles. */
  readonly gridA: tf.Tensor4D;
  readonly gridB: tf.Tensor4D;
  readonly baseline: CopyBaseline;
  readonly reader: TwoDomainReader;
  /** The reader's reads of the held-out faces, per domain: the truths translations meet. */
  readonly truthReads: { readonly A: Float64Array[]; readonly B: Float64Array[] };

  constructor(
    seed: number,
    datasetSize: number,
    readonly size: number,
  ) {
    this.data = new TwoDomainData(seed, datasetSize, HELD_OUT, size);
    const { a, b } = this.data.test;
    const shape: [number, number, number, number] = [HELD_OUT, size, size, 3];
    this.testA = tf.tensor4d(a, shape);
    this.testB = tf.tensor4d(b, shape);
    this.gridA = tf.slice(this.testA, [0, 0, 0, 0], [GRID_ROWS, -1, -1, -1]);
    this.gridB = tf.slice(this.testB, [0, 0, 0, 0], [GRID_ROWS, -1, -1, -1]);
    this.reader = twoDomainReader(size);
    const pixels = size * size * 3;
    const readAll = (images: Float32Array) =>
      Array.from({ length: HELD_OUT }, (_, i) => this.reader.read(images, size, i * pixels));
    this.truthReads = { A: readAll(a), B: readAll(b) };
    const copyFeature = mean(
      this.truthReads.A.map((read, i) => contentDistance(read, this.truthReads.B[i]!)),
    );
    this.baseline = { l1: meanAbsDiff(a, b), feature: copyFeature };
  }

  /**
   * The reader's figures of held-out translations into `to` (HELD_OUT images at READER_BASE px,
   * as readerPixels gives them): [feature distance to the true counterparts, share read as `to`].
   */
  readerFigures(translated: Float32Array, to: 'A' | 'B'): [number, number] {
    const pixels = READER_BASE * READER_BASE * 3;
    const target = to === 'A' ? 0 : 1;
    let distance = 0;
    let correct = 0;
    for (let i = 0; i < HELD_OUT; i++) {
      const read = this.reader.read(translated, READER_BASE, i * pixels);
      distance += contentDistance(read, this.truthReads[to][i]!);
      correct += Number(domainOf(read) === target);
    }
    return [distance / HELD_OUT, correct / HELD_OUT];
  }

  /** A training batch as tensors (caller disposes): pairs, or independent draws. */
  batch(rng: Rng, n: number, paired: boolean): { realA: tf.Tensor4D; realB: tf.Tensor4D } {
    const drawn: DomainBatch = paired ? this.data.paired(rng, n) : this.data.unpaired(rng, n);
    const shape: [number, number, number, number] = [n, this.size, this.size, 3];
    return { realA: tf.tensor4d(drawn.a, shape), realB: tf.tensor4d(drawn.b, shape) };
  }

  dispose(): void {
    tf.dispose([this.testA, this.testB, this.gridA, this.gridB]);
  }
}

const mean = (values: readonly number[]) => values.reduce((s, v) => s + v, 0) / values.length;

/**
 * Held-out translations as the reader takes them, flattened: averaged down to READER_BASE px
 * on the GPU (the reader averages down to that side first, so nothing is lost) to read back
 * a sixteenth of a 64 px batch.
 */
export function readerPixels(images: tf.Tensor4D): tf.Tensor1D {
  return tf.tidy(() => {
    const k = images.shape[1] / READER_BASE;
    const small = k === 1 ? images : tf.avgPool(images, k, k, 'valid');
    return tf.reshape(small, [-1]);
  });
}

/** Translation error: mean |G(x) - y| between a translation and the true counterpart. */
export function translationError(translated: tf.Tensor4D, truth: tf.Tensor4D): tf.Tensor1D {
  return tf.reshape(tf.mean(tf.abs(tf.sub(translated, truth))), [1]);
}

/**
 * A grid frame's tensor: rows of image columns (each [rows, s, s, 3]) interleaved row by row,
 * then the figures, flattened into one tensor to read back at once.
 */
export function packGrid(columns: readonly tf.Tensor4D[], figures: readonly tf.Tensor1D[]) {
  return tf.tidy(() => {
    // [rows, cols, s, s, 3]: row-major images.
    const images = tf.stack([...columns], 1);
    return tf.concat([tf.reshape(images, [-1]), ...figures]) as tf.Tensor1D;
  });
}

/** Reads packGrid's values back: the grid (RGBA) and the figures after it. */
export function unpackGrid(
  values: Float32Array,
  rows: number,
  cols: number,
  size: number,
): { grid: ImageGrid; figures: number[] } {
  const pixels = size * size;
  const count = rows * cols;
  const rgba = new Uint8ClampedArray(count * pixels * 4);
  for (let i = 0; i < count; i++) rgba.set(toRgba(values, pixels, i * pixels * 3), i * pixels * 4);
  return {
    grid: { rows, cols, size, pixels: rgba },
    figures: Array.from(values.subarray(count * pixels * 3)),
  };
}

/**
 * The two-way measurement of an unpaired translator on the held-out faces: [A→B L1, B→A L1,
 * cycle L1] (the cycle error the mean of |BA(AB(a)) - a| and |AB(BA(b)) - b|), then both
 * directions' translations as readerPixels, for decodeTwoWay.
 */
export function twoWayQuality(
  data: TranslationData,
  aToB: (x: tf.Tensor4D) => tf.Tensor4D,
  bToA: (x: tf.Tensor4D) => tf.Tensor4D,
): tf.Tensor1D {
  return tf.tidy(() => {
    const { testA, testB } = data;
    const fakeB = aToB(testA);
    const fakeA = bToA(testB);
    const cycleA = tf.mean(tf.abs(tf.sub(bToA(fakeB), testA)));
    const cycleB = tf.mean(tf.abs(tf.sub(aToB(fakeA), testB)));
    return tf.concat([
      translationError(fakeB, testB),
      translationError(fakeA, testA),
      tf.reshape(tf.div(tf.add(cycleA, cycleB), 2), [1]),
      readerPixels(fakeB),
      readerPixels(fakeA),
    ]) as tf.Tensor1D;
  });
}

/** twoWayQuality's values as the row twoWayFigures names (domain accuracy both ways). */
export function decodeTwoWay(data: TranslationData, values: Float32Array): number[] {
  const images = HELD_OUT * READER_BASE * READER_BASE * 3;
  const [featureB, domainB] = data.readerFigures(values.subarray(3, 3 + images), 'B');
  const [featureA, domainA] = data.readerFigures(values.subarray(3 + images), 'A');
  return [...values.subarray(0, 3), featureB, featureA, (domainA + domainB) / 2];
}

/** Grid columns of a two-way translator: each face there, back, and its true counterpart. */
export const TWO_WAY_COLUMNS = ['Input', 'Translated', 'Back (cycle)', 'True counterpart'];

/**
 * The two-way translate grid's columns: rows of photos (A → B → A), then rows of drawings
 * (B → A → B), as TWO_WAY_COLUMNS, then any extra columns the family adds (both halves given).
 */
export function twoWayColumns(
  data: TranslationData,
  aToB: (x: tf.Tensor4D) => tf.Tensor4D,
  bToA: (x: tf.Tensor4D) => tf.Tensor4D,
  extra: (gridA: tf.Tensor4D, gridB: tf.Tensor4D) => [tf.Tensor4D, tf.Tensor4D][] = () => [],
): tf.Tensor4D[] {
  const { gridA, gridB } = data;
  const fakeB = aToB(gridA);
  const fakeA = bToA(gridB);
  const column = ([fromA, fromB]: [tf.Tensor4D, tf.Tensor4D]) =>
    tf.concat([fromA, fromB]) as tf.Tensor4D;
  return [
    [gridA, gridB],
    [fakeB, fakeA],
    [bToA(fakeB), aToB(fakeA)],
    [gridB, gridA],
    ...extra(gridA, gridB),
  ].map((pair) => column(pair as [tf.Tensor4D, tf.Tensor4D]));
}

/**
 * The latest loss terms of D's and G's updates: a step may run either alone (the phase), and the
 * row charts the other's last values as not computed this step.
 */
export class LossRow {
  private lastD: tf.Tensor1D | null = null;
  private lastG: tf.Tensor1D | null = null;

  constructor(
    private readonly dTerms: number,
    private readonly gTerms: number,
  ) {}

  /** Keeps `terms` as the latest of D's or G's (owning them). */
  set(part: 'D' | 'G', terms: tf.Tensor1D): void {
    if (part === 'D') {
      this.lastD?.dispose();
      this.lastD = terms;
    } else {
      this.lastG?.dispose();
      this.lastG = terms;
    }
  }

  result(): StepResult {
    const losses = tf.tidy(() =>
      tf.concat([
        this.lastD ?? tf.fill([this.dTerms], Number.NaN),
        this.lastG ?? tf.fill([this.gTerms], Number.NaN),
      ]),
    ) as tf.Tensor1D;
    const d = this.lastD !== null;
    const g = this.lastG !== null;
    return {
      losses,
      computed: [...Array<boolean>(this.dTerms).fill(d), ...Array<boolean>(this.gTerms).fill(g)],
    };
  }

  dispose(): void {
    tf.dispose([this.lastD, this.lastG].filter((t): t is tf.Tensor1D => t !== null));
  }
}

/** An unpaired translator's updates: G's returns the fakes its forward pass made, for D's. */
export interface UnpairedUpdates<F extends Readonly<Record<keyof F, tf.Tensor>>> {
  readonly trainG: () => { readonly losses: tf.Tensor1D; readonly fakes: F };
  /** The fakes G makes now, for a D step alone. */
  readonly fakes: () => F;
  readonly trainD: (fakes: F) => tf.Tensor1D;
}

/**
 * One iteration as CycleGAN's and UNIT's references run it: the generators updated with the Ds
 * fixed, then the Ds on the fakes of that forward pass (made before G's update). 'G' or 'D'
 * runs one side alone. Disposes the fakes; returns the loss row.
 */
export function unpairedStep<F extends Readonly<Record<keyof F, tf.Tensor>>>(
  phase: StepPhase,
  row: LossRow,
  updates: UnpairedUpdates<F>,
): StepResult {
  let fakes: F | null = null;
  if (phase !== 'D') {
    const g = updates.trainG();
    row.set('G', g.losses);
    fakes = g.fakes;
  }
  if (phase !== 'G') {
    fakes ??= updates.fakes();
    row.set('D', updates.trainD(fakes));
  }
  if (fakes) tf.dispose(Object.values<tf.Tensor>(fakes));
  return row.result();
}

/** The columns a two-way translator gives an uploaded image: there, and back again. */
export const TWO_WAY_TRANSLATE_COLUMNS = ['Your image', 'Translated', 'Back (cycle)'];

/**
 * A translate request's images: per input, the input then `translate(x, from)`'s outputs, all
 * [1, size, size, 3], concatenated row by row. An input the worker no longer holds (it
 * restarted) is named in the error, so the page can say to upload it again.
 */
export function renderTranslations(
  request: TranslateRequest,
  inputs: RenderInputs,
  size: number,
  translate: (x: tf.Tensor4D, from: Domain) => tf.Tensor4D[],
): tf.Tensor4D {
  return tf.tidy(() => {
    const rows = request.inputs.map(({ key, from }) => {
      const pixels = inputs.get(key);
      if (!pixels || pixels.length !== size * size * 3) {
        throw new Error(`The uploaded image ${key} is not in this ${size} px run: upload it again`);
      }
      const x = tf.tensor4d(pixels, [1, size, size, 3]);
      return [x, ...translate(x, from)];
    });
    return tf.concat(rows.flat()) as tf.Tensor4D;
  });
}

/** A two-way translator's answer to an upload: there with one map, back with the other. */
export function twoWay(
  aToB: (x: tf.Tensor4D) => tf.Tensor4D,
  bToA: (x: tf.Tensor4D) => tf.Tensor4D,
): (x: tf.Tensor4D, from: Domain) => tf.Tensor4D[] {
  return (x, from) => {
    const [there, back] = from === 'A' ? [aToB, bToA] : [bToA, aToB];
    const translated = there(x);
    return [translated, back(translated)];
  };
}
