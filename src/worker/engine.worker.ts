/// <reference lib="webworker" />
/**
 * The training worker: owns TensorFlow.js, and is nothing but a transport between the
 * protocol and the engine's Trainer.
 */
import * as tf from '@tensorflow/tfjs-core';
import { preferFastestOnSoftware, selectBackend } from '../engine/backend';
import { forgetBackend, isDeviceLoss, loseDevice, watchDevice } from '../engine/deviceLoss';
import { errorMessage } from '../engine/errors';
import { type ExperimentResources, NO_RESOURCES } from '../engine/experiment';
import { countTraffic, type TrafficCounters } from '../engine/instrument';
import { checkOwnKernels } from '../engine/kernels/webgpu/check';
import { setOwnWebGpuKernels } from '../engine/kernels/webgpu/index';
import { torchStateOfBundle, weightsFileFormat } from '../engine/torchImport';
import { Trainer } from '../engine/trainer';
import { familyOf, uploadedDatasetId } from '../families';
import {
  createExperiment,
  engineFor,
  experimentOfTorch,
  modelShapes,
  torchHooksFor,
} from '../families/engines';
import { bundleFileName } from '../io/bundle';
import { loadDataset } from '../io/datasetStore';
import type { SavedRun } from '../io/records';
import { loadRunFile } from '../io/runStore';
import { writeSafetensors, writeTorchZip } from '../io/torch';
import { fetchClassifier } from '../metrics/faceClassifierFiles';
import {
  type BackendInfo,
  type ExperimentConfig,
  type FromWorker,
  type ToWorker,
  transferablesOf,
} from '../protocol/messages';
import { Autosave } from './autosave';

declare const self: DedicatedWorkerGlobalScope;

function post(message: FromWorker): void {
  self.postMessage(message, transferablesOf(message));
}

type ClassifierResources = Omit<ExperimentResources, 'uploaded'>;

let classifierResources: Promise<ClassifierResources> | null = null;

/** The face classifier behind the image models' quality figures: fetched once, on first need. */
async function loadClassifier(): Promise<ClassifierResources> {
  try {
    const { classifier, accuracy } = await fetchClassifier(
      new URL(`${import.meta.env.BASE_URL}models/`, self.location.href).href,
    );
    return { classifier, classifierAccuracy: accuracy };
  } catch (error) {
    post({
      type: 'notice',
      level: 'warning',
      message: `Quality figures are off: the face classifier did not load (${errorMessage(error)}).`,
    });
    return NO_RESOURCES;
  }
}

/** Faces the page uploaded for the sliders, sent once each and named by key in requests. */
const renderInputs = new Map<string, Float32Array>();

/** The saved run the next experiment continues, set while a saved run is being loaded. */
let continuing: SavedRun | null = null;

const trainer: Trainer = new Trainer(
  {
    experiment: (info, config, same) => {
      const run = (same && autosave.current) || autosave.begin(config, continuing, trainer.step);
      post({
        type: 'experiment',
        info,
        config,
        step: trainer.step,
        run,
        architecture: trainer.architecture(),
        history: trainer.runHistory(),
      });
    },
    progress: (update) => {
      post({ type: 'progress', ...update });
      if (update.running) void autosave.maybeSave(false);
    },
    notice: (level, message) => post({ type: 'notice', level, message }),
    deviceLost: (error) => deviceLost(`${lostWhat()} (${error})`, true),
  },
  Object.assign(
    async (config: ExperimentConfig) => {
      const datasetId = uploadedDatasetId(config);
      const uploaded = datasetId ? await loadDataset(datasetId) : null;
      if (!engineFor(config).usesClassifier)
        return createExperiment(config, { ...NO_RESOURCES, uploaded });
      classifierResources ??= loadClassifier();
      return createExperiment(config, { ...(await classifierResources), uploaded });
    },
    { shapes: (config: ExperimentConfig) => modelShapes(config), fromTorch: experimentOfTorch },
  ),
);

