/**
 * The StarGAN playground's state and actions: faces to translate (held-out previews and the
 * user's uploads), the picked ones, and the label sliders of each label set.
 */
import { send } from '../../../ui/client';
import { requestRender } from '../../../ui/render';
import { familyState } from '../../../ui/store/familyState';
import { type FaceDomain, type InfoStarGan, previewKey, type TranslateRequest } from '../spec';

/** A face the sliders translate: from the held-out preview or uploaded by the user. */
export interface PlaygroundInput {
  readonly key: string;
  readonly caption: string;
  /** size x size x 3 values in [-1, 1], for the thumbnails (the worker has its own copy). */
  readonly pixels: Float32Array;
}

export interface PlaygroundState {
  /** Faces the user can pick from: the preview's, then uploads. */
  readonly candidates: readonly PlaygroundInput[];
  /** Keys of the picked faces, in order (at most MAX_INPUTS). */
  readonly selected: readonly string[];
  readonly activeDomain: FaceDomain;
  readonly sliders: Readonly<Record<FaceDomain, readonly number[]>>;
}

export const MAX_INPUTS = 4;

export const playground = familyState<PlaygroundState>('stargan', {
  candidates: [],
  selected: [],
  activeDomain: 'celeba',
  sliders: { celeba: [], rafd: [] },
});

/** The preview faces as slider inputs, and the first one picked with its labels on the sliders. */
export function onExperiment(info: InfoStarGan): void {
  const { preview, imageSize } = info;
  const n = imageSize * imageSize * 3;
  const candidates: PlaygroundInput[] = Array.from({ length: preview.count }, (_, i) => ({
    key: previewKey(i),
    caption: preview.captions[i]!,
    pixels: preview.images.slice(i * n, (i + 1) * n),
  }));
  const first = info.domains[0]!;
  const sliders = { celeba: [] as number[], rafd: [] as number[] };
  for (const domain of info.domains) {
    sliders[domain.name] = domain.labels.map((_, k) =>
      domain.kind === 'oneOf' && k === 0 ? 1 : 0,
    );
  }
  sliders[first.name] = [...preview.labels[0]!];
  playground.reset({
    candidates,
    selected: candidates.slice(0, 2).map((c) => c.key),
    activeDomain: first.name,
    sliders,
  });
}

export function renderRequest(): TranslateRequest | null {
  const s = playground.get();
  if (s.selected.length === 0) return null;
  return {
    kind: 'translate',
    inputs: s.selected,
    domain: s.activeDomain,
    values: s.sliders[s.activeDomain],
  };
}

export function setSlider(domain: FaceDomain, index: number, value: number): void {
  playground.set((s) => ({
    activeDomain: domain,
    sliders: { ...s.sliders, [domain]: s.sliders[domain].map((v, k) => (k === index ? value : v)) },
  }));
  requestRender();
}

/** Sets a one-of-N group (hair colours, expressions) to exactly one member. */
export function setOneHot(domain: FaceDomain, indices: readonly number[], chosen: number): void {
  playground.set((s) => ({
    activeDomain: domain,
    sliders: {
      ...s.sliders,
      [domain]: s.sliders[domain].map((v, k) => (indices.includes(k) ? Number(k === chosen) : v)),
    },
  }));
  requestRender();
}

export function setActiveDomain(domain: FaceDomain): void {
  playground.set({ activeDomain: domain });
  requestRender();
}

/** Picks or unpicks a face; the oldest pick makes room beyond MAX_INPUTS. */
export function toggleInput(key: string): void {
  playground.set((s) => ({
    selected: s.selected.includes(key)
      ? s.selected.filter((k) => k !== key)
      : [...s.selected, key].slice(-MAX_INPUTS),
  }));
  requestRender();
}

/** An uploaded face: sent to the worker once, then named by its key in every request. */
export function addUpload(input: PlaygroundInput): void {
  send({ type: 'renderInput', key: input.key, pixels: input.pixels.slice() });
  playground.set((s) => ({
    candidates: [...s.candidates, input],
    selected: [...s.selected, input.key].slice(-MAX_INPUTS),
  }));
  requestRender();
}
