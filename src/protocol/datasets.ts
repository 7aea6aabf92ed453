/**
 * The protocol between the page and the dataset worker, which scans uploads, decodes their
 * images off the UI thread and stores them. (The training worker's protocol is messages.ts.)
 */
import type { LabelMode, Skipped } from '../data/importPlan';
import type { DatasetSummary } from '../io/records';

/** A folder (files with their paths) or a zip of images. */
export type ImportSource =
  | {
      readonly kind: 'files';
      readonly name: string;
      readonly files: readonly { readonly file: File; readonly path: string }[];
    }
  | { readonly kind: 'zip'; readonly file: File };

/** What a scan found, for the import form. */
export interface ScanReport {
  readonly sourceName: string;
  readonly mode: LabelMode;
  readonly labelFile: string | null;
  readonly labelNames: readonly string[];
  /** Images that will be decoded (before any limit). */
  readonly images: number;
  readonly skipped: readonly Skipped[];
  readonly notes: readonly string[];
  readonly defaultLabels: readonly string[];
  readonly defaultGroup: readonly string[];
  readonly suggestedCrop: number | null;
}

export interface ImportOptions {
  readonly name: string;
  /** Side of the centre square cropped before resizing, or null for the whole short side. */
  readonly cropSize: number | null;
  /** Labels to keep, in this order; the group's members are one of N. */
  readonly labels: readonly string[];
  readonly group: readonly string[];
  /** Import at most this many images (the memory budget caps it too). */
  readonly limit: number;
}

export type ToDatasetWorker =
  | { readonly type: 'scan'; readonly requestId: number; readonly source: ImportSource }
  | { readonly type: 'import'; readonly requestId: number; readonly options: ImportOptions }
  | { readonly type: 'cancel' };

export type FromDatasetWorker =
  | { readonly type: 'scanned'; readonly requestId: number; readonly report: ScanReport }
  | {
      readonly type: 'progress';
      readonly requestId: number;
      readonly done: number;
      readonly total: number;
      readonly accepted: number;
      readonly skipped: number;
    }
  | {
      readonly type: 'imported';
      readonly requestId: number;
      readonly dataset: DatasetSummary;
      /** Every file not imported, with the reason: the plan's and those that failed to decode. */
      readonly skipped: readonly Skipped[];
    }
  | { readonly type: 'failed'; readonly requestId: number; readonly message: string };