const autosave = new Autosave(trainer, post);

/** The current run's generator (a generator bundle's bytes) as a PyTorch file. */
function exportTorch(bundle: Uint8Array, format: 'safetensors' | 'pt', name: string, step: number) {
  const { tensors, metadata, modules } = torchStateOfBundle(bundle, torchHooksFor);
  const stem = `${bundleFileName(name, step, 'generator').replace(/-generator\.zip$/, '')}-G`;
  return format === 'pt'
    ? { bytes: writeTorchZip(tensors, 'archive', modules), fileName: `${stem}.pt` }
    : { bytes: writeSafetensors(tensors, metadata), fileName: `${stem}.safetensors` };
}

/** Reads served by the backend, counted from the start so the benchmark can spot hidden ones. */
let traffic: TrafficCounters | null = null;
let readsAtLastStats = 0;

/**
 * How to fail each request whose work is on the device, until it is answered. If the device
 * is lost under one, its read may never settle (a lost WebGL context never answers one), so
 * the recovery answers it instead. Not keyed by request id: renders number theirs apart.
 */
const unanswered = new Set<(reason: string) => void>();

/**
 * Runs `work` and posts its answer, or `fail`'s for an error (`lost`: the device was lost under
 * it, which the recovery's notice reports). Whichever of the work and the recovery comes first
 * answers; the other is dropped.
 */
async function onDevice(
  requestId: number,
  what: string,
  work: () => Promise<FromWorker>,
  fail: (message: string, lost: boolean) => void = (message) =>
    post({ type: 'failed', requestId, message }),
): Promise<void> {
  const failLost = (reason: string) => fail(`${reason} during ${what}`, true);
  unanswered.add(failLost);
  let answer: FromWorker;
  try {
    answer = await work();
  } catch (error) {
    if (!unanswered.delete(failLost)) return;
    const lost = isDeviceLoss(error);
    fail(
      lost ? `${lostWhat()} during ${what} (${errorMessage(error)})` : errorMessage(error),
      lost,
    );
    return;
  }
  if (unanswered.delete(failLost)) post(answer);
}

/** Settles once the backend is chosen: messages that arrive meanwhile wait for it. */
let initialised: Promise<void> | null = null;

