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

  it('reports an unknown model or a bad value, and uses nothing from it', () => {
    expect(readShareLink('?model=vqgan')).toMatchObject({
      experiment: null,
      problems: ['The link names an unknown model "vqgan"'],
    });
    const bad = readShareLink('?model=gan2d&gWidth=abc&metricsEvery=0');
    expect(bad.experiment).toBeNull();
    expect(bad.live).toBeNull();
    expect(bad.problems[0]).toMatch(/^The link's settings could not be used: .*model\.gWidth/);
    expect(bad.problems[1]).toMatch(/live settings could not be used: .*metricsEvery/);
  });

  it('never carries an uploaded data set, and says so when a link names one', () => {
    const experiment = {
      ...TINY_EXPERIMENTS[2]!,
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
