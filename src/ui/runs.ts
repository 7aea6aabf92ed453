/**
 * Files and saved runs, from the page's side: export and import bundles (file, drop, URL),
 * share links, and the saved-runs list in IndexedDB. The worker checks every file; nothing
 * here changes the current run until it says the file loaded.
 */
import { bundleFileName } from '../io/bundle';
import type { BundleFlavour, SavedRun } from '../io/records';
import { listRuns, loadRunFile } from '../io/runStore';
import { ask } from './client';
import { checkWeightsUrl, downloadBytes, fetchBundle } from './files';
import { addNotice, dismissNotice } from './notices';
import { shareUrl } from './shareLink';
import { useAppStore } from './store/store';

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

export async function exportCurrent(
  flavour: BundleFlavour,
  torch?: 'safetensors' | 'pt',
): Promise<void> {
  useAppStore.setState({ transfer: { label: 'Saving…', loaded: 0, total: null } });
  try {
    const { bytes, fileName } = await ask<{ bytes: Uint8Array; fileName: string }>((requestId) => ({
      type: 'export',
      requestId,
      flavour,
      ...(torch ? { torch } : {}),
    }));
    downloadBytes(bytes, fileName);
  } catch (error) {
    addNotice('error', `Export failed: ${errorText(error)}`);
  } finally {
    useAppStore.setState({ transfer: null });
  }
}

/** What a load says by default: what came in, and what it means for training on from here. */
const describeLoad = (source: string) => (step: number, flavour: BundleFlavour) =>
  flavour === 'full'
    ? `Loaded ${source}: the full training state at step ${step}, with its charts; Play goes on exactly where it stopped.`
    : `Loaded ${source}: the generator at step ${step}, to play with. D and the optimisers start fresh, so training from here begins a new run segment.`;

/**
 * Hands a bundle to the worker; the current run stays as it is unless the file loads.
 * `loaded` words the notice after a successful load; `fileName` goes with a file or URL (a
 * PyTorch file may say by its name which network it holds).
 */
async function load(
  bytes: Uint8Array,
  source: string,
  run: SavedRun | null,
  loaded: (step: number, flavour: BundleFlavour) => string = describeLoad(source),
  fileName?: string,
): Promise<boolean> {
  useAppStore.setState({ transfer: { label: `Loading ${source}…`, loaded: 0, total: null } });
  try {
    const { step, flavour, torch } = await ask<{
      step: number;
      flavour: BundleFlavour;
      torch?: string;
    }>(
      (requestId) => ({ type: 'load', requestId, bytes, run, ...(fileName ? { fileName } : {}) }),
      [bytes.buffer as ArrayBuffer],
    );
    addNotice(
      'info',
      torch
        ? `Loaded ${source}, a PyTorch checkpoint: ${torch}. Generator only: D and the optimisers start fresh if you train.`
        : loaded(step, flavour),
    );
    return true;
  } catch (error) {
    addNotice('error', `Could not load ${source}: ${errorText(error)}. Nothing was changed.`);
    return false;
  } finally {
    useAppStore.setState({ transfer: null });
  }
}

/**
 * A file's bytes, read in chunks into one buffer of its size (never twice its size), with the
 * transfer bar showing progress for big files.
 */
async function readWithProgress(file: File): Promise<Uint8Array> {
  if (file.size < 4 * 1024 * 1024) return new Uint8Array(await file.arrayBuffer());
  const label = `Reading ${file.name}`;
  const bytes = new Uint8Array(file.size);
  const reader = file.stream().getReader();
  let loaded = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (loaded + value.byteLength > bytes.byteLength) throw new Error('the file grew while read');
    bytes.set(value, loaded);
    loaded += value.byteLength;
    useAppStore.setState({ transfer: { label, loaded, total: file.size } });
  }
  return loaded === bytes.byteLength ? bytes : bytes.subarray(0, loaded);
}

export async function importFile(file: File): Promise<void> {
  let bytes: Uint8Array;
  try {
    bytes = await readWithProgress(file);
  } catch (error) {
    useAppStore.setState({ transfer: null });
    addNotice('error', `Could not read ${file.name}: ${errorText(error)}`);
    return;
  }
  await load(bytes, `“${file.name}”`, null, undefined, file.name);
}

/** `?weights=<url>`: fetched with CORS and a progress bar, then loaded like a file. */
export async function importFromUrl(text: string): Promise<void> {
  try {
    const url = checkWeightsUrl(text, window.location.href);
    useAppStore.setState({ transfer: { label: `Fetching ${url.href}`, loaded: 0, total: null } });
    const bytes = await fetchBundle(url, ({ loaded, total }) =>
      useAppStore.setState({ transfer: { label: `Fetching ${url.href}`, loaded, total } }),
    );
    const fileName = decodeURIComponent(url.pathname.split('/').pop() ?? '');
    await load(bytes, url.href, null, undefined, fileName || undefined);
  } catch (error) {
    useAppStore.setState({ transfer: null });
    addNotice('error', `Could not load weights: ${errorText(error)}`);
  }
}

