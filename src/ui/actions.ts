/** What the controls and the settings form do: plain functions over the store and the worker. */
import { defaultExperiment, type ExperimentConfig, type ExperimentKind } from '../families';
import type { BackendChoice, LiveSettings, StepPhase } from '../protocol/messages';
import { send, startEngine } from './client';
import { useAppStore } from './store/store';
import { writeBackendToUrl } from './url';

export function chooseBackend(choice: BackendChoice): void {
  writeBackendToUrl(choice);
  startEngine(choice);
}

export function play(): void {
  useAppStore.setState({ running: true });
  send({ type: 'play' });
}

/** Shows "Pausing…" at once; the worker stops after the step under way. */
export function pause(): void {
  useAppStore.setState({ pausing: true });
  send({ type: 'pause' });
}

export function step(phase: StepPhase): void {
  send({ type: 'step', phase });
}

/** Starts over from the seed with the settings panel's values. */
export function reset(): void {
  const experiment = useAppStore.getState().draft;
  useAppStore.setState({ experiment, running: false, pausing: false, ready: false });
  send({ type: 'reset', experiment });
}

export function editDraft(change: (draft: ExperimentConfig) => ExperimentConfig): void {
  useAppStore.setState((s) => ({ draft: change(s.draft) }));
}

/** Changes some of the draft's model settings (the form only offers the draft's own fields). */
export function editModel(change: Readonly<Record<string, unknown>>): void {
  editDraft((draft) => ({ ...draft, model: { ...draft.model, ...change } }) as ExperimentConfig);
}

/** Switches the draft to another model with its defaults, keeping the seed. */
export function chooseModel(kind: ExperimentKind): void {
  editDraft((draft) => (draft.kind === kind ? draft : defaultExperiment(kind, draft.seed)));
}

export function setLive(change: Partial<LiveSettings>): void {
  const live = { ...useAppStore.getState().live, ...change };
  useAppStore.setState({ live });
  send({ type: 'live', live });
}
