/**
 * What the browser's storage and the bundle files hold, apart from any model: saved runs,
 * uploaded data sets, and the state beyond the weights that an exact resume needs.
 */
import type { RngState } from '../core/random';

/** "generator": G's weights, to play with; "full": everything needed to resume exactly. */
export type BundleFlavour = 'generator' | 'full';

/** What the next steps depend on beyond the weights: random streams and step counters. */
export interface ResumeState {
  readonly rngs: Readonly<Record<string, RngState>>;
  readonly counters: Readonly<Record<string, number>>;
}

/** A run kept in the browser's storage (IndexedDB), as the saved-runs list shows it. */
export interface SavedRun {
  readonly id: string;
  readonly name: string;
  readonly model: string;
  readonly step: number;
  /** Milliseconds since the epoch. */
  readonly savedAt: number;
  readonly bytes: number;
}

/** An uploaded data set kept in the browser's storage (IndexedDB). */
export interface DatasetSummary {
  readonly id: string;
  readonly name: string;
  readonly count: number;
  /** Bytes stored (64 px images and labels). */
  readonly bytes: number;
  readonly createdAt: number;
  /** Attributes (independent 0/1), domains (exactly one of N) or none. */
  readonly labelMode: 'attributes' | 'domains' | 'unlabelled';
  readonly labelNames: readonly string[];
  /** Attributes that are one of N, like hair colours, by index into labelNames. */
  readonly group: readonly number[];
  /** Files of the upload that were not imported. */
  readonly skipped: number;
}

/** A run's charts, thinned as the page thins them, and its training time: kept with the run. */
export interface RunHistory {
  readonly elapsedMs: number;
  /** The steps of the loss rows, and the rows, row-major (null where a term was not computed). */
  readonly lossSteps: readonly number[];
  readonly losses: readonly (number | null)[];
  /** The same for the quality rows, one per frame. */
  readonly qualitySteps: readonly number[];
  readonly quality: readonly (number | null)[];
}

export const EMPTY_HISTORY: RunHistory = {
  elapsedMs: 0,
  lossSteps: [],
  losses: [],
  qualitySteps: [],
  quality: [],
};

/** Rows kept per chart: beyond this the history keeps every other row, as the charts do. */
export const MAX_HISTORY_ROWS = 2000;