async function handle(message: ToWorker): Promise<void> {
  if (message.type === 'init') {
    initialised = initialise(message);
    return initialised;
  }
  await initialised;
  // After a lost device every command waits for the run to be rebuilt on a fresh one, and
  // while the backends are timed, for the run to be on the fastest.
  while (recovering || timing) await (recovering ?? timing);
  switch (message.type) {
    case 'play':
      await timeBackendsOnce();
      trainer.play();
      return;
    case 'pause':
      await trainer.pause();
      await autosave.maybeSave(true);
      return;
    case 'step':
      await timeBackendsOnce();
      await trainer.stepOnce(message.phase);
      return;
    case 'reset':
      await trainer.reset(message.experiment);
      return;
    case 'live':
      trainer.setLive(message.live);
      return;
    case 'benchmark': {
      const { requestId, warmup, iterations, kernelTimes } = message;
      await onDevice(requestId, 'the benchmark', async () => ({
        type: 'benchmarked',
        requestId,
        result: await trainer.benchmark(warmup, iterations, kernelTimes),
      }));
      return;
    }
    case 'checkKernels': {
      const { requestId } = message;
      await onDevice(requestId, 'the kernel check', async () => ({
        type: 'kernelsChecked',
        requestId,
        checks: await checkOwnKernels(),
      }));
      return;
    }
    case 'loopStats': {
      const reads = traffic?.reads ?? 0;
      const stats = trainer.takeLoopStats(reads - readsAtLastStats);
      readsAtLastStats = reads;
      post({ type: 'loopStats', requestId: message.requestId, stats });
      return;
    }
    case 'export': {
      const { requestId, flavour } = message;
      await onDevice(requestId, 'the export', async () => {
        const { bytes, manifest } = await trainer.snapshot(flavour, autosave.name);
        if (message.torch) {
          const out = exportTorch(bytes, message.torch, manifest.name, manifest.step);
          return { type: 'exported', requestId, ...out };
        }
        const fileName = bundleFileName(manifest.name, manifest.step, flavour);
        return { type: 'exported', requestId, bytes, fileName };
      });
      return;
    }
    case 'load': {
      const { requestId, bytes, run, fileName } = message;
      continuing = run;
      try {
        await onDevice(requestId, 'the import', async () => {
          const torch = !['bundle', 'unknown'].includes(weightsFileFormat(bytes));
          const manifest = await trainer.load(bytes, fileName);
          // A PyTorch file may have been read in place (changed): keep our own copy instead.
          const kept = torch ? (await trainer.snapshot('generator', autosave.name)).bytes : bytes;
          autosave.remember(kept, manifest.step);
          return {
            type: 'loaded',
            requestId,
            step: manifest.step,
            flavour: manifest.flavour,
            ...(torch ? { torch: manifest.name } : {}),
          };
        });
      } finally {
        continuing = null;
      }
      return;
    }
    case 'renameRun':
    case 'deleteRun': {
      const { requestId } = message;
      try {
        if (message.type === 'renameRun') await autosave.renameRun(message.id, message.name);
        else await autosave.deleteRun(message.id);
        post({ type: 'done', requestId });
      } catch (error) {
        post({ type: 'failed', requestId, message: errorMessage(error) });
      }
      return;
    }
    case 'renderInput':
      renderInputs.set(message.key, message.pixels);
      return;
    case 'saveNow':
      await autosave.maybeSave(true);
      return;
    case 'testLoseDevice':
      post({
        type: 'notice',
        level: 'info',
        message: `Test hook: ${loseDevice(message.refuseAdapter ?? false)}.`,
      });
      return;
    case 'render': {
      const { requestId, request } = message;
      await onDevice(
        requestId,
        'the render',
        async () => ({
          type: 'rendered',
          requestId,
          images: await trainer.render(request, renderInputs),
        }),
        (reason, lost) => {
          post({ type: 'rendered', requestId, images: null });
          if (!lost) post({ type: 'notice', level: 'error', message: reason });
        },
      );
      return;
    }
    default:
      message satisfies never;
  }
}

async function initialise(message: Extract<ToWorker, { type: 'init' }>): Promise<void> {
  setOwnWebGpuKernels(message.ownKernels);
  startedBackend(await selectBackend(message.backend));
  trainer.setLive(message.live);
  if (message.build) await trainer.reset(message.experiment);
}

/** The backend the worker runs on, as the page was last told. */
let backendInfo: BackendInfo | null = null;

/** Settles once the backends are timed and the run is on the fastest; null otherwise. */
let timing: Promise<void> | null = null;

/**
 * Before the first training step under Auto on a software adapter: time each backend on the
 * current family's small size, and move the run (exactly, through a full bundle) to the fastest.
 */
async function timeBackendsOnce(): Promise<void> {
  const info = backendInfo;
  const config = trainer.currentConfig;
  if (!info?.untimed || !config) return;
  const move = async () => {
    const family = familyOf(config.kind);
    const probe = { kind: family.kind, seed: 1, model: family.testSizes.small } as ExperimentConfig;
    const { bytes } = await trainer.snapshot('full', autosave.name);
    post({
      type: 'notice',
      level: 'info',
      message:
        'Timing WebGPU, WebGL and the CPU on this software adapter before training starts ' +
        '(a few seconds, once per visit)…',
    });
    // Nothing of the run may compute while the active backend changes under it.
    const timed = await trainer.between(() =>
      preferFastestOnSoftware(
        info,
        () => createExperiment(probe),
        `${family.shortName(family.testSizes.small as never)} at its small test size`,
      ),
    );
    unwatchDevice();
    if (timed.active !== info.active) {
      const stale = classifierResources;
      classifierResources = null; // its weights live on the old backend: fetched again
      continuing = autosave.current;
      try {
        await trainer.load(bytes);
      } finally {
        continuing = null;
      }
      (await stale)?.classifier?.dispose();
    }
    startedBackend(timed);
  };
  timing = move().finally(() => {
    timing = null;
  });
  await timing;
}

