/**
 * The UI's side of the worker: starts it, sends commands, and folds its messages into the
 * store. Components call these functions and never see a Worker or a message.
 */

import { latentBatch, lerp, slerp } from '../data/latents';
import type { Gan2dConfig } from '../models/gan2d.config';
import type { ImageGanConfig } from '../models/imagegan.config';
import type { StarGanConfig } from '../models/stargan.config';
import type {
  BackendChoice,
  BenchmarkResult,
  ExperimentConfig,
  ExperimentInfo,
  ExperimentKind,
  FaceDomain,
  Frame,
  FromWorker,
  LiveSettings,
  LoopStats,
  NoticeLevel,
  RenderRequest,
  StepPhase,
  ToWorker,
} from '../protocol/messages';
import { appendRows, emptySeries } from './store/series';
import {
  type AppState,
  DEFAULT_EXPERIMENTS,
  LATENT_SAMPLES,
  LATENT_SLIDERS,
  MAX_INPUTS,
  type PlaygroundInput,
  useAppStore,
} from './store/store';
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

function qualityNames(info: ExperimentInfo): readonly string[] {
  if (info.kind === 'imagegan') return ['Fréchet distance', 'Real vs real'];
  if (info.kind === 'stargan') {
    return ['Attribute accuracy', 'Expression accuracy', 'Preservation L1'];
  }
  return info.hasModes
    ? ['JS divergence', 'High-quality share', 'Modes covered']
    : ['JS divergence'];
}

/** One chart row per frame, every value on a 0-1 scale (modes as a share of all modes). */
function qualityRow(frame: Frame, info: ExperimentInfo): number[] | null {
  if (frame.kind === 'imagegan') {
    return frame.frechet === null ? null : [frame.frechet, frame.frechetFloor ?? Number.NaN];
  }
  if (frame.kind === 'stargan') {
    const q = frame.quality;
    if (!q) return null;
    return [
      q.attributeAccuracy ?? Number.NaN,
      q.expressionAccuracy ?? Number.NaN,
      q.preservationL1,
    ];
  }
  const q = frame.quality;
  if (info.kind !== 'gan2d' || !info.hasModes) return [q.jsDivergence];
  return [
    q.jsDivergence,
    q.highQualityShare ?? Number.NaN,
    (q.modesCovered ?? 0) / (q.modesTotal ?? 1),
  ];
}

/** The preview faces as slider inputs, and the first one picked with its labels on the sliders. */
function playgroundFor(info: ExperimentInfo): Partial<AppState> {
  if (info.kind === 'imagegan') {
    return { rendered: null, latentA: 0, latentB: 1, latentEdits: null };
  }
  if (info.kind !== 'stargan') return { candidates: [], selected: [], rendered: null };
  const { preview, imageSize } = info;
  const n = imageSize * imageSize * 3;
  const candidates: PlaygroundInput[] = Array.from({ length: preview.count }, (_, i) => ({
    key: `preview-${i}`,
    caption: preview.captions[i]!,
    pixels: preview.images.slice(i * n, (i + 1) * n),
  }));
  const first = info.domains[0]!;
  const sliders = { celeba: [] as number[], rafd: [] as number[] };
  for (const domain of info.domains) {
    sliders[domain.name] = domain.labels.map((_, k) =>
      domain.kind === 'oneOf' && k === 0 ? 1 : 0,
    );
  }
  sliders[first.name] = [...preview.labels[0]!];
  return {
    candidates,
    selected: candidates.slice(0, 2).map((c) => c.key),
    activeDomain: first.name,
    sliders,
    rendered: null,
  };
}

