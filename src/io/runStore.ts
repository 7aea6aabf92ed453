/**
 * Saved runs in the browser's IndexedDB: a small record per run for the list, and the run's
 * bundle file apart, so listing runs never loads their weights. The worker autosaves here and
 * the page lists, renames, deletes and exports; both open the same database.
 */
import { type DBSchema, type IDBPDatabase, openDB } from 'idb';
import type { ExperimentConfig, SavedRun } from '../protocol/messages';

interface PlaygroundDb extends DBSchema {
  runs: { key: string; value: SavedRun };
  runFiles: { key: string; value: Uint8Array };
}

const DB_NAME = 'gan-playground';
const DB_VERSION = 1;

let opened: Promise<IDBPDatabase<PlaygroundDb>> | null = null;

function db(): Promise<IDBPDatabase<PlaygroundDb>> {
  opened ??= openDB<PlaygroundDb>(DB_NAME, DB_VERSION, {
    upgrade(database) {
      database.createObjectStore('runs', { keyPath: 'id' });
      database.createObjectStore('runFiles');
    },
  });
  return opened;
}

export class StorageFullError extends Error {
  override readonly name = 'StorageFullError';
}

/** Writes a run's record and file together; a full quota becomes a StorageFullError. */
export async function saveRun(run: SavedRun, file: Uint8Array): Promise<void> {
  const database = await db();
  const tx = database.transaction(['runs', 'runFiles'], 'readwrite');
  try {
    await Promise.all([
      tx.objectStore('runs').put(run),
      tx.objectStore('runFiles').put(file, run.id),
      tx.done,
    ]);
  } catch (error) {
    if (error instanceof DOMException && error.name === 'QuotaExceededError') {
      throw new StorageFullError('The browser storage for this site is full');
    }
    throw error;
  }
}

/** Every saved run, the most recently saved first. */
export async function listRuns(): Promise<SavedRun[]> {
  const runs = await (await db()).getAll('runs');
  return runs.sort((a, b) => b.savedAt - a.savedAt);
}

export async function loadRunFile(id: string): Promise<Uint8Array> {
  const file = await (await db()).get('runFiles', id);
  if (!file) throw new Error('This saved run has no file any more (deleted in another tab?)');
  return file;
}

export async function renameRun(id: string, name: string): Promise<void> {
  const database = await db();
  const run = await database.get('runs', id);
  if (run) await database.put('runs', { ...run, name });
}

export async function deleteRun(id: string): Promise<void> {
  const database = await db();
  const tx = database.transaction(['runs', 'runFiles'], 'readwrite');
  await Promise.all([
    tx.objectStore('runs').delete(id),
    tx.objectStore('runFiles').delete(id),
    tx.done,
  ]);
}

/** The model's name alone, for default run names. */
export function modelName(config: ExperimentConfig): string {
  switch (config.kind) {
    case 'gan2d':
      return '2D GAN';
    case 'stargan':
      return 'StarGAN';
    case 'imagegan':
      return config.model.variant.toUpperCase();
  }
}

/** What the model is, in a few words, for the runs list. */
export function modelTitle(config: ExperimentConfig): string {
  switch (config.kind) {
    case 'gan2d':
      return `2D GAN (${config.model.loss}, ${config.model.dataset})`;
    case 'stargan':
      return `StarGAN v1 (${config.model.imageSize} px, ${config.model.data})`;
    case 'imagegan':
      return `${config.model.variant.toUpperCase()} (${config.model.imageSize} px, ${config.model.dataset})`;
  }
}