/** Stops watching the device of the backend that runs (see deviceLoss.ts). */
let unwatchDevice = () => {};

function startedBackend(info: BackendInfo): void {
  backendInfo = info;
  traffic = countTraffic(tf.backend()).counters;
  readsAtLastStats = 0;
  unwatchDevice = watchDevice((reason) => deviceLost(reason, false));
  post({ type: 'backend', info });
}

const lostWhat = () =>
  tf.getBackend() === 'webgl' ? 'The WebGL context was lost' : 'The GPU device was lost';

/** Settles once the run is rebuilt after a lost device; null otherwise. */
let recovering: Promise<void> | null = null;

/**
 * The device or context is gone, and every tensor with it: start the backend afresh (or the
 * next one, if it will not start), rebuild the run from its latest finite state in memory (at
 * most one autosave interval old), else its autosave in IndexedDB, else its seed, and go on
 * training if it was. `training`: the loop itself failed on the lost device.
 */
function deviceLost(reason: string, training: boolean): void {
  if (recovering) return;
  recovering = recover(reason, training)
    .catch((error: unknown) => {
      post({
        type: 'notice',
        level: 'error',
        message: `${reason}, and the run could not be restarted: ${errorMessage(error)}. Reload the page.`,
      });
    })
    .finally(() => {
      recovering = null;
    });
}

async function recover(reason: string, training: boolean): Promise<void> {
  const started = performance.now();
  const lostAtStep = trainer.step;
  const resume = trainer.abandon() || training;
  for (const fail of unanswered) fail(reason);
  unanswered.clear();
  autosave.abandonSave();
  const config = trainer.currentConfig;
  unwatchDevice();
  // The face classifier's weights were on the device too: fetched again on first need.
  classifierResources = null;
  const name = forgetBackend();
  const info = await selectBackend(name);
  startedBackend({
    ...info,
    fallbacks: info.fallbacks.map((f) => (f.backend === name ? { ...f, lost: true } : f)),
  });
  const run = autosave.current;
  const kept = autosave.lastFinite ?? (await savedState(run));
  continuing = run;
  try {
    if (kept) await trainer.load(kept.bytes);
    else if (config) await trainer.reset(config);
  } finally {
    continuing = null;
  }
  if (kept) autosave.remember(kept.bytes, kept.step);
  const from = kept ? `step ${kept.step}` : 'its seed (nothing was saved yet)';
  const lost = Math.max(0, lostAtStep - (kept?.step ?? 0));
  post({
    type: 'notice',
    level: 'warning',
    message:
      `${reason}. Training restarted on ${tf.getBackend()} from ${from}, losing ${lost} ` +
      `step${lost === 1 ? '' : 's'}, in ${((performance.now() - started) / 1000).toFixed(1)} s.`,
  });
  if (resume) trainer.play();
}

/** The current run's autosave, when it has one. */
async function savedState(run: SavedRun | null) {
  if (!run || run.bytes === 0) return null;
  try {
    return { bytes: await loadRunFile(run.id), step: run.step };
  } catch {
    return null;
  }
}

self.onmessage = (event: MessageEvent<ToWorker>) => {
  handle(event.data).catch((error: unknown) => {
    // A command that met the lost device: the recovery's notice says what happened.
    if (isDeviceLoss(error)) return;
    post({ type: 'notice', level: 'error', message: errorMessage(error) });
  });
};
