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
import { addNotice } from './notices';
import { shareUrl } from './shareLink';
import { useAppStore } from './store/store';

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

export async function exportCurrent(flavour: BundleFlavour): Promise<void> {
  useAppStore.setState({ transfer: { label: 'Saving…', loaded: 0, total: null } });
  try {
    const { bytes, fileName } = await ask<{ bytes: Uint8Array; fileName: string }>((requestId) => ({
      type: 'export',
      requestId,
      flavour,
    }));
    downloadBytes(bytes, fileName);
  } catch (error) {
    addNotice('error', `Export failed: ${errorText(error)}`);
  } finally {
    useAppStore.setState({ transfer: null });
  }
}

/** Hands a bundle to the worker; the current run stays as it is unless the file loads. */
async function load(bytes: Uint8Array, source: string, run: SavedRun | null): Promise<boolean> {
  useAppStore.setState({ transfer: { label: `Loading ${source}…`, loaded: 0, total: null } });
  try {
    const { step } = await ask<{ step: number }>(
      (requestId) => ({ type: 'load', requestId, bytes, run }),
      [bytes.buffer as ArrayBuffer],
    );
    addNotice('info', `Loaded ${source} at step ${step}.`);
    return true;
  } catch (error) {
    addNotice('error', `Could not load ${source}: ${errorText(error)}. Nothing was changed.`);
    return false;
  } finally {
    useAppStore.setState({ transfer: null });
  }
}

export async function importFile(file: File): Promise<void> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await file.arrayBuffer());
  } catch (error) {
    addNotice('error', `Could not read ${file.name}: ${errorText(error)}`);
    return;
  }
  await load(bytes, `“${file.name}”`, null);
}

/** `?weights=<url>`: fetched with CORS and a progress bar, then loaded like a file. */
export async function importFromUrl(text: string): Promise<void> {
  try {
    const url = checkWeightsUrl(text, window.location.href);
    useAppStore.setState({ transfer: { label: `Fetching ${url.href}`, loaded: 0, total: null } });
    const bytes = await fetchBundle(url, ({ loaded, total }) =>
      useAppStore.setState({ transfer: { label: `Fetching ${url.href}`, loaded, total } }),
    );
    await load(bytes, url.href, null);
  } catch (error) {
    useAppStore.setState({ transfer: null });
    addNotice('error', `Could not load weights: ${errorText(error)}`);
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

/** Deletes a run; if it is the current one, its next autosave starts a new record. */
export async function deleteSavedRun(run: SavedRun): Promise<void> {
  try {
    await ask<void>((requestId) => ({ type: 'deleteRun', requestId, id: run.id }));
  } catch (error) {
    addNotice('error', `Could not delete “${run.name}”: ${errorText(error)}`);
  }
  useAppStore.setState((s) => ({
    currentRun: s.currentRun?.id === run.id ? null : s.currentRun,
    resumeOffer: s.resumeOffer?.id === run.id ? null : s.resumeOffer,
  }));
  await refreshRuns();
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
