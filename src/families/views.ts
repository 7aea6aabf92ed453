/**
 * The UI's registry of families: each family's live views and playground. Typed over every
 * kind of the TF-free registry, so a family without views does not compile.
 */
import type { ComponentType } from 'react';
import { send, setFamilyHooks } from '../ui/client';
import { connectRender } from '../ui/render';
import { useAppStore } from '../ui/store/store';
import type { ExperimentInfo, ExperimentKind, InfoOf, RenderOf, RenderRequest } from '.';
import { cycleganViews } from './cyclegan/views';
import { gan2dViews } from './gan2d/views';
import { imageganViews } from './imagegan/views';
import { pix2pixViews } from './pix2pix/views';
import { stackganViews } from './stackgan/views';
import { starganViews } from './stargan/views';
import { starganv2Views } from './starganv2/views';
import { styleganViews } from './stylegan/views';
import { unitViews } from './unit/views';

export interface FamilyViews<K extends ExperimentKind> {
  /** Everything right of the settings: live views, playground, charts. */
  readonly Views: ComponentType;
  /** Sets up the playground for a new experiment (its preview faces, say). */
  readonly onExperiment?: (info: InfoOf<K>) => void;
  /** What the playground asks G for now, or null when there is nothing to ask. */
  readonly renderRequest?: () => RenderOf<K> | null;
}

export const VIEWS: { readonly [K in ExperimentKind]: FamilyViews<K> } = {
  gan2d: gan2dViews,
  imagegan: imageganViews,
  stargan: starganViews,
  starganv2: starganv2Views,
  stackgan: stackganViews,
  pix2pix: pix2pixViews,
  cyclegan: cycleganViews,
  unit: unitViews,
  stylegan: styleganViews,
};

export function viewsOf(kind: ExperimentKind): FamilyViews<ExperimentKind> {
  return VIEWS[kind] as FamilyViews<ExperimentKind>;
}

/** Lets the worker client and the render queue reach the current family's views. */
export function connectFamilies(): void {
  setFamilyHooks({
    experiment: (info: ExperimentInfo) => viewsOf(info.kind).onExperiment?.(info),
    renders: (info: ExperimentInfo) => viewsOf(info.kind).renderRequest !== undefined,
  });
  connectRender((): RenderRequest | null => {
    const { info } = useAppStore.getState();
    return info ? (viewsOf(info.kind).renderRequest?.() ?? null) : null;
  }, send);
}
