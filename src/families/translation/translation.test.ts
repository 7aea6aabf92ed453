/**
 * The translation families' shared figures and uploads. The two-domain reader behind the translation families' feature distance and domain accuracy:
 * it reads real faces of both domains, and its figures score a perfect translation, a copy of
 * the input and noise as they must.
 */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/random';
import type { UploadedData } from '../../engine/experiment';
import { measureQuality } from '../../engine/quality';
import { twoDomainReader } from '../../metrics/twoDomainReader';
import { CycleGanExperiment } from '../cyclegan/experiment';
import { familyOf } from '../index';
import { Pix2PixExperiment } from '../pix2pix/experiment';
import { UnitExperiment } from '../unit/experiment';
import { HELD_OUT, TranslationData } from './data';
import { readerPixels } from './heldOut';

describe('two-domain reader', () => {
  it('reads the domain and the content of real held-out faces in both styles', () => {
    const { accuracy } = twoDomainReader(16);
    expect(accuracy.domain).toBeGreaterThan(0.99);
    // Mean |read − truth| over one-hot, ±1 and colour entries: a chance read is about 0.5.
    expect(accuracy.content).toBeLessThan(0.2);
  });

  it('scores the truth perfectly, a copy as the wrong domain, noise far off', () => {
    const data = TranslationData.faces(1, 8, 16);
    const [a, b] = [data.testA, data.testB].map((t) => t.dataSync() as Float32Array) as [
      Float32Array,
      Float32Array,
    ];
    const [truthDistance, truthDomain] = data.readerFigures(b, 'B');
    expect(truthDistance).toBe(0);
    expect(truthDomain).toBe(1);

    const [copyDistance, copyDomain] = data.readerFigures(a, 'B');
    expect(copyDomain).toBe(0);
    expect(copyDistance).toBeCloseTo(data.baseline.feature, 10);

    const noise = new Rng('noise').uniformArray(HELD_OUT * 16 * 16 * 3, -1, 1);
    const [noiseDistance] = data.readerFigures(noise, 'B');
    expect(noiseDistance).toBeGreaterThan(2 * data.baseline.feature);
    data.dispose();
  });

  it('reads a 32 px translation averaged down on the GPU as it reads the full image', () => {
    const data = TranslationData.faces(1, 8, 32);
    const pixels = readerPixels(data.testB);
    const [distance, domain] = data.readerFigures(pixels.dataSync() as Float32Array, 'B');
    expect(distance).toBeLessThan(1e-5);
    expect(domain).toBe(1);
    tf.dispose(pixels);
    data.dispose();
  });
});

describe('translating uploaded images', () => {
  const size = 16;
  const face = new Rng('upload').uniformArray(size * size * 3, -1, 1);
  const inputs = new Map([['mine', face]]);
  const CYCLEGAN_TINY = familyOf('cyclegan').testSizes.small;
  const PIX2PIX_TINY = familyOf('pix2pix').testSizes.small;

  it('gives each two-way input, its translation and the way back, as a row', () => {
    const experiment = new CycleGanExperiment(CYCLEGAN_TINY, 1);
    const before = tf.memory().numTensors;
    const images = experiment.render(
      {
        kind: 'translate',
        inputs: [
          { key: 'mine', from: 'A' },
          { key: 'mine', from: 'B' },
        ],
      },
      inputs,
    );
    expect(tf.memory().numTensors).toBe(before + 1);
    expect(images.shape).toEqual([6, size, size, 3]);
    const { G_AB, G_BA } = experiment.model;
    const worst = tf.tidy(() => {
      const x = tf.tensor4d(face, [1, size, size, 3]);
      const row = (k: number) => tf.slice(images, [k, 0, 0, 0], [1, -1, -1, -1]);
      // Rows: [photo, G_AB(photo), G_BA(G_AB(photo))], [drawing, G_BA(drawing), G_AB(...)].
      const expected = [x, G_AB(x), G_BA(G_AB(x)), x, G_BA(x), G_AB(G_BA(x))];
      return expected.map((e, k) => tf.max(tf.abs(tf.sub(row(k), e))).dataSync()[0]!);
    });
    expect(Math.max(...worst)).toBeLessThan(1e-6);
    images.dispose();
    experiment.dispose();
  });

  it('gives a one-way input its output, and names an image it does not hold', () => {
    const experiment = new Pix2PixExperiment(PIX2PIX_TINY, 1);
    const images = experiment.render(
      { kind: 'translate', inputs: [{ key: 'mine', from: 'B' }] },
      inputs,
    );
    expect(images.shape).toEqual([2, size, size, 3]);
    images.dispose();
    const before = tf.memory().numTensors;
    expect(() =>
      experiment.render({ kind: 'translate', inputs: [{ key: 'gone', from: 'B' }] }, inputs),
    ).toThrow('The uploaded image gone is not in this 16 px run: upload it again');
    expect(tf.memory().numTensors).toBe(before);
    experiment.dispose();
  });
});

