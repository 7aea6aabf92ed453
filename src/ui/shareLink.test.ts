import { describe, expect, it } from 'vitest';
import { DEFAULT_LIVE_SETTINGS, type ExperimentConfig } from '../protocol/messages';
import { TINY_EXPERIMENTS, TINY_STARGAN } from '../test/tinyConfigs';
import { readShareLink, shareUrl } from './shareLink';

const BASE = 'http://localhost:4173/?backend=cpu&bench=1';
const live = { maxStepsPerSecond: 30, metricsEvery: 5 };

describe('share links', () => {
  it.each(TINY_EXPERIMENTS.map((c) => [c.kind, c] as const))(
    '%s: a link rebuilds the same experiment and live settings',
    (_, experiment) => {
      const url = new URL(shareUrl(BASE, experiment, live, null));
      expect(url.searchParams.get('backend')).toBe('cpu');
      expect(url.searchParams.has('bench')).toBe(false);
      expect(readShareLink(url.search)).toEqual({
        experiment,
        live,
        weightsUrl: null,
        problems: [],
      });
    },
  );

  it('carries a weights URL', () => {
    const weights = 'https://example.org/models/a b.zip';
    const url = new URL(shareUrl(BASE, TINY_EXPERIMENTS[0]!, DEFAULT_LIVE_SETTINGS, weights));
    expect(readShareLink(url.search).weightsUrl).toBe(weights);
  });

  it('fills settings a link leaves out with their defaults', () => {
    const link = readShareLink('?model=imagegan&variant=wgan-gp&imageSize=16');
    expect(link.problems).toEqual([]);
    expect(link.experiment).toMatchObject({
      kind: 'imagegan',
      seed: 1,
      model: { variant: 'wgan-gp', imageSize: 16, zDim: 100 },
    });
    expect(link.live).toBeNull();
  });

  it('reports an unknown model, and each bad value by name, keeping the good ones', () => {
    expect(readShareLink('?model=vqgan')).toMatchObject({
      experiment: null,
      problems: ['The link names an unknown model "vqgan"'],
    });
    const bad = readShareLink(
      '?model=gan2d&gWidth=abc&dWidth=7&metricsEvery=0&maxStepsPerSecond=3',
    );
    expect(bad.experiment?.model).toMatchObject({ gWidth: 32, dWidth: 7 });
    expect(bad.live).toEqual({ maxStepsPerSecond: 3, metricsEvery: 10 });
    expect(bad.problems).toEqual([
      'gWidth=abc is not a whole number from 1 to 128; the default is used',
      'metricsEvery=0 is not a whole number from 1 to 1000; the default is used',
    ]);
  });

  it('names a bad backend and parameters it does not know', () => {
    const link = readShareLink('?model=stargan&imageSize=999&seed=-5&backend=quantum&colour=red');
    expect(link.experiment).toMatchObject({ kind: 'stargan', seed: 1, model: { imageSize: 32 } });
    expect(link.problems).toEqual([
      'backend=quantum is not one of auto, webgpu, webgl, cpu; auto is used',
      'imageSize=999 is not one of 16, 32, 64, 128; the default is used',
      'seed=-5 is not a whole number from 0 to 2147483647; the default is used',
      'The link has parameters this page does not know, ignored: colour',
    ]);
  });

  it('never carries an uploaded data set, and says so when a link names one', () => {
    const experiment = {
      kind: 'stargan',
      seed: 3,
      model: { ...TINY_STARGAN, data: 'uploaded', datasetId: 'abc' },
    } as ExperimentConfig;
    const url = new URL(shareUrl(BASE, experiment, live, null));
    expect(url.searchParams.has('datasetId')).toBe(false);
    const link = readShareLink(url.search);
    expect(link.experiment).toMatchObject({ model: { data: 'celeba', datasetId: null } });
    expect(link.problems[0]).toMatch(/uploaded in another browser/);
  });

  it('is plain when nothing is in the query', () => {
    expect(readShareLink('')).toEqual({
      experiment: null,
      live: null,
      weightsUrl: null,
      problems: [],
    });
  });
});
