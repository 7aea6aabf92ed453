/**
 * Saved runs in the browser's IndexedDB: a small record per run for the list, and the run's
 * bundle file apart, so listing runs never loads their weights. The training worker is the one
 * writer (autosaves, renames, deletes, one at a time); the page only reads.
 */

import { db, quotaChecked } from './db';
import type { SavedRun } from './records';

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