/** An upload with one folder per domain: `folders` maps each folder name to its file names. */
function domainFolders(folders: Readonly<Record<string, readonly string[]>>): UploadedData {
  const labelNames = Object.keys(folders);
  const files = labelNames.flatMap((folder, d) =>
    folders[folder]!.map((file) => ({ folder, file, d })),
  );
  const bytes = 64 * 64 * 3;
  const pixels = new Uint8Array(files.length * bytes);
  const labels = new Uint8Array(files.length * labelNames.length);
  files.forEach(({ d }, i) => {
    // Each domain its own colour, each image a shade of it.
    for (let p = 0; p < 64 * 64; p++)
      pixels.set([40 + 150 * d, 60 + i, 200 - 120 * d], i * bytes + p * 3);
    labels[i * labelNames.length + d] = 1;
  });
  return {
    summary: {
      id: 'folders',
      name: 'my domains',
      count: files.length,
      bytes: pixels.length,
      createdAt: 0,
      labelMode: 'domains',
      labelNames,
      group: [],
      skipped: 0,
    },
    images: { count: files.length, pixels, labels, labelNames },
    names: files.map(({ folder, file }) => `${folder}/${file}`),
  };
}

describe('uploaded two-domain sets', () => {
  const files = (n: number, from = 0) => Array.from({ length: n }, (_, i) => `${i + from}.png`);

  it('train the unpaired translators: cycle L1 measured, no truth column or truth figures', async () => {
    const upload = domainFolders({ photos: files(8), sketches: files(6, 100) });
    const config = {
      ...familyOf('cyclegan').testSizes.small,
      data: 'uploaded',
      datasetId: 'folders',
    } as const;
    const experiment = new CycleGanExperiment(config, 1, upload);
    expect(experiment.info.gridColumns).toEqual([
      'Input',
      'Translated',
      'Back (cycle)',
      'Identity',
    ]);
    expect(experiment.describeData().name).toBe(
      'uploaded “my domains” (A photos, B sketches), unpaired',
    );
    for (let i = 0; i < 2; i++) experiment.step('both').losses.dispose();
    const frame = experiment.frameTensor();
    const decoded = experiment.decodeFrame(frame.dataSync() as Float32Array, 2);
    expect([decoded.grid.rows, decoded.grid.cols]).toEqual([6, 4]);
    frame.dispose();
    const quality = (await measureQuality(experiment))!;
    expect(quality[2]).toBeGreaterThan(0);
    expect([0, 1, 3, 4, 5].map((k) => quality[k])).toEqual(Array(5).fill(Number.NaN));
    expect(Number.isNaN(experiment.info.baseline.l1)).toBe(true);
    experiment.dispose();
  });

  it('pair by file name for Pix2Pix, so its L1 has a truth to meet', async () => {
    const upload = domainFolders({ a: [...files(6), 'only-in-a.png'], b: [...files(6), 'x.png'] });
    const config = {
      ...familyOf('pix2pix').testSizes.small,
      data: 'uploaded',
      datasetId: 'folders',
    } as const;
    const experiment = new Pix2PixExperiment(config, 1, upload);
    experiment.step('both').losses.dispose();
    const quality = (await measureQuality(experiment))!;
    expect(quality[0]).toBeGreaterThan(0);
    expect(Number.isNaN(quality[1]!)).toBe(true);
    expect(experiment.info.baseline.l1).toBeGreaterThan(0);
    experiment.dispose();
    const unmatched = domainFolders({ a: files(6), b: files(6, 50) });
    expect(() => new Pix2PixExperiment(config, 1, unmatched)).toThrow(
      'Pix2Pix pairs images by file name: 0 names are in both “a” and “b”, and training needs at least 4 pairs',
    );
  });

  it('name what is wrong with a set that is not two domains', () => {
    const config = {
      ...familyOf('unit').testSizes.small,
      data: 'uploaded',
      datasetId: 'folders',
    } as const;
    const three = domainFolders({ a: files(4), b: files(4), c: files(4) });
    expect(() => new UnitExperiment(config, 1, three)).toThrow(
      'The translation models need an upload with exactly two domain folders; “my domains” has 3 domain folders',
    );
    const small = domainFolders({ a: files(6), b: files(2) });
    expect(() => new UnitExperiment(config, 1, small)).toThrow(
      'The domain “b” has 2 images; training needs at least 4',
    );
  });
});
