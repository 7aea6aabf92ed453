/**
 * The UI's side of the training worker: starts it, sends commands, pairs requests with their
 * replies, and folds the worker's messages into the store. Components never see a Worker or
 * a message; family views hear of a new experiment through `connectFamilies`.
 */
import type { ExperimentInfo } from '../families';
import type { RunHistory } from '../io/records';
import type {
  BackendChoice,
  BenchmarkResult,
  FromWorker,
  KernelCheck,
  LoopStats,
  ToWorker,
} from '../protocol/messages';
import { addNotice } from './notices';
import { forgetRenders, rendered, requestRender } from './render';
import { appendRows, emptySeries } from './store/series';
import { type AppState, useAppStore } from './store/store';

let worker: Worker | null = null;
let nextRequestId = 1;

/** What the current family's views do when an experiment arrives or its weights change. */
interface FamilyHooks {
  experiment(info: ExperimentInfo): void;
  /** Whether the family has a playground whose outputs follow new weights. */
  renders(info: ExperimentInfo): boolean;
}

let hooks: FamilyHooks = { experiment: () => {}, renders: () => false };

export function setFamilyHooks(next: FamilyHooks): void {
  hooks = next;
}

export function send(message: ToWorker, transfer: Transferable[] = []): void {
  worker?.postMessage(message, transfer);
}

/** The step of the weights the playground's outputs show; a frame of later ones redraws them. */
let renderedStep = -1;

function receive(message: FromWorker): void {
  switch (message.type) {
    case 'backend':
      useAppStore.setState({ backend: message.info });
      return;
    case 'experiment': {
      const { info } = message;
      useAppStore.setState((s) => ({
        info,
        architecture: message.architecture,
        experiment: message.config,
        // Edits made while the run was being built stay pending rather than vanish.
        draft: JSON.stringify(s.draft) === JSON.stringify(s.experiment) ? message.config : s.draft,
        currentRun: message.run,
        resumeOffer: s.resumeOffer?.id === message.run.id ? null : s.resumeOffer,
        ready: true,
        pausing: false,
        measuredSpeed: null,
        losses: seriesFrom(info.lossNames, message.history.lossSteps, message.history.losses),
        quality: seriesFrom(
          info.qualityNames,
          message.history.qualitySteps,
          message.history.quality,
        ),
        elapsedMs: message.history.elapsedMs,
        frame: null,
        latestQuality: lastQualityRow(message.history, info.qualityNames.length),
        rendered: null,
      }));
      hooks.experiment(info);
      renderedStep = message.step;
      requestRender();
      return;
    }
    case 'progress': {
      useAppStore.setState((s): Partial<AppState> => {
        const { frame, points, quality } = message;
        return {
          step: message.step,
          running: message.running,
          pausing: message.running && s.pausing,
          stepsPerSecond: message.stepsPerSecond,
          measuredSpeed: message.stepsPerSecond > 0 ? message.stepsPerSecond : s.measuredSpeed,
          elapsedMs: message.elapsedMs,
          losses:
            points.steps.length > 0 ? appendRows(s.losses, points.steps, points.values) : s.losses,
          frame: frame ?? s.frame,
          quality: quality ? appendRows(s.quality, [quality.step], quality.values) : s.quality,
          latestQuality: quality?.values ?? s.latestQuality,
        };
      });
      // New weights: the playground's outputs follow them (coalesced with any pending render).
      const { info } = useAppStore.getState();
      if (message.frame && message.frame.step !== renderedStep && info && hooks.renders(info)) {
        renderedStep = message.frame.step;
        requestRender();
      }
      return;
    }
    case 'notice':
      addNotice(message.level, message.message);
      return;
    case 'benchmarked':
      settle(message.requestId, message.result);
      return;
    case 'loopStats':
      settle(message.requestId, message.stats);
      return;
    case 'kernelsChecked':
      settle(message.requestId, message.checks);
      return;
    case 'exported':
      settle(message.requestId, { bytes: message.bytes, fileName: message.fileName });
      return;
    case 'loaded':
      settle(message.requestId, {
        step: message.step,
        flavour: message.flavour,
        ...(message.torch ? { torch: message.torch } : {}),
      });
      return;
    case 'done':
      settle(message.requestId, undefined);
      return;
    case 'failed':
      settle(message.requestId, new Error(message.message));
      return;
    case 'saved': {
      const { run } = message;
      useAppStore.setState((s) => ({
        currentRun: s.currentRun === null || s.currentRun.id === run.id ? run : s.currentRun,
        savedRuns: [run, ...s.savedRuns.filter((r) => r.id !== run.id)],
      }));
      return;
    }
    case 'rendered':
      rendered(message.images);
      return;
    default:
      message satisfies never;
  }
}

