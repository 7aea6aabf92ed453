import { create } from 'zustand';
import type { Skipped } from '../../data/importPlan';
import {
  DEFAULT_EXPERIMENT,
  type ExperimentConfig,
  type ExperimentInfo,
  type Frame,
} from '../../families';
import type { ImageGrid } from '../../families/types';
import type { DatasetPreview } from '../../io/db';
import type { DatasetSummary, SavedRun } from '../../io/records';
import type { ScanReport } from '../../protocol/datasets';
import {
  type BackendChoice,
  type BackendInfo,
  DEFAULT_LIVE_SETTINGS,
  type LiveSettings,
  type NetworkSummary,
  type NoticeLevel,
} from '../../protocol/messages';
import { emptySeries } from './series';

/** Columnar chart data in uPlot's layout: x values first, then one array per series. */
export interface Series {
  readonly names: readonly string[];
  readonly columns: readonly (readonly (number | null)[])[];
}

export interface BackendSlice {
  readonly backendChoice: BackendChoice;
  readonly backend: BackendInfo | null;
}

export interface RunSlice {
  /** The worker has an experiment and accepts commands. */
  readonly ready: boolean;
  readonly running: boolean;
  /** Pause was pressed and the step under way has not finished yet. */
  readonly pausing: boolean;
  readonly step: number;
  readonly stepsPerSecond: number;
  /** The last speed measured while training this experiment, or null before any. */
  readonly measuredSpeed: number | null;
  readonly elapsedMs: number;
}

export interface ExperimentSlice {
  /** What the worker trains now. */
  readonly experiment: ExperimentConfig;
  /** What the settings panel shows; applied by Reset. */
  readonly draft: ExperimentConfig;
  readonly live: LiveSettings;
  readonly info: ExperimentInfo | null;
  /** The current model's networks, layer by layer. */
  readonly architecture: readonly NetworkSummary[];
}

export interface ViewSlice {
  readonly losses: Series;
  readonly quality: Series;
  /** The latest quality row of the current run (figures are measured less often than frames). */
  readonly latestQuality: readonly number[] | null;
  readonly frame: Frame | null;
}

export interface Notice {
  readonly id: number;
  readonly level: NoticeLevel;
  readonly message: string;
  /** A button beside the message (Undo, say). */
  readonly action?: { readonly label: string; readonly run: () => void };
}

export interface NoticeSlice {
  readonly notices: readonly Notice[];
}

/** G's outputs for a family's playground (sliders, latent explorer), and their versions. */
export interface RenderSlice {
  readonly rendered: ImageGrid | null;
  /**
   * Versions of the playground's state: bumped on every change that needs a new render, and
   * the version the shown images reflect. They differ while a render is in flight or queued.
   */
  readonly renderRequested: number;
  readonly renderShown: number;
}

/** Each family's own view state (picked faces, slider values, latents), by family key. */
export interface FamilySlice {
  readonly family: Readonly<Record<string, object>>;
}

export interface RunsSlice {
  /** The run the worker autosaves the current experiment to. */
  readonly currentRun: SavedRun | null;
  /** Runs in the browser's storage, the most recent first. */
  readonly savedRuns: readonly SavedRun[];
  /** Runs deleted in the list but kept for a few seconds, so Undo can bring them back. */
  readonly pendingDeletes: readonly string[];
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
  RenderSlice &
  FamilySlice &
  RunsSlice &
  DatasetsSlice;

export const useAppStore = create<AppState>()(() => ({
  backendChoice: 'auto',
  backend: null,
  ready: false,
  running: false,
  pausing: false,
  step: 0,
  stepsPerSecond: 0,
  measuredSpeed: null,
  elapsedMs: 0,
  experiment: DEFAULT_EXPERIMENT,
  draft: DEFAULT_EXPERIMENT,
  live: DEFAULT_LIVE_SETTINGS,
  info: null,
  architecture: [],
  losses: emptySeries([]),
  quality: emptySeries([]),
  frame: null,
  latestQuality: null,
  notices: [],
  rendered: null,
  renderRequested: 0,
  renderShown: 0,
  family: {},
  currentRun: null,
  savedRuns: [],
  pendingDeletes: [],
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