function receive(message: FromWorker): void {
  switch (message.type) {
    case 'backend': {
      useAppStore.setState({ backend: message.info });
      return;
    }
    case 'experiment': {
      useAppStore.setState((s) => ({
        info: message.info,
        experiment: message.config,
        draft: message.config,
        currentRun: message.run,
        resumeOffer: s.resumeOffer?.id === message.run.id ? null : s.resumeOffer,
        ready: true,
        losses: emptySeries(message.info.lossNames),
        quality: emptySeries(qualityNames(message.info)),
        frame: null,
        ...playgroundFor(message.info),
      }));
      requestRender();
      return;
    }
    case 'progress': {
      useAppStore.setState((s): Partial<AppState> => {
        const { frame, points } = message;
        const row = frame && s.info ? qualityRow(frame, s.info) : null;
        return {
          step: message.step,
          running: message.running,
          stepsPerSecond: message.stepsPerSecond,
          elapsedMs: message.elapsedMs,
          losses:
            points.steps.length > 0 ? appendRows(s.losses, points.steps, points.values) : s.losses,
          frame: frame ?? s.frame,
          quality: frame && row ? appendRows(s.quality, [frame.step], row) : s.quality,
        };
      });
      // New weights: the slider outputs follow them (coalesced with any pending render).
      if (message.frame && message.frame.kind !== 'gan2d') requestRender();
      return;
    }
    case 'notice': {
      addNotice(message.level, message.message);
      return;
    }
    case 'benchmarked':
      settle(message.requestId, message.result);
      return;
    case 'loopStats':
      settle(message.requestId, message.stats);
      return;
    case 'exported':
      settle(message.requestId, { bytes: message.bytes, fileName: message.fileName });
      return;
    case 'loaded':
      settle(message.requestId, { step: message.step });
      return;
    case 'failed':
      settle(message.requestId, new Error(message.message));
      return;
    case 'saved': {
      const { run } = message;
      useAppStore.setState((s) => ({
        currentRun: run,
        savedRuns: [run, ...s.savedRuns.filter((r) => r.id !== run.id)],
      }));
      return;
    }
    case 'rendered': {
      renderInFlight = false;
      useAppStore.setState(
        message.images
          ? { rendered: message.images, renderShown: renderInFlightVersion }
          : { renderShown: renderInFlightVersion },
      );
      if (renderQueued) {
        renderQueued = false;
        sendRender();
      }
      return;
    }
    default:
      message satisfies never;
  }
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
  benchmark: (warmup: number, iterations: number) =>
    ask<BenchmarkResult>((requestId) => ({ type: 'benchmark', requestId, warmup, iterations })),
  loopStats: () => ask<LoopStats>((requestId) => ({ type: 'loopStats', requestId })),
};

let renderInFlight = false;
let renderQueued = false;
/** The slider-state version the in-flight render was built from. */
let renderInFlightVersion = 0;
let nextRequestId = 1;

/**
 * Asks the worker for G's outputs at the current slider values. At most one request is in
 * flight; moves made meanwhile collapse into one follow-up with the latest values, so a fast
 * drag never queues work.
 */
export function requestRender(): void {
  useAppStore.setState((s) => ({ renderRequested: s.renderRequested + 1 }));
  if (renderInFlight) {
    renderQueued = true;
    return;
  }
  sendRender();
}

function sendRender(): void {
  const state = useAppStore.getState();
  const request = renderRequest(state);
  if (!request) {
    useAppStore.setState({ rendered: null, renderShown: state.renderRequested });
    return;
  }
  renderInFlight = true;
  renderInFlightVersion = state.renderRequested;
  const message: ToWorker = { type: 'render', requestId: nextRequestId++, request };
  const buffer = request.kind === 'translate' ? request.inputs.buffer : request.z.buffer;
  worker?.postMessage(message, [buffer as ArrayBuffer]);
}

/** The explorer's latents: the sample row (A edited by the sliders), then the A-to-B strip. */
export function explorerLatents(s: AppState, zDim: number): Float32Array[] {
  const samples = latentBatch(s.latentSeed, LATENT_SAMPLES, zDim);
  const a = Float32Array.from(samples[s.latentA]!);
  s.latentEdits?.forEach((v, i) => {
    a[i] = v;
  });
  samples[s.latentA] = a;
  const b = samples[s.latentB]!;
  const between = s.interpolation === 'linear' ? lerp : slerp;
  const strip = Array.from({ length: LATENT_SAMPLES }, (_, k) =>
    between(a, b, k / (LATENT_SAMPLES - 1)),
  );
  return [...samples, ...strip];
}

function renderRequest(s: AppState): RenderRequest | null {
  if (s.info?.kind === 'imagegan') {
    const latents = explorerLatents(s, s.info.zDim);
    const z = new Float32Array(latents.length * s.info.zDim);
    latents.forEach((v, i) => {
      z.set(v, i * v.length);
    });
    return { kind: 'latent', z, count: latents.length };
  }
  if (s.info?.kind !== 'stargan') return null;
  const inputs = s.selected
    .map((key) => s.candidates.find((c) => c.key === key))
    .filter((c): c is PlaygroundInput => c !== undefined);
  if (inputs.length === 0) return null;
  const pixels = new Float32Array(inputs.length * inputs[0]!.pixels.length);
  inputs.forEach((input, i) => {
    pixels.set(input.pixels, i * input.pixels.length);
  });
  return {
    kind: 'translate',
    inputs: pixels,
    count: inputs.length,
    domain: s.activeDomain,
    values: s.sliders[s.activeDomain],
  };
}

