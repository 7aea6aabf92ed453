/**
 * The StarGAN v2 playground's state and actions: images to pick sources and references from
 * (held-out previews and the user's uploads, each with a domain), the latent styles' seed and
 * truncation, and the interpolation between two styles. One render request asks for all of it.
 */
import { send } from '../../../ui/client';
import { requestRender } from '../../../ui/render';
import { familyState } from '../../../ui/store/familyState';
import { type InfoStarGanV2, previewKey, type StyleChoice, type StylesRequest } from '../spec';

export interface Candidate {
  readonly key: string;
  readonly caption: string;
  readonly domain: number;
  /** size x size x 3 values in [-1, 1], for the thumbnails (the worker has its own copy). */
  readonly pixels: Float32Array;
}

export interface PlaygroundState {
  readonly candidates: readonly Candidate[];
  readonly sources: readonly string[];
  readonly references: readonly string[];
  readonly seed: number;
  readonly psi: number;
  /** The two ends of the interpolation and where the slider is (0 at a, 1 at b). */
  readonly a: StyleChoice | null;
  readonly b: StyleChoice | null;
  readonly t: number;
}

export const MAX_SOURCES = 3;
export const MAX_REFERENCES = 4;
/** Latent styles per domain in the playground's rows. */
export const STYLES_PER_DOMAIN = 4;

export const playground = familyState<PlaygroundState>('starganv2', {
  candidates: [],
  sources: [],
  references: [],
  seed: 1,
  psi: 1,
  a: null,
  b: null,
  t: 0.5,
});

export function onExperiment(info: InfoStarGanV2): void {
  const { preview, imageSize, domains } = info;
  const n = imageSize * imageSize * 3;
  const candidates: Candidate[] = Array.from({ length: preview.count }, (_, i) => ({
    key: previewKey(i),
    caption: `${domains[preview.domains[i]!]} ${i + 1}`,
    domain: preview.domains[i]!,
    pixels: preview.images.slice(i * n, (i + 1) * n),
  }));
  // A source from the first domain, references one per domain.
  const firstOf = (d: number) => candidates.find((c) => c.domain === d);
  const references = domains
    .map((_, d) => candidates.filter((c) => c.domain === d)[1] ?? firstOf(d))
    .filter((c) => c !== undefined)
    .map((c) => c.key);
  const source = candidates[0]?.key;
  playground.reset({
    candidates,
    sources: source ? [source] : [],
    references,
    a: { kind: 'latent', domain: Math.min(1, domains.length - 1), index: 0 },
    b: references[0]
      ? {
          kind: 'reference',
          key: references[0],
          domain: candidates.find((c) => c.key === references[0])!.domain,
        }
      : null,
  });
}

export function renderRequest(): StylesRequest | null {
  const s = playground.get();
  if (s.sources.length === 0) return null;
  const domainOf = (key: string) => s.candidates.find((c) => c.key === key)?.domain ?? 0;
  return {
    kind: 'styles',
    sources: s.sources,
    references: s.references.map((key) => ({ key, domain: domainOf(key) })),
    seed: s.seed,
    perDomain: STYLES_PER_DOMAIN,
    psi: s.psi,
    interpolation: s.a && s.b ? { source: s.sources[0]!, a: s.a, b: s.b, t: s.t } : null,
  };
}

const update = (
  change: Partial<PlaygroundState> | ((s: PlaygroundState) => Partial<PlaygroundState>),
) => {
  playground.set(change);
  requestRender();
};

export const setPsi = (psi: number) => update({ psi });
export const setT = (t: number) => update({ t });
export const newStyles = () => update((s) => ({ seed: s.seed + 1 }));
export const setEnd = (end: 'a' | 'b', choice: StyleChoice) => update({ [end]: choice });

/** Picks or unpicks a source (or a reference); the oldest pick makes room beyond the cap. */
export function toggle(list: 'sources' | 'references', key: string): void {
  const cap = list === 'sources' ? MAX_SOURCES : MAX_REFERENCES;
  update((s) => ({
    [list]: s[list].includes(key)
      ? s[list].filter((k) => k !== key)
      : [...s[list], key].slice(-cap),
  }));
}

/** Changes an uploaded image's domain (what E reads its style as). */
export function setDomain(key: string, domain: number): void {
  update((s) => ({
    candidates: s.candidates.map((c) => (c.key === key ? { ...c, domain } : c)),
  }));
}

/** An uploaded image: sent to the worker once, then named by its key in every request. */
export function addUpload(input: Candidate): void {
  send({ type: 'renderInput', key: input.key, pixels: input.pixels.slice() });
  update((s) => ({
    candidates: [...s.candidates, input],
    sources: [...s.sources, input.key].slice(-MAX_SOURCES),
  }));
}
