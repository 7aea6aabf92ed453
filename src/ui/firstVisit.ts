/**
 * A first visit: nobody has dismissed the welcome in this browser. It opens the welcome family
 * with its trained model (families/index.ts WELCOME_EXPERIMENT) rather than an untrained one,
 * so the page does something worth seeing before anyone reads a word.
 */
import { familyFor, WELCOME_EXPERIMENT } from '../families';
import type { BackendChoice } from '../protocol/messages';
import { send, startEngine } from './client';
import { importTrained, refreshRuns } from './runs';
import { useAppStore } from './store/store';

const DISMISSED = 'gan-playground:intro-dismissed';

export function isFirstVisit(): boolean {
  try {
    return localStorage.getItem(DISMISSED) !== '1';
  } catch {
    // Without storage (some private modes) every visit is a first one; nothing breaks.
    return true;
  }
}

export function markVisited(): void {
  try {
    localStorage.setItem(DISMISSED, '1');
  } catch {
    // Private mode without storage: the welcome shows again next time.
  }
}

/**
 * Opens the welcome family and starts the worker. With no saved run in this browser, it loads
 * the family's trained model, and the worker builds nothing before it (an untrained model
 * would only be replaced); with one (someone who trained before but never dismissed the
 * welcome), that run is offered instead.
 */
export async function welcomeNewcomer(backend: BackendChoice): Promise<void> {
  useAppStore.setState({ experiment: WELCOME_EXPERIMENT, draft: WELCOME_EXPERIMENT });
  const [latest] = await refreshRuns();
  const [model] = familyFor(WELCOME_EXPERIMENT).trained ?? [];
  const trained = latest === undefined ? model : undefined;
  startEngine(backend, trained === undefined);
  if (latest) useAppStore.setState({ resumeOffer: latest });
  // A failed load has said why in a notice; the untrained model is the next best thing.
  else if (trained && !(await importTrained(trained)))
    send({ type: 'reset', experiment: WELCOME_EXPERIMENT });
}