/** A chart rebuilt from a saved run's rows (null where a term was not computed). */
function seriesFrom(
  names: readonly string[],
  steps: readonly number[],
  values: readonly (number | null)[],
) {
  return appendRows(
    emptySeries(names),
    steps,
    values.map((v) => v ?? Number.NaN),
  );
}

interface PendingReply {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

const pendingReplies = new Map<number, PendingReply>();

function settle(requestId: number, value: unknown): void {
  const pending = pendingReplies.get(requestId);
  pendingReplies.delete(requestId);
  if (value instanceof Error) pending?.reject(value);
  else pending?.resolve(value);
}

/** Sends a request that the worker answers with a reply (or 'failed') carrying its id. */
export function ask<T>(
  message: (requestId: number) => ToWorker,
  transfer: Transferable[] = [],
): Promise<T> {
  const requestId = nextRequestId++;
  return new Promise<T>((resolve, reject) => {
    pendingReplies.set(requestId, { resolve: resolve as (value: unknown) => void, reject });
    worker?.postMessage(message(requestId), transfer);
  });
}

/** What `npm run bench` calls in the page (exposed only with ?bench in the URL). */
export const benchApi = {
  benchmark: (warmup: number, iterations: number, kernelTimes = false) =>
    ask<BenchmarkResult>((requestId) => ({
      type: 'benchmark',
      requestId,
      warmup,
      iterations,
      kernelTimes,
    })),
  loopStats: () => ask<LoopStats>((requestId) => ({ type: 'loopStats', requestId })),
  checkKernels: () =>
    ask<readonly KernelCheck[]>((requestId) => ({ type: 'checkKernels', requestId })),
};

/** Whether workers started from now on run our WebGPU kernels (see `ownKernelsFromUrl`). */
let ownKernels = true;

export function setOwnKernels(on: boolean): void {
  ownKernels = on;
}

/** (Re)starts the worker on a backend; the current experiment starts again from its seed. */
/** The last row of a saved run's quality figures (stored nulls stood for NaN). */
function lastQualityRow(history: RunHistory, width: number): number[] | null {
  if (history.qualitySteps.length === 0 || width === 0) return null;
  return history.quality.slice(-width).map((v) => v ?? Number.NaN);
}

/** Starts a fresh worker on `choice`; `build` false when a load follows at once. */
export function startEngine(choice: BackendChoice, build = true): void {
  worker?.terminate();
  for (const id of [...pendingReplies.keys()]) {
    settle(id, new Error('The training worker restarted'));
  }
  worker = new Worker(new URL('../worker/engine.worker.ts', import.meta.url), { type: 'module' });
  worker.onmessage = (event: MessageEvent<FromWorker>) => receive(event.data);
  forgetRenders();
  worker.onerror = (event) => {
    useAppStore.setState({ running: false });
    addNotice('error', `The training worker failed: ${event.message || 'unknown error'}`);
  };
  useAppStore.setState({
    backendChoice: choice,
    backend: null,
    ready: false,
    running: false,
    pausing: false,
    step: 0,
    stepsPerSecond: 0,
    elapsedMs: 0,
  });
  const { experiment, live } = useAppStore.getState();
  send({ type: 'init', backend: choice, experiment, live, build, ownKernels });
}
