/**
 * The StackGAN++ playground's state and actions: the caption (typed, or written by the
 * attribute toggles), and the seed of the latents its stages are drawn at.
 */
import {
  type CaptionAttributes,
  encodeCaption,
  plainCaption,
  readAttributes,
} from '../../../data/captions';
import { latentBatch } from '../../../data/latents';
import { requestRender } from '../../../ui/render';
import { familyState } from '../../../ui/store/familyState';
import { useAppStore } from '../../../ui/store/store';
import type { InfoStackGan, StagesRequest } from '../spec';

export interface PlaygroundState {
  readonly caption: string;
  /** Seed of the playground's latents; "new latents" moves it on. */
  readonly latentSeed: number;
}

/** Latents (rows) the playground draws the caption at. */
export const PLAYGROUND_ROWS = 3;

const FIRST_CAPTION = 'a smiling young woman with blond hair';

export const playground = familyState<PlaygroundState>('stackgan', {
  caption: FIRST_CAPTION,
  latentSeed: 1,
});

const info = (): InfoStackGan | null => {
  const current = useAppStore.getState().info;
  return current?.kind === 'stackgan' ? current : null;
};

export function onExperiment(experiment: InfoStackGan): void {
  const kept = playground.get().caption;
  playground.set({ caption: kept || experiment.gridCaptions[0] || FIRST_CAPTION });
}

export function renderRequest(): StagesRequest | null {
  const current = info();
  if (!current) return null;
  const s = playground.get();
  const dim = current.zDim + current.embeddingDim;
  const rows = latentBatch(s.latentSeed, PLAYGROUND_ROWS, dim);
  const noise = new Float32Array(PLAYGROUND_ROWS * dim);
  rows.forEach((row, i) => {
    noise.set(row, i * dim);
  });
  return {
    kind: 'stages',
    embedding: current.mode === 'text' ? encodeCaption(s.caption) : null,
    noise,
    count: PLAYGROUND_ROWS,
  };
}

export function setCaption(caption: string): void {
  playground.set({ caption });
  requestRender();
}

/** The caption's attributes with the open ones filled in, as the toggles show them. */
export function toggleValues(caption: string): CaptionAttributes {
  const read = readAttributes(caption);
  return {
    hair: read.hair ?? 1,
    male: read.male ?? false,
    young: read.young ?? true,
    smiling: read.smiling ?? false,
  };
}

/** Changes one attribute: the caption is rewritten in the grammar's plainest words. */
export function setAttribute(change: Partial<CaptionAttributes>): void {
  setCaption(plainCaption({ ...toggleValues(playground.get().caption), ...change }));
}

export function newLatents(): void {
  playground.set((s) => ({ latentSeed: s.latentSeed + 1 }));
  requestRender();
}
