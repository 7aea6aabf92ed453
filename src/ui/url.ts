import { BACKENDS, type BackendChoice } from '../protocol/messages';

/** The backend the user last chose in the page, kept for their next visit. */
export const BACKEND_PREFERENCE_KEY = 'gan-playground:backend';

const isChoice = (value: string | null): value is BackendChoice =>
  value === 'auto' || (BACKENDS as readonly string[]).includes(value ?? '');

function storedChoice(): BackendChoice {
  try {
    const value = localStorage.getItem(BACKEND_PREFERENCE_KEY);
    return isChoice(value) ? value : 'auto';
  } catch {
    return 'auto';
  }
}

/** `?backend=webgpu|webgl|cpu|auto` first, then the choice kept from a visit, then auto. */
export function backendFromUrl(search: string): BackendChoice {
  const value = new URLSearchParams(search).get('backend');
  return isChoice(value) ? value : storedChoice();
}

export function writeBackendToUrl(choice: BackendChoice): void {
  try {
    localStorage.setItem(BACKEND_PREFERENCE_KEY, choice);
  } catch {
    // Without storage the choice lives in the URL alone.
  }
  const url = new URL(window.location.href);
  if (choice === 'auto') url.searchParams.delete('backend');
  else url.searchParams.set('backend', choice);
  window.history.replaceState(null, '', url);
}

/**
 * `?kernels=stock` runs TF.js's stock WebGPU kernels instead of ours: the benchmark's "stock
 * WebGPU" column, and a way round a kernel of ours that misbehaves on someone's GPU.
 */
export function ownKernelsFromUrl(search: string): boolean {
  return new URLSearchParams(search).get('kernels') !== 'stock';
}