/** Explorer actions: pick A or B, move A's first dimensions, switch interpolation, new draws. */
export function setLatent(
  change: Partial<Pick<AppState, 'latentA' | 'latentB' | 'interpolation'>>,
): void {
  useAppStore.setState(change.latentA !== undefined ? { ...change, latentEdits: null } : change);
  requestRender();
}

export function setLatentDimension(index: number, value: number): void {
  const s = useAppStore.getState();
  if (s.info?.kind !== 'imagegan') return;
  const base =
    s.latentEdits ??
    Array.from(
      latentBatch(s.latentSeed, LATENT_SAMPLES, s.info.zDim)[s.latentA]!.slice(0, LATENT_SLIDERS),
    );
  useAppStore.setState({ latentEdits: base.map((v, i) => (i === index ? value : v)) });
  requestRender();
}

export function newLatents(): void {
  useAppStore.setState((s) => ({ latentSeed: s.latentSeed + 1, latentEdits: null }));
  requestRender();
}

export function setSlider(domain: FaceDomain, index: number, value: number): void {
  useAppStore.setState((s) => ({
    activeDomain: domain,
    sliders: { ...s.sliders, [domain]: s.sliders[domain].map((v, k) => (k === index ? value : v)) },
  }));
  requestRender();
}

/** Sets a one-of-N group (hair colours, expressions) to exactly one member. */
export function setOneHot(domain: FaceDomain, indices: readonly number[], chosen: number): void {
  useAppStore.setState((s) => ({
    activeDomain: domain,
    sliders: {
      ...s.sliders,
      [domain]: s.sliders[domain].map((v, k) => (indices.includes(k) ? Number(k === chosen) : v)),
    },
  }));
  requestRender();
}

export function setActiveDomain(domain: FaceDomain): void {
  useAppStore.setState({ activeDomain: domain });
  requestRender();
}

/** Picks or unpicks a face; the oldest pick makes room beyond MAX_INPUTS. */
export function toggleInput(key: string): void {
  useAppStore.setState((s) => ({
    selected: s.selected.includes(key)
      ? s.selected.filter((k) => k !== key)
      : [...s.selected, key].slice(-MAX_INPUTS),
  }));
  requestRender();
}

export function addUpload(input: PlaygroundInput): void {
  useAppStore.setState((s) => ({
    candidates: [...s.candidates, input],
    selected: [...s.selected, input.key].slice(-MAX_INPUTS),
  }));
  requestRender();
}

/** (Re)starts the worker on a backend; the current experiment starts again from its seed. */
export function startEngine(choice: BackendChoice): void {
  worker?.terminate();
  for (const id of [...pendingReplies.keys()]) {
    settle(id, new Error('The training worker restarted'));
  }
  worker = new Worker(new URL('../worker/engine.worker.ts', import.meta.url), { type: 'module' });
  worker.onmessage = (event: MessageEvent<FromWorker>) => receive(event.data);
  renderInFlight = false;
  renderQueued = false;
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

/** Tells the worker the current run's new name, for its next autosaves. */
export function renameCurrentRun(name: string): void {
  send({ type: 'rename', name });
}

export function forgetCurrentRun(): void {
  useAppStore.setState({ currentRun: null });
  send({ type: 'runDeleted' });
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
  useAppStore.setState({ experiment, running: false, ready: false });
  send({ type: 'reset', experiment });
}

export function editDraft(change: (draft: ExperimentConfig) => ExperimentConfig): void {
  useAppStore.setState((s) => ({ draft: change(s.draft) }));
}

interface ModelConfigs {
  readonly gan2d: Gan2dConfig;
  readonly stargan: StarGanConfig;
  readonly imagegan: ImageGanConfig;
}

/** Edits the draft's model settings; ignored if the draft is of another kind. */
export function editModel<K extends ExperimentKind>(
  kind: K,
  change: Partial<ModelConfigs[K]>,
): void {
  editDraft((draft) =>
    draft.kind === kind
      ? ({ ...draft, model: { ...draft.model, ...change } } as ExperimentConfig)
      : draft,
  );
}

/** Switches the draft to another model with its defaults, keeping the seed. */
export function chooseModel(kind: ExperimentKind): void {
  editDraft((draft) =>
    draft.kind === kind ? draft : { ...DEFAULT_EXPERIMENTS[kind], seed: draft.seed },
  );
}

export function setLive(change: Partial<LiveSettings>): void {
  const live = { ...useAppStore.getState().live, ...change };
  useAppStore.setState({ live });
  send({ type: 'live', live });
}
