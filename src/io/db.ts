/**
 * The app's IndexedDB database, opened once per thread (the page and the workers each open
 * it). Records for lists are kept apart from the large files they describe, so a list never
 * loads a file.
 */
import { type DBSchema, type IDBPDatabase, openDB } from 'idb';
import type { DatasetSummary, SavedRun } from './records';

export interface DatasetFile {
  /** count x 64 x 64 x 3 bytes. */
  readonly pixels: Uint8Array;
  /** count x labelNames.length, 0/1. */
  readonly labels: Uint8Array;
  readonly names: readonly string[];
}

/** The first images of a data set with their labels, for its preview grid. */
export interface DatasetPreview {
  readonly count: number;
  /** count x 64 x 64 x 3 bytes. */
  readonly pixels: Uint8Array;
  readonly labels: readonly (readonly number[])[];
}

interface PlaygroundDb extends DBSchema {
  runs: { key: string; value: SavedRun };
  runFiles: { key: string; value: Uint8Array };
  datasets: { key: string; value: DatasetSummary };
  datasetFiles: { key: string; value: DatasetFile };
  datasetPreviews: { key: string; value: DatasetPreview };
}

const DB_NAME = 'gan-playground';
/** 1: saved runs; 2: uploaded data sets. */
const DB_VERSION = 2;

let opened: Promise<IDBPDatabase<PlaygroundDb>> | null = null;

export function db(): Promise<IDBPDatabase<PlaygroundDb>> {
  opened ??= openDB<PlaygroundDb>(DB_NAME, DB_VERSION, {
    upgrade(database, oldVersion) {
      if (oldVersion < 1) {
        database.createObjectStore('runs', { keyPath: 'id' });
        database.createObjectStore('runFiles');
      }
      if (oldVersion < 2) {
        database.createObjectStore('datasets', { keyPath: 'id' });
        database.createObjectStore('datasetFiles');
        database.createObjectStore('datasetPreviews');
      }
    },
  });
  return opened;
}

export class StorageFullError extends Error {
  override readonly name = 'StorageFullError';
}

/** Runs `write`, turning the browser's quota error into a StorageFullError. */
export async function quotaChecked<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (error instanceof DOMException && error.name === 'QuotaExceededError') {
      throw new StorageFullError('The browser storage for this site is full');
    }
    throw error;
  }
}
