/** Uploaded data sets in IndexedDB: a summary per set for the list, its images apart. */

import { STORED_BYTES_PER_IMAGE } from '../data/importPlan';
import type { StoredImages } from '../data/userImages';
import { type DatasetFile, type DatasetPreview, db, quotaChecked } from './db';
import type { DatasetSummary } from './records';

/** Images in a data set's preview grid. */
export const PREVIEW_IMAGES = 16;

export async function saveDataset(summary: DatasetSummary, file: DatasetFile): Promise<void> {
  const count = Math.min(PREVIEW_IMAGES, summary.count);
  const width = summary.labelNames.length;
  const preview: DatasetPreview = {
    count,
    pixels: file.pixels.slice(0, count * STORED_BYTES_PER_IMAGE),
    labels: Array.from({ length: count }, (_, i) =>
      Array.from(file.labels.subarray(i * width, (i + 1) * width)),
    ),
  };
  const database = await db();
  await quotaChecked(async () => {
    const tx = database.transaction(['datasets', 'datasetFiles', 'datasetPreviews'], 'readwrite');
    await Promise.all([
      tx.objectStore('datasets').put(summary),
      tx.objectStore('datasetFiles').put(file, summary.id),
      tx.objectStore('datasetPreviews').put(preview, summary.id),
      tx.done,
    ]);
  });
}

export async function loadPreview(id: string): Promise<DatasetPreview | null> {
  return (await (await db()).get('datasetPreviews', id)) ?? null;
}

export async function listDatasets(): Promise<DatasetSummary[]> {
  const sets = await (await db()).getAll('datasets');
  return sets.sort((a, b) => b.createdAt - a.createdAt);
}

/** A stored set as models read it; a clear error when it is gone (deleted, other browser). */
export async function loadDataset(
  id: string,
): Promise<{ summary: DatasetSummary; images: StoredImages; names: readonly string[] }> {
  const database = await db();
  const [summary, file] = await Promise.all([
    database.get('datasets', id),
    database.get('datasetFiles', id),
  ]);
  if (!summary || !file) {
    throw new Error(
      'The uploaded data set this experiment uses is not in this browser (deleted, or made in another browser); upload it again or choose another data set',
    );
  }
  return {
    summary,
    images: {
      count: summary.count,
      pixels: file.pixels,
      labels: file.labels,
      labelNames: summary.labelNames,
    },
    names: file.names,
  };
}

export async function deleteDataset(id: string): Promise<void> {
  const database = await db();
  const tx = database.transaction(['datasets', 'datasetFiles', 'datasetPreviews'], 'readwrite');
  await Promise.all([
    tx.objectStore('datasets').delete(id),
    tx.objectStore('datasetFiles').delete(id),
    tx.objectStore('datasetPreviews').delete(id),
    tx.done,
  ]);
}
