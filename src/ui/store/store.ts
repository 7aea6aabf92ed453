import { create } from 'zustand';
import { GAN2D_DEFAULTS } from '../../models/gan2d.config';
import type {
  BackendChoice,
  BackendInfo,
  ExperimentConfig,
  ExperimentInfo,
  Frame,
  LiveSettings,
  NoticeLevel,
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

export type AppState = BackendSlice & RunSlice & ExperimentSlice & ViewSlice & NoticeSlice;

export const DEFAULT_EXPERIMENT: ExperimentConfig = {
  kind: 'gan2d',
  seed: 1,
  model: GAN2D_DEFAULTS,
};

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
  live: { maxStepsPerSecond: 0, metricsEvery: 10 },
  info: null,
  losses: EMPTY_SERIES,
  quality: EMPTY_SERIES,
  frame: null,
  notices: [],
}));
