/// <reference lib="webworker" />
/**
 * The dataset worker: scans an upload (folder or zip), then decodes its images one by one
 * (createImageBitmap + OffscreenCanvas), centre-crops and resizes them to 64 px, and stores
 * the set in IndexedDB, reporting progress. Training goes on in its own worker meanwhile.
 */
import {
  centreCrop,
  type ImportPlan,
  MAX_IMAGE_BYTES,
  MAX_IMAGES,
  MAX_ZIP_ENTRIES,
  planImport,
  type Skipped,
  type SourceFile,
  STORED_BYTES_PER_IMAGE,
  STORED_SIZE,
  selectColumns,
} from '../data/importPlan';
import { isLabelFile, LABEL_LIMITS } from '../data/labels';
import { errorMessage } from '../engine/errors';
import { saveDataset } from '../io/datasetStore';
import type { DatasetSummary } from '../io/records';
import {
  type ZipDirectory,
  type ZipEntry,
  ZipError,
  zipDirectoryOfBlob,
  zipEntryDataOfBlob,
} from '../io/zip';
import type {
  FromDatasetWorker,
  ImportOptions,
  ImportSource,
  ToDatasetWorker,
} from '../protocol/datasets';

declare const self: DedicatedWorkerGlobalScope;

const post = (message: FromDatasetWorker) => self.postMessage(message);

let scanned: { source: ImportSource; plan: ImportPlan; zip: ZipDirectory | null } | null = null;
let cancelled = false;

/**
 * A zip upload's directory, read from its end without inflating anything (see io/zip.ts:
 * entry counts, ranges, sizes and CRC-32s are checked, so no small file can hang the worker).
 */
async function listZip(file: File): Promise<ZipDirectory> {
  try {
    return await zipDirectoryOfBlob(file, { maxEntries: MAX_ZIP_ENTRIES });
  } catch (error) {
    if (error instanceof ZipError && error.problem !== 'damaged') {
      throw new Error(`${file.name} cannot be read: ${error.message}`);
    }
    throw new Error(`${file.name} is not a readable zip archive (${errorMessage(error)})`);
  }
}

/**
 * One entry's bytes, or why they cannot be read. Images past 25 MB are skipped by the plan
 * from their declared size, and no entry inflates past its declared size; images barely
 * compress, CSVs about 10 : 1, so a ratio over 64 : 1 is refused as a bomb.
 */
async function readZipEntry(
  file: File,
  entry: ZipEntry,
  maxBytes: number,
): Promise<{ data: Uint8Array } | { problem: string }> {
  try {
    return { data: await zipEntryDataOfBlob(file, entry, { maxBytes, maxRatio: 64 }) };
  } catch (error) {
    return { problem: errorMessage(error) };
  }
}

async function scan(source: ImportSource): Promise<{ plan: ImportPlan; zip: ZipDirectory | null }> {
  if (source.kind === 'files') {
    const files: SourceFile[] = source.files.map(({ file, path }) => ({ path, bytes: file.size }));
    const label = source.files.find(({ path }) => isLabelFile(path));
    return { plan: planImport(files, label ? await label.file.text() : null), zip: null };
  }
  if (!/\.zip$/i.test(source.file.name)) {
    throw new Error(`${source.file.name} is not a zip archive`);
  }
  const zip = await listZip(source.file);
  const entries = zip.entries.filter((entry) => !entry.isDirectory);
  if (entries.length === 0) throw new Error(`${source.file.name} holds no files`);
  const files: SourceFile[] = entries.map((entry) => ({ path: entry.name, bytes: entry.size }));
  let labelText: string | null = null;
  const label = entries.find((entry) => isLabelFile(entry.name));
  if (label) {
    const read = await readZipEntry(source.file, label, LABEL_LIMITS.bytes);
    if ('problem' in read) throw new Error(`${label.name} cannot be read: ${read.problem}`);
    labelText = new TextDecoder().decode(read.data);
  }
  return { plan: planImport(files, labelText), zip };
}

/** Decodes one image into `out` at `offset` as 64 px RGB bytes; false if it cannot be read. */
async function decodeInto(
  blob: Blob,
  crop: number | null,
  out: Uint8Array,
  offset: number,
): Promise<boolean> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(blob);
  } catch {
    return false;
  }
  const { x, y, side } = centreCrop(bitmap.width, bitmap.height, crop);
  const canvas = new OffscreenCanvas(STORED_SIZE, STORED_SIZE);
  const ctx = canvas.getContext('2d')!;
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(bitmap, x, y, side, side, 0, 0, STORED_SIZE, STORED_SIZE);
  bitmap.close();
  const rgba = ctx.getImageData(0, 0, STORED_SIZE, STORED_SIZE).data;
  for (let i = 0, j = offset; i < rgba.length; i += 4, j += 3) {
    out[j] = rgba[i]!;
    out[j + 1] = rgba[i + 1]!;
    out[j + 2] = rgba[i + 2]!;
  }
  return true;
}

