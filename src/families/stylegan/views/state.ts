/**
 * The StyleGAN-lite playground's state and actions: the mixing crossover, truncation psi and
 * its layer range, noise (which layer to resample, strength per layer) and the seeds of the
 * latents shown. One render request asks for every figure (see spec.ts StyleRequest).
 */

import { requestRender } from '../../../ui/render';
import { familyState } from '../../../ui/store/familyState';
import { useAppStore } from '../../../ui/store/store';
import type { ImageGrid } from '../../types';
import { MIX_A, MIX_B, type StyleRequest, WALK } from '../spec';

export interface PlaygroundState {
  readonly seed: number;
  readonly crossover: number;
  readonly psi: number;
  readonly truncFrom: number;
  readonly truncTo: number;
  readonly noiseLayer: number;
  /** One multiplier per layer, or null before the first experiment. */
  readonly noiseStrength: readonly number[] | null;
  readonly noiseSeed: number;
  readonly redrawSeed: number;
}

export const playground = familyState<PlaygroundState>('stylegan', {
  seed: 1,
  crossover: 2,
  psi: 0.7,
  truncFrom: 0,
  truncTo: 4,
  noiseLayer: 0,
  noiseStrength: null,
  noiseSeed: 1,
  redrawSeed: 1,
});

export const layersOf = () => {
  const { info } = useAppStore.getState();
  return info?.kind === 'stylegan' ? info.layers : 0;
};

/** The crossover presets: A keeps the coarsest resolution, half the layers, all but the finest. */
export function crossoverPresets(layers: number) {
  return [
    ['coarse', 2],
    ['middle', layers / 2],
    ['fine', layers - 2],
  ] as const;
}

export function onExperiment(info: { readonly layers: number }): void {
  // As the reference's truncation (psi 0.7 on the coarse layers), at our depth: the first half.
  playground.reset({
    crossover: info.layers / 2,
    truncTo: info.layers / 2,
    noiseLayer: info.layers - 2,
    noiseStrength: Array.from({ length: info.layers }, () => 1),
  });
}

export function renderRequest(): StyleRequest | null {
  const s = playground.get();
  const layers = layersOf();
  if (layers === 0 || !s.noiseStrength || s.noiseStrength.length !== layers) return null;
  return {
    kind: 'style',
    seed: s.seed,
    crossover: s.crossover,
    psi: s.psi,
    truncFrom: s.truncFrom,
    truncTo: s.truncTo,
    noiseLayer: s.noiseLayer,
    noiseStrength: s.noiseStrength,
    noiseSeed: s.noiseSeed,
    redrawSeed: s.redrawSeed,
  };
}

const update = (
  change: Partial<PlaygroundState> | ((s: PlaygroundState) => Partial<PlaygroundState>),
) => {
  playground.set(change);
  requestRender();
};

export const setCrossover = (crossover: number) => update({ crossover });
export const setPsi = (psi: number) => update({ psi });
export const setTruncRange = (truncFrom: number, truncTo: number) =>
  update({ truncFrom: Math.min(truncFrom, truncTo), truncTo: Math.max(truncFrom, truncTo) });
export const setNoiseLayer = (noiseLayer: number) => update({ noiseLayer });
export const resampleNoise = () => update((s) => ({ redrawSeed: s.redrawSeed + 1 }));
export const newFaces = () => update((s) => ({ seed: s.seed + 1, noiseSeed: s.noiseSeed + 1 }));
export const setNoiseStrength = (layer: number, value: number) =>
  update((s) => ({
    noiseStrength: (s.noiseStrength ?? []).map((v, i) => (i === layer ? value : v)),
  }));

/** Where each figure starts in the rendered images, in StyleRequest's order. */
export const OFFSETS = {
  mixA: 0,
  mixB: MIX_A,
  cells: MIX_A + MIX_B,
  truncation: MIX_A + MIX_B + MIX_A * MIX_B,
  noise: MIX_A + MIX_B + MIX_A * MIX_B + WALK,
  walkZ: MIX_A + MIX_B + MIX_A * MIX_B + WALK + 3,
  walkW: MIX_A + MIX_B + MIX_A * MIX_B + WALK + 3 + WALK,
} as const;

const cache = new WeakMap<ImageGrid, Map<string, ImageGrid>>();

/** A cached view of rendered images: `rows` x `cols` from image `start` on. */
export function slice(grid: ImageGrid | null, start: number, rows: number, cols: number) {
  if (!grid) return null;
  return memo(grid, `${start}:${rows}:${cols}`, () => {
    const bytes = grid.size * grid.size * 4;
    return {
      rows,
      cols,
      size: grid.size,
      pixels: grid.pixels.subarray(start * bytes, (start + rows * cols) * bytes),
    };
  });
}

/** The paper's mixing figure: B across the top, A down the side, cells between, corner blank. */
export function mixingFigure(grid: ImageGrid | null): ImageGrid | null {
  if (!grid) return null;
  return memo(grid, 'mixing', () => {
    const bytes = grid.size * grid.size * 4;
    const cols = MIX_B + 1;
    const pixels = new Uint8ClampedArray((MIX_A + 1) * cols * bytes);
    const copy = (from: number, to: number) =>
      pixels.set(grid.pixels.subarray(from * bytes, (from + 1) * bytes), to * bytes);
    for (let b = 0; b < MIX_B; b++) copy(OFFSETS.mixB + b, 1 + b);
    for (let a = 0; a < MIX_A; a++) {
      copy(OFFSETS.mixA + a, (a + 1) * cols);
      for (let b = 0; b < MIX_B; b++) copy(OFFSETS.cells + a * MIX_B + b, (a + 1) * cols + 1 + b);
    }
    return { rows: MIX_A + 1, cols, size: grid.size, pixels };
  });
}

function memo(grid: ImageGrid, key: string, make: () => ImageGrid): ImageGrid {
  let parts = cache.get(grid);
  if (!parts) {
    parts = new Map();
    cache.set(grid, parts);
  }
  let part = parts.get(key);
  if (!part) {
    part = make();
    parts.set(key, part);
  }
  return part;
}
