/**
 * Uploaded data sets, from the page's side: hands uploads to the dataset worker (which scans,
 * decodes and stores them off the UI thread), lists, previews and deletes stored sets, and
 * points the settings at one.
 */

import {
  defaultExperiment,
  type ExperimentConfig,
  type ExperimentKind,
  familyOf,
  uploadedDatasetId,
} from '../families';
import { deleteDataset, listDatasets, loadPreview } from '../io/datasetStore';
import type { DatasetSummary } from '../io/records';
import type {
  FromDatasetWorker,
  ImportOptions,
  ImportSource,
  ToDatasetWorker,
} from '../protocol/datasets';
import { editDraft, reset } from './actions';
import { addNotice } from './notices';
import { useAppStore } from './store/store';

let worker: Worker | null = null;
let nextRequestId = 1;
const pending = new Map<number, { resolve(value: FromDatasetWorker): void }>();

function datasetWorker(): Worker {
  if (worker) return worker;
  worker = new Worker(new URL('../worker/dataset.worker.ts', import.meta.url), { type: 'module' });
  worker.onmessage = (event: MessageEvent<FromDatasetWorker>) => {
    const message = event.data;
    if (message.type === 'progress') {
      const { done, total, accepted, skipped } = message;
      useAppStore.setState({ importing: { done, total, accepted, skipped } });
      return;
    }
    pending.get(message.requestId)?.resolve(message);
    pending.delete(message.requestId);
  };
  worker.onerror = (event) => addNotice('error', `The data worker failed: ${event.message}`);
  return worker;
}

function request(message: (requestId: number) => ToDatasetWorker): Promise<FromDatasetWorker> {
  const requestId = nextRequestId++;
  return new Promise((resolve) => {
    pending.set(requestId, { resolve });
    datasetWorker().postMessage(message(requestId));
  });
}

export async function refreshDatasets(): Promise<void> {
  try {
    useAppStore.setState({ datasets: await listDatasets() });
  } catch (error) {
    addNotice('warning', `Uploaded data sets are unavailable: ${(error as Error).message}`);
  }
}

/** Scans an upload; the import form then shows what it holds. */
export async function scanUpload(source: ImportSource): Promise<void> {
  useAppStore.setState({ scan: null, imported: null });
  const reply = await request((requestId) => ({ type: 'scan', requestId, source }));
  if (reply.type === 'scanned') useAppStore.setState({ scan: reply.report });
  else if (reply.type === 'failed')
    addNotice('error', `Could not use this upload: ${reply.message}`);
}

export async function importScanned(options: ImportOptions): Promise<void> {
  const { scan } = useAppStore.getState();
  if (!scan) return;
  useAppStore.setState({ importing: { done: 0, total: options.limit, accepted: 0, skipped: 0 } });
  const reply = await request((requestId) => ({ type: 'import', requestId, options }));
  useAppStore.setState({ importing: null });
  if (reply.type === 'imported') {
    useAppStore.setState({
      scan: null,
      imported: { dataset: reply.dataset, skipped: reply.skipped },
    });
    await refreshDatasets();
    await showPreview(reply.dataset);
  } else if (reply.type === 'failed') {
    addNotice('error', `Import failed: ${reply.message}`);
  }
}

export function cancelImport(): void {
  if (useAppStore.getState().importing) datasetWorker().postMessage({ type: 'cancel' });
  else useAppStore.setState({ scan: null });
}

export async function showPreview(dataset: DatasetSummary): Promise<void> {
  const images = await loadPreview(dataset.id);
  useAppStore.setState({ preview: images ? { dataset, images } : null });
}

export async function removeDataset(dataset: DatasetSummary): Promise<void> {
  const { experiment } = useAppStore.getState();
  if (uploadedDatasetId(experiment) === dataset.id) {
    addNotice('warning', `“${dataset.name}” is being trained on; choose other data first.`);
    return;
  }
  await deleteDataset(dataset.id);
  useAppStore.setState((s) => ({
    preview: s.preview?.dataset.id === dataset.id ? null : s.preview,
    imported: s.imported?.dataset.id === dataset.id ? null : s.imported,
  }));
  await refreshDatasets();
}

/** Starts a family on an uploaded set, keeping the seed (and the settings, if it runs now). */
export function trainOn(dataset: DatasetSummary, kind: ExperimentKind): void {
  const field = familyOf(kind).uploaded?.field;
  if (!field) return;
  editDraft((draft) => {
    const base = draft.kind === kind ? draft : defaultExperiment(kind, draft.seed);
    return {
      ...base,
      model: { ...base.model, [field]: 'uploaded', datasetId: dataset.id },
    } as ExperimentConfig;
  });
  reset();
}