async function importImages(requestId: number, options: ImportOptions): Promise<void> {
  if (!scanned) throw new Error('Choose the files to import first');
  const { source, plan, zip } = scanned;
  const wanted = plan.images.slice(0, Math.min(options.limit, MAX_IMAGES));
  if (wanted.length === 0) throw new Error('There are no images to import');
  const pick = selectColumns(plan.labelNames, options.labels);
  const pixels = new Uint8Array(wanted.length * STORED_BYTES_PER_IMAGE);
  const labels = new Uint8Array(wanted.length * options.labels.length);
  const names: string[] = [];
  const skipped: Skipped[] = [...plan.skipped];
  const labelsOf = new Map(wanted.map((image) => [image.path, image.labels]));
  let done = 0;
  let lastPost = 0;
  const accept = async (path: string, blob: Blob | null, problem?: string) => {
    done++;
    const at = names.length;
    if (blob && (await decodeInto(blob, options.cropSize, pixels, at * STORED_BYTES_PER_IMAGE))) {
      labels.set(pick(labelsOf.get(path)!), at * options.labels.length);
      names.push(path);
    } else {
      skipped.push({
        path,
        reason: blob
          ? 'could not be decoded as an image'
          : `could not be read${problem ? ` (${problem})` : ''}`,
      });
    }
    if (performance.now() - lastPost > 200 || done === wanted.length) {
      lastPost = performance.now();
      const progress = { done, total: wanted.length, accepted: names.length };
      post({ type: 'progress', requestId, ...progress, skipped: skipped.length });
    }
  };

  if (source.kind === 'files') {
    const files = new Map(source.files.map(({ file, path }) => [path, file]));
    for (const image of wanted) {
      if (cancelled) break;
      await accept(image.path, files.get(image.path) ?? null);
    }
  } else {
    // Read entry by entry through the directory, in the plan's (sorted) order.
    for (const image of wanted) {
      if (cancelled) break;
      const entry = zip?.byName.get(image.path);
      const read = entry
        ? await readZipEntry(source.file, entry, MAX_IMAGE_BYTES)
        : { problem: 'not in the zip' };
      if ('data' in read) await accept(image.path, new Blob([read.data as BlobPart]));
      else await accept(image.path, null, read.problem);
    }
  }
  if (cancelled) throw new Error('Import cancelled');
  if (names.length === 0) {
    throw new Error('No image could be imported: every file was skipped (see the list)');
  }
  const count = names.length;
  const dataset: DatasetSummary = {
    id: crypto.randomUUID(),
    name: options.name,
    count,
    bytes: count * (STORED_BYTES_PER_IMAGE + options.labels.length),
    createdAt: Date.now(),
    labelMode: plan.mode === 'unlabelled' || options.labels.length === 0 ? 'unlabelled' : plan.mode,
    labelNames: options.labels,
    group: options.group.map((name) => options.labels.indexOf(name)).filter((i) => i >= 0),
    skipped: skipped.length,
  };
  await saveDataset(dataset, {
    pixels: pixels.slice(0, count * STORED_BYTES_PER_IMAGE),
    labels: labels.slice(0, count * options.labels.length),
    names,
  });
  post({ type: 'imported', requestId, dataset, skipped });
}

async function handle(message: ToDatasetWorker): Promise<void> {
  switch (message.type) {
    case 'scan': {
      cancelled = false;
      scanned = null;
      const { plan, zip } = await scan(message.source);
      scanned = { source: message.source, plan, zip };
      const { images, ...rest } = plan;
      const sourceName =
        message.source.kind === 'zip' ? message.source.file.name : message.source.name;
      const report = { ...rest, sourceName, images: images.length };
      post({ type: 'scanned', requestId: message.requestId, report });
      return;
    }
    case 'import':
      cancelled = false;
      await importImages(message.requestId, message.options);
      return;
    case 'cancel':
      cancelled = true;
      return;
    default:
      message satisfies never;
  }
}

self.onmessage = (event: MessageEvent<ToDatasetWorker>) => {
  const message = event.data;
  handle(message).catch((error: unknown) => {
    if (message.type !== 'cancel') {
      post({ type: 'failed', requestId: message.requestId, message: errorMessage(error) });
    }
  });
};
