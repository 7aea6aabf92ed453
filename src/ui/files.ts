/** Files in and out of the page: downloads, and bundle files fetched from a URL. */
import { MAX_BUNDLE_BYTES } from '../io/bundle';
import { joinChunks } from '../io/bytes';

export function downloadBytes(bytes: Uint8Array, fileName: string): void {
  const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type: 'application/zip' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  // The click starts the download synchronously; the URL can go once it has been read.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Weights come over https, or plain http from this machine (for development and tests). */
export function checkWeightsUrl(text: string, page: string): URL {
  let url: URL;
  try {
    url = new URL(text, page);
  } catch {
    throw new Error(`"${text}" is not a URL`);
  }
  const local = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && local)) {
    throw new Error(
      `Weights are only fetched over https (or http from localhost), not ${url.protocol}`,
    );
  }
  return url;
}

export interface Progress {
  readonly loaded: number;
  readonly total: number | null;
}

/**
 * Fetches a bundle with CORS, reporting progress, and stops past the size limit. Errors are
 * sentences for a notice: the browser hides why a cross-origin fetch failed, so the message
 * names the likely causes.
 */
export async function fetchBundle(
  url: URL,
  onProgress: (progress: Progress) => void,
): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetch(url, { mode: 'cors', credentials: 'omit' });
  } catch {
    throw new Error(
      `Could not fetch ${url.href}: the server is unreachable or does not allow cross-origin reads (CORS)`,
    );
  }
  if (!response.ok) throw new Error(`Fetching ${url.href} failed: HTTP ${response.status}`);
  const declared = Number(response.headers.get('content-length'));
  const total = Number.isFinite(declared) && declared > 0 ? declared : null;
  if (total !== null && total > MAX_BUNDLE_BYTES) {
    throw new Error(`${url.href} is ${total} bytes, over the ${MAX_BUNDLE_BYTES}-byte limit`);
  }
  if (!response.body) throw new Error(`${url.href} sent no data`);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    loaded += value.byteLength;
    if (loaded > MAX_BUNDLE_BYTES) {
      await reader.cancel();
      throw new Error(`${url.href} is over the ${MAX_BUNDLE_BYTES}-byte limit`);
    }
    chunks.push(value);
    onProgress({ loaded, total });
  }
  return joinChunks(chunks, loaded);
}
