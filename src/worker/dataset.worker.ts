/// <reference lib="webworker" />
/**
 * The dataset worker: scans an upload (folder or zip), then decodes its images one by one
 * (createImageBitmap + OffscreenCanvas), centre-crops and resizes them to 64 px, and stores
 * the set in IndexedDB, reporting progress. Training goes on in its own worker meanwhile.
 */
import { Unzip, UnzipInflate } from 'fflate';
import {
  centreCrop,
  type ImportPlan,
  MAX_IMAGE_BYTES,
  MAX_IMAGES,
  planImport,
  type Skipped,
  type SourceFile,
  STORED_BYTES_PER_IMAGE,
  STORED_SIZE,
  selectColumns,
} from '../data/importPlan';
import { isLabelFile } from '../data/labels';
import { errorMessage } from '../engine/errors';
import { joinChunks } from '../io/bytes';
import { saveDataset } from '../io/datasetStore';
import type {
  FromDatasetWorker,
  ImportOptions,
  ImportSource,
  ToDatasetWorker,
} from '../protocol/datasets';
import type { DatasetSummary } from '../protocol/messages';

declare const self: DedicatedWorkerGlobalScope;

const post = (message: FromDatasetWorker) => self.postMessage(message);

let scanned: { source: ImportSource; plan: ImportPlan } | null = null;
let cancelled = false;

/**
 * Streams a zip's entries: `want` decides per entry whether its bytes are needed; `use`
 * gets them (awaited between chunks of the zip, so decoding keeps pace with reading).
 */
async function streamZip(
  file: File,
  want: (name: string) => boolean,
  use: (name: string, data: Uint8Array | null) => Promise<void>,
  listed?: (name: string, bytes: number) => void,
): Promise<void> {
  const ready: { name: string; data: Uint8Array | null }[] = [];
  let failure: Error | null = null;
  const unzip = new Unzip();
  unzip.register(UnzipInflate);
  unzip.onfile = (entry) => {
    if (entry.name.endsWith('/')) return;
    listed?.(entry.name, entry.originalSize ?? 1);
    if (!want(entry.name)) return;
    const chunks: Uint8Array[] = [];
    let size = 0;
    entry.ondata = (error, chunk, final) => {
      if (error) {
        ready.push({ name: entry.name, data: null });
        return;
      }
      size += chunk.byteLength;
      if (size > MAX_IMAGE_BYTES && !isLabelFile(entry.name)) {
        entry.terminate();
        ready.push({ name: entry.name, data: null });
        return;
      }
      chunks.push(chunk);
      if (final) ready.push({ name: entry.name, data: joinChunks(chunks, size) });
    };
    try {
      entry.start();
    } catch {
      ready.push({ name: entry.name, data: null });
    }
  };
  const reader = file.stream().getReader();
  for (;;) {
    const { done, value } = await reader.read();
    try {
      unzip.push(done ? new Uint8Array(0) : value, done);
    } catch (error) {
      failure = new Error(`${file.name} is not a readable zip archive (${errorMessage(error)})`);
    }
    while (ready.length > 0) {
      const next = ready.shift()!;
      await use(next.name, next.data);
    }
    if (failure) throw failure;
    if (done || cancelled) break;
  }
}

async function scan(source: ImportSource): Promise<ImportPlan> {
  if (source.kind === 'files') {
    const files: SourceFile[] = source.files.map(({ file, path }) => ({ path, bytes: file.size }));
    const label = source.files.find(({ path }) => isLabelFile(path));
    return planImport(files, label ? await label.file.text() : null);
  }
  if (!/\.zip$/i.test(source.file.name)) {
    throw new Error(`${source.file.name} is not a zip archive`);
  }
  const files: SourceFile[] = [];
  let labelText: string | null = null;
  await streamZip(
    source.file,
    (name) => labelText === null && isLabelFile(name),
    async (_, data) => {
      if (data) labelText = new TextDecoder().decode(data);
    },
    (path, bytes) => files.push({ path, bytes }),
  );
  if (files.length === 0) throw new Error(`${source.file.name} holds no files`);
  return planImport(files, labelText);
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
  const { source, plan } = scanned;
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
  const accept = async (path: string, blob: Blob | null) => {
    done++;
    const at = names.length;
    if (blob && (await decodeInto(blob, options.cropSize, pixels, at * STORED_BYTES_PER_IMAGE))) {
      labels.set(pick(labelsOf.get(path)!), at * options.labels.length);
      names.push(path);
    } else {
      skipped.push({
        path,
        reason: blob ? 'could not be decoded as an image' : 'could not be read',
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
    await streamZip(
      source.file,
      (name) => labelsOf.has(name),
      (name, data) => accept(name, data ? new Blob([data as BlobPart]) : null),
    );
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
      const plan = await scan(message.source);
      scanned = { source: message.source, plan };
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
