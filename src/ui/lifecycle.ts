/**
 * The page's lifecycle as the worker needs it: a hidden or closing page asks for an autosave
 * at once (a closed tab then loses a step or two, not up to 5 s of training), and the
 * end-to-end tests' hooks.
 */
import { send } from './client';

/** Saves the run whenever the page is hidden (tab switched, window minimised) or closed. */
export function saveWhenHidden(): void {
  const saveNow = () => send({ type: 'saveNow' });
  // pagehide also fires where visibilitychange does not (some mobile browsers, bfcache).
  window.addEventListener('pagehide', saveNow);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') saveNow();
  });
}

/** What the end-to-end tests call in the page, with ?testHooks=1 in the URL only. */
export const testHooks = {
  /**
   * Loses the GPU device (WebGPU) or the WebGL context, as a driver reset would; with
   * refuseAdapter, WebGPU does not come back (requestAdapter answers null from then on).
   */
  loseDevice: (refuseAdapter = false) => send({ type: 'testLoseDevice', refuseAdapter }),
};
