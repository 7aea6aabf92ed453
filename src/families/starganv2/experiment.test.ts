/**
 * The StarGAN v2 experiment around the model: its toy animals, the attribute reader behind the
 * quality figures, and the playground's one-pass render (latent rows with truncation, the
 * reference grid, the interpolation slider).
 */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/random';
import { AnimalDataset } from '../../data/animals';
import { NO_RESOURCES } from '../../engine/experiment';
import { animalReader } from '../../metrics/animalReader';
import { StarGanV2Experiment } from './experiment';
import { previewKey, type StylesRequest, starganv2Family } from './spec';

const tiny = starganv2Family.testSizes.tiny[0]!;

describe('toy animals and their reader', () => {
  it('draws the three domains in turn, the same for the same seed', () => {
    const a = new AnimalDataset(4, 16, new Rng(1));
    const b = new AnimalDataset(4, 16, new Rng(1));
    expect(a.images).toEqual(b.images);
    expect(a.params.map((p) => p.domain)).toEqual([0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2]);
    expect(Array.from(a.label(4))).toEqual([0, 1, 0]);
  });

  it('the reader, fitted apart, reads real held-out animals', () => {
    const { accuracy } = animalReader();
    expect(accuracy.domain).toBeGreaterThan(0.95);
    // Content in image sides (a 16 px pixel is 0.0625), fur RGB in [-1, 1].
    expect(accuracy.content).toBeLessThan(0.02);
    expect(accuracy.fur).toBeLessThan(0.1);
  });
});

describe('the playground render', () => {
  const experiment = new StarGanV2Experiment(tiny, 1, NO_RESOURCES);
  const base: StylesRequest = {
    kind: 'styles',
    sources: [previewKey(0), previewKey(1)],
    references: [
      { key: previewKey(3), domain: 0 },
      { key: previewKey(4), domain: 1 },
    ],
    seed: 1,
    perDomain: 3,
    psi: 1,
    interpolation: {
      source: previewKey(0),
      a: { kind: 'latent', domain: 1, index: 0 },
      b: { kind: 'reference', key: previewKey(5), domain: 2 },
      t: 0.5,
    },
  };
  const render = (request: StylesRequest) => {
    const out = experiment.render(request, new Map());
    const values = Float32Array.from(out.dataSync());
    out.dispose();
    return values;
  };
  const n = 16 * 16 * 3;

  it('gives sources x domains x styles, then sources x references, then one interpolation', () => {
    const out = experiment.render(base, new Map());
    expect(out.shape).toEqual([2 * 3 * 3 + 2 * 2 + 1, 16, 16, 3]);
    out.dispose();
  });

  it('truncation psi 0 gives every latent style of a domain its mean style', () => {
    const values = render({ ...base, psi: 0, interpolation: null, references: [] });
    // Source 0, domain 0: styles 0 and 1 are the same image; domain 1 differs.
    const image = (k: number) => values.slice(k * n, (k + 1) * n);
    expect(image(1)).toEqual(image(0));
    expect(image(3)).not.toEqual(image(0));
    const free = render({ ...base, psi: 1, interpolation: null, references: [] });
    expect(free.slice(n, 2 * n)).not.toEqual(free.slice(0, n));
  });

  it('the interpolation changes with t and comes back when t does', () => {
    const last = (values: Float32Array) => values.slice(values.length - n);
    const at = (t: number) =>
      last(render({ ...base, interpolation: { ...base.interpolation!, t } }));
    const middle = at(0.5);
    expect(at(1)).not.toEqual(middle);
    expect(at(0.5)).toEqual(middle);
  });

  it('keeps the tensor count flat over renders', () => {
    render(base);
    const before = tf.memory().numTensors;
    render(base);
    expect(tf.memory().numTensors).toBe(before);
  });
});
