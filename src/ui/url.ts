import { BACKENDS, type BackendChoice } from '../protocol/messages';

/** `?backend=webgpu|webgl|cpu|auto`; anything else means auto. */
export function backendFromUrl(search: string): BackendChoice {
  const value = new URLSearchParams(search).get('backend');
  return value && (BACKENDS as readonly string[]).includes(value)
    ? (value as BackendChoice)
    : 'auto';
}

export function writeBackendToUrl(choice: BackendChoice): void {
  const url = new URL(window.location.href);
  if (choice === 'auto') url.searchParams.delete('backend');
  else url.searchParams.set('backend', choice);
  window.history.replaceState(null, '', url);
}
