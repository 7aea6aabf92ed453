/**
 * The latent explorer's state and actions: eight samples at seeded latents, sliders on sample
 * A's first dimensions, and the interpolation from A to B.
 */
import { latentBatch, lerp, slerp } from '../../../data/latents';
import { requestRender } from '../../../ui/render';
import { familyState } from '../../../ui/store/familyState';
import { useAppStore } from '../../../ui/store/store';
import type { LatentRequest } from '../spec';

export interface ExplorerState {
  /** Seed of the explorer's latents; "new latents" moves it on. */
  readonly latentSeed: number;
  /** Indices of samples A (edited by the sliders) and B (the end of the interpolation). */
  readonly latentA: number;
  readonly latentB: number;
  /** Values of A's first LATENT_SLIDERS dimensions, or null to keep A's own. */
  readonly latentEdits: readonly number[] | null;
  readonly interpolation: 'linear' | 'spherical';
}

/** Samples in the explorer's row and steps in its interpolation strip. */
export const LATENT_SAMPLES = 8;
export const LATENT_SLIDERS = 4;

export const explorer = familyState<ExplorerState>('imagegan', {
  latentSeed: 1,
  latentA: 0,
  latentB: 1,
  latentEdits: null,
  interpolation: 'spherical',
});

const zDim = () => {
  const { info } = useAppStore.getState();
  return info?.kind === 'imagegan' ? info.zDim : 0;
};

/** The explorer's latents: the sample row (A edited by the sliders), then the A-to-B strip. */
export function explorerLatents(s: ExplorerState, dim: number): Float32Array[] {
  const samples = latentBatch(s.latentSeed, LATENT_SAMPLES, dim);
  const a = Float32Array.from(samples[s.latentA]!);
  s.latentEdits?.forEach((v, i) => {
    a[i] = v;
  });
  samples[s.latentA] = a;
  const b = samples[s.latentB]!;
  const between = s.interpolation === 'linear' ? lerp : slerp;
  const strip = Array.from({ length: LATENT_SAMPLES }, (_, k) =>
    between(a, b, k / (LATENT_SAMPLES - 1)),
  );
  return [...samples, ...strip];
}

/** A's first dimensions as the sliders show them. */
export function sliderValues(s: ExplorerState, dim: number): readonly number[] {
  return s.latentEdits ?? Array.from(explorerLatents(s, dim)[s.latentA]!.slice(0, LATENT_SLIDERS));
}

export function onExperiment(): void {
  explorer.set({ latentA: 0, latentB: 1, latentEdits: null });
}

export function renderRequest(): LatentRequest | null {
  const dim = zDim();
  if (dim === 0) return null;
  const latents = explorerLatents(explorer.get(), dim);
  const z = new Float32Array(latents.length * dim);
  latents.forEach((v, i) => {
    z.set(v, i * dim);
  });
  return { kind: 'latent', z, count: latents.length };
}

/** Pick A or B, or switch interpolation. */
export function setLatent(
  change: Partial<Pick<ExplorerState, 'latentA' | 'latentB' | 'interpolation'>>,
): void {
  explorer.set(change.latentA !== undefined ? { ...change, latentEdits: null } : change);
  requestRender();
}

export function setLatentDimension(index: number, value: number): void {
  const dim = zDim();
  if (dim === 0) return;
  const base = sliderValues(explorer.get(), dim);
  explorer.set({ latentEdits: base.map((v, i) => (i === index ? value : v)) });
  requestRender();
}

export function newLatents(): void {
  explorer.set((s) => ({ latentSeed: s.latentSeed + 1, latentEdits: null }));
  requestRender();
}
