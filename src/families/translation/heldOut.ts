/**
 * What the translation families (Pix2Pix, CycleGAN, UNIT) share on the engine side, beside
 * their data (data.ts): the translation error against the true counterpart, the translate grid
 * packed into a frame, the two-way figures, the user's images translated, and the loss row of a
 * step that may update D, G or both.
 */
import * as tf from '@tensorflow/tfjs-core';
import { toRgba } from '../../data/pixels';
import type { RenderInputs, StepResult } from '../../engine/experiment';
import { READER_BASE } from '../../metrics/ridgeReader';
import type { StepPhase } from '../../protocol/messages';
import type { ImageGrid } from '../types';
import { HELD_OUT, type TranslationData } from './data';
import type { Domain, TranslateRequest } from './spec';

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
 * The two-way measurement of an unpaired translator on the held-out images: [A→B L1, B→A L1,
 * cycle L1] (the cycle error the mean of |BA(AB(a)) - a| and |AB(BA(b)) - b|; the L1 errors NaN
 * without true counterparts), then, where the reader reads the data, both directions'
 * translations as readerPixels, for decodeTwoWay.
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
    const unknown = () => tf.tensor1d([Number.NaN]);
    return tf.concat([
      data.aligned ? translationError(fakeB, testB) : unknown(),
      data.aligned ? translationError(fakeA, testA) : unknown(),
      tf.reshape(tf.div(tf.add(cycleA, cycleB), 2), [1]),
      ...(data.readable ? [readerPixels(fakeB), readerPixels(fakeA)] : []),
    ]) as tf.Tensor1D;
  });
}

/** twoWayQuality's values as the row twoWayFigures names (domain accuracy both ways). */
export function decodeTwoWay(data: TranslationData, values: Float32Array): number[] {
  if (!data.readable) return [...values.subarray(0, 3), Number.NaN, Number.NaN, Number.NaN];
  const images = HELD_OUT * READER_BASE * READER_BASE * 3;
  const [featureB, domainB] = data.readerFigures(values.subarray(3, 3 + images), 'B');
  const [featureA, domainA] = data.readerFigures(values.subarray(3 + images), 'A');
  return [...values.subarray(0, 3), featureB, featureA, (domainA + domainB) / 2];
}

/**
 * Grid columns of a two-way translator: each image there, back, and its true counterpart
 * (where the data knows it).
 */
export function twoWayColumnTitles(data: TranslationData): string[] {
  const titles = ['Input', 'Translated', 'Back (cycle)'];
  return data.aligned ? [...titles, 'True counterpart'] : titles;
}

/**
 * The two-way translate grid's columns: rows of photos (A → B → A), then rows of drawings
 * (B → A → B), as twoWayColumnTitles, then any extra columns the family adds (both halves).
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
    ...(data.aligned ? [[gridB, gridA]] : []),
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
