import { create } from 'zustand';
import type { Skipped } from '../../data/importPlan';
import type { DatasetPreview } from '../../io/db';
import { GAN2D_DEFAULTS } from '../../models/gan2d.config';
import { IMAGE_GAN_DEFAULTS } from '../../models/imagegan.config';
import { STARGAN_DEFAULTS } from '../../models/stargan.config';
import type { ScanReport } from '../../protocol/datasets';
import {
  type BackendChoice,
  type BackendInfo,
  type DatasetSummary,
  DEFAULT_LIVE_SETTINGS,
  type ExperimentConfig,
  type ExperimentInfo,
  type ExperimentKind,
  type FaceDomain,
  type Frame,
  type ImageGrid,
  type LiveSettings,
  type NoticeLevel,
  type SavedRun,
} from '../../protocol/messages';

/** Columnar chart data in uPlot's layout: x values first, then one array per series. */
export interface Series {
  readonly names: readonly string[];
  readonly columns: readonly (readonly (number | null)[])[];
}

export const EMPTY_SERIES: Series = { names: [], columns: [[]] };

export interface BackendSlice {
  readonly backendChoice: BackendChoice;
  readonly backend: BackendInfo | null;
}

export interface RunSlice {
  /** The worker has an experiment and accepts commands. */
  readonly ready: boolean;
  readonly running: boolean;
  readonly step: number;
  readonly stepsPerSecond: number;
  readonly elapsedMs: number;
}

export interface ExperimentSlice {
  /** What the worker trains now. */
  readonly experiment: ExperimentConfig;
  /** What the settings panel shows; applied by Reset. */
  readonly draft: ExperimentConfig;
  readonly live: LiveSettings;
  readonly info: ExperimentInfo | null;
}

export interface ViewSlice {
  readonly losses: Series;
  readonly quality: Series;
  readonly frame: Frame | null;
}

export interface Notice {
  readonly id: number;
  readonly level: NoticeLevel;
  readonly message: string;
}

export interface NoticeSlice {
  readonly notices: readonly Notice[];
}

/** A face the sliders translate: from the held-out preview or uploaded by the user. */
export interface PlaygroundInput {
  readonly key: string;
  readonly caption: string;
  /** size x size x 3 values in [-1, 1]. */
  readonly pixels: Float32Array;
}

export interface PlaygroundSlice {
  /** Faces the user can pick from: the preview's, then uploads. */
  readonly candidates: readonly PlaygroundInput[];
  /** Keys of the picked faces, in order (at most MAX_INPUTS). */
  readonly selected: readonly string[];
  readonly activeDomain: FaceDomain;
  readonly sliders: Readonly<Record<FaceDomain, readonly number[]>>;
  /** G's outputs for the picked faces at the slider values. */
  readonly rendered: ImageGrid | null;
  /**
   * Versions of the slider state: bumped on every change that needs a new render, and the
   * version the shown images reflect. They differ while a render is in flight or queued.
   */
  readonly renderRequested: number;
  readonly renderShown: number;
}

export const MAX_INPUTS = 4;

export interface LatentSlice {
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

export interface RunsSlice {
  /** The run the worker autosaves the current experiment to. */
  readonly currentRun: SavedRun | null;
  /** Runs in the browser's storage, the most recent first. */
  readonly savedRuns: readonly SavedRun[];
  /** Bytes this site stores and may store, from the browser's estimate. */
  readonly storage: { readonly usage: number; readonly quota: number } | null;
  /** A saved run offered for resuming after a reload. */
  readonly resumeOffer: SavedRun | null;
  /** A file on its way in or out: what, and how far (bytes; total null when unknown). */
  readonly transfer: {
    readonly label: string;
    readonly loaded: number;
    readonly total: number | null;
  } | null;
}

export interface DatasetsSlice {
  /** Uploaded data sets in this browser, the newest first. */
  readonly datasets: readonly DatasetSummary[];
  /** An upload scanned and waiting for the import form. */
  readonly scan: ScanReport | null;
  /** An import in progress. */
  readonly importing: {
    readonly done: number;
    readonly total: number;
    readonly accepted: number;
    readonly skipped: number;
  } | null;
  /** The last import's outcome, with every skipped file. */
  readonly imported: {
    readonly dataset: DatasetSummary;
    readonly skipped: readonly Skipped[];
  } | null;
  /** The data set whose preview is shown, with its first images. */
  readonly preview: { readonly dataset: DatasetSummary; readonly images: DatasetPreview } | null;
}

export type AppState = BackendSlice &
  RunSlice &
  ExperimentSlice &
  ViewSlice &
  NoticeSlice &
  PlaygroundSlice &
  LatentSlice &
  RunsSlice &
  DatasetsSlice;

export const DEFAULT_EXPERIMENTS: Readonly<Record<ExperimentKind, ExperimentConfig>> = {
  gan2d: { kind: 'gan2d', seed: 1, model: GAN2D_DEFAULTS },
  stargan: { kind: 'stargan', seed: 1, model: STARGAN_DEFAULTS },
  imagegan: { kind: 'imagegan', seed: 1, model: IMAGE_GAN_DEFAULTS.dcgan },
};

export const DEFAULT_EXPERIMENT = DEFAULT_EXPERIMENTS.gan2d;

export const useAppStore = create<AppState>()(() => ({
  backendChoice: 'auto',
  backend: null,
  ready: false,
  running: false,
  step: 0,
  stepsPerSecond: 0,
  elapsedMs: 0,
  experiment: DEFAULT_EXPERIMENT,
  draft: DEFAULT_EXPERIMENT,
  live: DEFAULT_LIVE_SETTINGS,
  info: null,
  losses: EMPTY_SERIES,
  quality: EMPTY_SERIES,
  frame: null,
  notices: [],
  candidates: [],
  selected: [],
  activeDomain: 'celeba',
  sliders: { celeba: [], rafd: [] },
  rendered: null,
  renderRequested: 0,
  renderShown: 0,
  latentSeed: 1,
  latentA: 0,
  latentB: 1,
  latentEdits: null,
  interpolation: 'spherical',
  currentRun: null,
  savedRuns: [],
  storage: null,
  resumeOffer: null,
  transfer: null,
  datasets: [],
  scan: null,
  importing: null,
  imported: null,
  preview: null,
}));

/** The slider outputs' render versions, for ImageGridCanvas's selectVersions. */
export const renderVersions = (s: AppState) => ({
  requested: s.renderRequested,
  shown: s.renderShown,
});