/**
 * A trained generator shipped with the app (public/models/trained/): fetched from this origin
 * on first use, then loaded like a file.
 */
export async function importTrained(model: { file: string; title: string }): Promise<boolean> {
  const label = `Fetching ${model.title}`;
  try {
    const url = new URL(
      `${import.meta.env.BASE_URL}models/trained/${model.file}`,
      window.location.href,
    );
    useAppStore.setState({ transfer: { label, loaded: 0, total: null } });
    const bytes = await fetchBundle(url, ({ loaded, total }) =>
      useAppStore.setState({ transfer: { label, loaded, total } }),
    );
    return await load(
      bytes,
      model.title,
      null,
      (step) =>
        `Loaded ${model.title}, trained ${step} steps (generator only: D starts fresh if you train).`,
    );
  } catch (error) {
    useAppStore.setState({ transfer: null });
    addNotice('error', `Could not load ${model.title}: ${errorText(error)}`);
    return false;
  }
}

export async function refreshRuns(): Promise<SavedRun[]> {
  try {
    const savedRuns = await listRuns();
    const estimate = await navigator.storage?.estimate?.();
    useAppStore.setState({
      savedRuns,
      storage: estimate ? { usage: estimate.usage ?? 0, quota: estimate.quota ?? 0 } : null,
    });
    return savedRuns;
  } catch (error) {
    addNotice('warning', `Saved runs are unavailable: ${errorText(error)}`);
    return [];
  }
}

/** After a reload: offer the most recent saved run, unless a link asked for something else. */
export async function offerResume(): Promise<void> {
  const [latest] = await refreshRuns();
  if (latest) useAppStore.setState({ resumeOffer: latest });
}

export async function resumeRun(run: SavedRun): Promise<void> {
  useAppStore.setState({ resumeOffer: null });
  try {
    await load(await loadRunFile(run.id), `“${run.name}”`, run);
  } catch (error) {
    addNotice('error', `Could not resume “${run.name}”: ${errorText(error)}`);
  }
}

export async function exportSavedRun(run: SavedRun): Promise<void> {
  try {
    downloadBytes(await loadRunFile(run.id), bundleFileName(run.name, run.step, 'full'));
  } catch (error) {
    addNotice('error', `Could not export “${run.name}”: ${errorText(error)}`);
  }
}

/** Renames a run; the worker writes it, after any autosave already under way. */
export async function renameSavedRun(run: SavedRun, name: string): Promise<void> {
  const trimmed = name.trim();
  if (!trimmed || trimmed === run.name) return;
  try {
    await ask<void>((requestId) => ({ type: 'renameRun', requestId, id: run.id, name: trimmed }));
    useAppStore.setState((s) => ({
      currentRun: s.currentRun?.id === run.id ? { ...s.currentRun, name: trimmed } : s.currentRun,
    }));
  } catch (error) {
    addNotice('error', `Could not rename “${run.name}”: ${errorText(error)}`);
  }
  await refreshRuns();
}

/** How long a deleted run can be brought back with Undo. */
export const UNDO_MS = 8000;

/**
 * Deletes a run from the list at once and from storage after UNDO_MS, unless Undo is pressed;
 * if it is the current run, its next autosave starts a new record.
 */
export function deleteSavedRun(run: SavedRun): void {
  useAppStore.setState((s) => ({
    pendingDeletes: [...s.pendingDeletes, run.id],
    resumeOffer: s.resumeOffer?.id === run.id ? null : s.resumeOffer,
  }));
  const forget = () =>
    useAppStore.setState((s) => ({
      pendingDeletes: s.pendingDeletes.filter((id) => id !== run.id),
    }));
  const timer = setTimeout(() => {
    dismissNotice(notice);
    void (async () => {
      try {
        await ask<void>((requestId) => ({ type: 'deleteRun', requestId, id: run.id }));
        useAppStore.setState((s) => ({
          currentRun: s.currentRun?.id === run.id ? null : s.currentRun,
        }));
      } catch (error) {
        addNotice('error', `Could not delete “${run.name}”: ${errorText(error)}`);
      }
      forget();
      await refreshRuns();
    })();
  }, UNDO_MS);
  const notice = addNotice('info', `Deleted “${run.name}”.`, {
    label: 'Undo',
    run: () => {
      clearTimeout(timer);
      forget();
    },
  });
}

/** The current experiment as a link; copied to the clipboard where the browser allows it. */
export async function copyShareLink(weightsUrl: string | null): Promise<string> {
  const { experiment, live } = useAppStore.getState();
  const link = shareUrl(window.location.href, experiment, live, weightsUrl);
  try {
    await navigator.clipboard.writeText(link);
    addNotice('info', 'Link copied to the clipboard.');
  } catch {
    addNotice(
      'info',
      'Copy the link from the box below (the browser did not allow clipboard access).',
    );
  }
  return link;
}
