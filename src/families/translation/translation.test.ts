/**
 * The translation families' shared figures and uploads. The two-domain reader behind the translation families' feature distance and domain accuracy:
 * it reads real faces of both domains, and its figures score a perfect translation, a copy of
 * the input and noise as they must.
 */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/random';
import { twoDomainReader } from '../../metrics/twoDomainReader';
import { CycleGanExperiment } from '../cyclegan/experiment';
import { familyOf } from '../index';
import { Pix2PixExperiment } from '../pix2pix/experiment';
import { HELD_OUT, readerPixels, TranslationData } from './heldOut';

describe('two-domain reader', () => {
  it('reads the domain and the content of real held-out faces in both styles', () => {
    const { accuracy } = twoDomainReader(16);
    expect(accuracy.domain).toBeGreaterThan(0.99);
    // Mean |read − truth| over one-hot, ±1 and colour entries: a chance read is about 0.5.
    expect(accuracy.content).toBeLessThan(0.2);
  });

  it('scores the truth perfectly, a copy as the wrong domain, noise far off', () => {
    const data = new TranslationData(1, 8, 16);
    const { a, b } = data.data.test;
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
    const data = new TranslationData(1, 8, 32);
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
