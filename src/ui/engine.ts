/**
 * The UI's side of the worker: starts it, sends commands, and folds its messages into the
 * store. Components call these functions and never see a Worker or a message.
 */
import type {
  BackendChoice,
  ExperimentConfig,
  ExperimentInfo,
  Frame,
  FromWorker,
  LiveSettings,
  NoticeLevel,
  StepPhase,
  ToWorker,
} from '../protocol/messages';
import { appendRows, emptySeries } from './store/series';
import { type AppState, useAppStore } from './store/store';
import { writeBackendToUrl } from './url';

let worker: Worker | null = null;
let nextNoticeId = 1;

function send(message: ToWorker): void {
  worker?.postMessage(message);
}

export function addNotice(level: NoticeLevel, message: string): void {
  const notice = { id: nextNoticeId++, level, message };
  useAppStore.setState((s) => ({ notices: [...s.notices, notice] }));
}

export function dismissNotice(id: number): void {
  useAppStore.setState((s) => ({ notices: s.notices.filter((n) => n.id !== id) }));
}

const QUALITY_NAMES_MODES = ['JS divergence', 'High-quality share', 'Modes covered'] as const;
const QUALITY_NAMES = ['JS divergence'] as const;

function qualityNames(info: ExperimentInfo): readonly string[] {
  return info.hasModes ? QUALITY_NAMES_MODES : QUALITY_NAMES;
}

/** One chart row per frame, every value on a 0-1 scale (modes as a share of all modes). */
function qualityRow(frame: Frame, info: ExperimentInfo): number[] {
  const q = frame.quality;
  if (!info.hasModes) return [q.jsDivergence];
  return [
    q.jsDivergence,
    q.highQualityShare ?? Number.NaN,
    (q.modesCovered ?? 0) / (q.modesTotal ?? 1),
  ];
}

function receive(message: FromWorker): void {
  switch (message.type) {
    case 'backend': {
      useAppStore.setState({ backend: message.info });
      return;
    }
    case 'experiment': {
      useAppStore.setState({
        info: message.info,
        ready: true,
        losses: emptySeries(message.info.lossNames),
        quality: emptySeries(qualityNames(message.info)),
        frame: null,
      });
      return;
    }
    case 'progress': {
      useAppStore.setState((s): Partial<AppState> => {
        const { frame, points } = message;
        return {
          step: message.step,
          running: message.running,
          stepsPerSecond: message.stepsPerSecond,
          elapsedMs: message.elapsedMs,
          losses:
            points.steps.length > 0 ? appendRows(s.losses, points.steps, points.values) : s.losses,
          frame: frame ?? s.frame,
          quality:
            frame && s.info
              ? appendRows(s.quality, [frame.step], qualityRow(frame, s.info))
              : s.quality,
        };
      });
      return;
    }
    case 'notice': {
      addNotice(message.level, message.message);
      return;
    }
  }
}

/** (Re)starts the worker on a backend; the current experiment starts again from its seed. */
export function startEngine(choice: BackendChoice): void {
  worker?.terminate();
  worker = new Worker(new URL('../worker/engine.worker.ts', import.meta.url), { type: 'module' });
  worker.onmessage = (event: MessageEvent<FromWorker>) => receive(event.data);
  worker.onerror = (event) => {
    useAppStore.setState({ running: false });
    addNotice('error', `The training worker failed: ${event.message || 'unknown error'}`);
  };
  useAppStore.setState({
    backendChoice: choice,
    backend: null,
    ready: false,
    running: false,
    step: 0,
    stepsPerSecond: 0,
    elapsedMs: 0,
  });
  const { experiment, live } = useAppStore.getState();
  send({ type: 'init', backend: choice, experiment, live });
}

export function chooseBackend(choice: BackendChoice): void {
  writeBackendToUrl(choice);
  startEngine(choice);
}

export function play(): void {
  useAppStore.setState({ running: true });
  send({ type: 'play' });
}

export function pause(): void {
  send({ type: 'pause' });
}

export function step(phase: StepPhase): void {
  send({ type: 'step', phase });
}

/** Starts over from the seed with the settings panel's values. */
export function reset(): void {
  const experiment = useAppStore.getState().draft;
  useAppStore.setState({ experiment, running: false });
  send({ type: 'reset', experiment });
}

export function editDraft(change: (draft: ExperimentConfig) => ExperimentConfig): void {
  useAppStore.setState((s) => ({ draft: change(s.draft) }));
}

export function setLive(change: Partial<LiveSettings>): void {
  const live = { ...useAppStore.getState().live, ...change };
  useAppStore.setState({ live });
  send({ type: 'live', live });
}
