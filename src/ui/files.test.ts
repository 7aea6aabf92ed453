import { afterEach, describe, expect, it, vi } from 'vitest';
import { MAX_BUNDLE_BYTES } from '../io/bundle';
import { checkWeightsUrl, fetchBundle, type Progress } from './files';

const PAGE = 'https://play.example/';

describe('weights URLs', () => {
  it('take https, and http from this machine only', () => {
    expect(checkWeightsUrl('https://x.org/a.zip', PAGE).href).toBe('https://x.org/a.zip');
    expect(checkWeightsUrl('http://localhost:8000/a.zip', PAGE).hostname).toBe('localhost');
    expect(checkWeightsUrl('/models/a.zip', PAGE).href).toBe('https://play.example/models/a.zip');
    expect(() => checkWeightsUrl('http://x.org/a.zip', PAGE)).toThrow(
      'Weights are only fetched over https (or http from localhost), not http:',
    );
    expect(() => checkWeightsUrl('data:application/zip;base64,AA', PAGE)).toThrow('not data:');
    expect(() => checkWeightsUrl('http://[bad', PAGE)).toThrow('"http://[bad" is not a URL');
  });
});

describe('fetching a bundle', () => {
  afterEach(() => vi.unstubAllGlobals());
  const url = new URL('https://x.org/a.zip');

  it('streams the body and reports progress against the declared length', async () => {
    const body = new Uint8Array(1000).map((_, i) => i % 251);
    vi.stubGlobal(
      'fetch',
      async () => new Response(body, { headers: { 'content-length': '1000' } }),
    );
    const seen: Progress[] = [];
    const bytes = await fetchBundle(url, (p) => seen.push(p));
    expect(bytes).toEqual(body);
    expect(seen.at(-1)).toEqual({ loaded: 1000, total: 1000 });
  });

  it('says why it failed: network or CORS, HTTP status, size', async () => {
    vi.stubGlobal('fetch', async () => {
      throw new TypeError('Failed to fetch');
    });
    await expect(fetchBundle(url, () => {})).rejects.toThrow(
      'Could not fetch https://x.org/a.zip: the server is unreachable or does not allow cross-origin reads (CORS)',
    );
    vi.stubGlobal('fetch', async () => new Response('nope', { status: 404 }));
    await expect(fetchBundle(url, () => {})).rejects.toThrow('failed: HTTP 404');
    vi.stubGlobal(
      'fetch',
      async () =>
        new Response('x', { headers: { 'content-length': String(MAX_BUNDLE_BYTES + 1) } }),
    );
    await expect(fetchBundle(url, () => {})).rejects.toThrow('over the');
  });
});
