/**
 * Saved runs in the browser's IndexedDB: a small record per run for the list, and the run's
 * bundle file apart, so listing runs never loads their weights. The worker autosaves here and
 * the page lists, renames, deletes and exports; both open the same database.
 */
import type { ExperimentConfig, SavedRun } from '../protocol/messages';
import { db, quotaChecked } from './db';

/** Writes a run's record and file together; a full quota becomes a StorageFullError. */
export async function saveRun(run: SavedRun, file: Uint8Array): Promise<void> {
  const database = await db();
  await quotaChecked(async () => {
    const tx = database.transaction(['runs', 'runFiles'], 'readwrite');
    await Promise.all([
      tx.objectStore('runs').put(run),
      tx.objectStore('runFiles').put(file, run.id),
      tx.done,
    ]);
  });
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
