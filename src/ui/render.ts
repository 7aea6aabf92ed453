/**
 * The playground's generator passes: at most one request in flight, and moves made meanwhile
 * collapse into one follow-up with the latest values, so a fast drag never queues work. What
 * to ask for comes from the current family's views (see `connectFamilies`).
 */
import type { RenderRequest } from '../families';
import type { ImageGrid } from '../families/types';
import type { ToWorker } from '../protocol/messages';
import { useAppStore } from './store/store';

type Sender = (message: ToWorker) => void;

let source: () => RenderRequest | null = () => null;
let sender: Sender = () => {};
let inFlight = false;
let queued = false;
/** The playground-state version the in-flight render was built from. */
let inFlightVersion = 0;
let nextRequestId = 1;

/** Where requests come from (the current family's views) and go (the worker). */
export function connectRender(from: () => RenderRequest | null, to: Sender): void {
  source = from;
  sender = to;
}

/** Asks for G's outputs at the playground's current values. */
export function requestRender(): void {
  useAppStore.setState((s) => ({ renderRequested: s.renderRequested + 1 }));
  if (inFlight) {
    queued = true;
    return;
  }
  send();
}

function send(): void {
  const state = useAppStore.getState();
  const request = source();
  if (!request) {
    useAppStore.setState({ rendered: null, renderShown: state.renderRequested });
    return;
  }
  inFlight = true;
  inFlightVersion = state.renderRequested;
  sender({ type: 'render', requestId: nextRequestId++, request });
}

/** The worker's answer: images, or null when the request failed (a notice says why). */
export function rendered(images: ImageGrid | null): void {
  inFlight = false;
  useAppStore.setState(
    images ? { rendered: images, renderShown: inFlightVersion } : { renderShown: inFlightVersion },
  );
  if (queued) {
    queued = false;
    send();
  }
}

/** A restarted worker answers nothing that was in flight. */
export function forgetRenders(): void {
  inFlight = false;
  queued = false;
}
