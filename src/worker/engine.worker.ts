/// <reference lib="webworker" />
/**
 * The training worker: owns TensorFlow.js, and is nothing but a transport between the
 * protocol and the engine's Trainer.
 */
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../engine/backend';
import { errorMessage } from '../engine/errors';
import { type ExperimentResources, NO_RESOURCES } from '../engine/experiment';
import { countTraffic, type TrafficCounters } from '../engine/instrument';
import { Trainer } from '../engine/trainer';
import { uploadedDatasetId } from '../families';
import { createExperiment, engineFor } from '../families/engines';
import { bundleFileName } from '../io/bundle';
import { loadDataset } from '../io/datasetStore';
import type { SavedRun } from '../io/records';
import { fetchClassifier } from '../metrics/faceClassifierFiles';
import { type FromWorker, type ToWorker, transferablesOf } from '../protocol/messages';
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
      post({ type: 'experiment', info, config, run });
    },
    progress: (update) => {
      post({ type: 'progress', ...update });
      if (update.running) void autosave.maybeSave(false);
    },
    notice: (level, message) => post({ type: 'notice', level, message }),
  },
  async (config) => {
    const datasetId = uploadedDatasetId(config);
    const uploaded = datasetId ? await loadDataset(datasetId) : null;
    if (!engineFor(config).usesClassifier)
      return createExperiment(config, { ...NO_RESOURCES, uploaded });
    classifierResources ??= loadClassifier();
    return createExperiment(config, { ...(await classifierResources), uploaded });
  },
);

const autosave = new Autosave(trainer, post);

/** Reads served by the backend, counted from the start so the benchmark can spot hidden ones. */
let traffic: TrafficCounters | null = null;
let readsAtLastStats = 0;

/** Settles once the backend is chosen: messages that arrive meanwhile wait for it. */
let initialised: Promise<void> | null = null;

async function handle(message: ToWorker): Promise<void> {
  if (message.type === 'init') {
    initialised = initialise(message);
    return initialised;
  }
  await initialised;
  switch (message.type) {
    case 'play':
      trainer.play();
      return;
    case 'pause':
      await trainer.pause();
      await autosave.maybeSave(true);
      return;
    case 'step':
      await trainer.stepOnce(message.phase);
      return;
    case 'reset':
      await trainer.reset(message.experiment);
      return;
    case 'live':
      trainer.setLive(message.live);
      return;
    case 'benchmark': {
      const result = await trainer.benchmark(message.warmup, message.iterations);
      post({ type: 'benchmarked', requestId: message.requestId, result });
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
      try {
        const { bytes, manifest } = await trainer.snapshot(flavour, autosave.name);
        const fileName = bundleFileName(manifest.name, manifest.step, flavour);
        post({ type: 'exported', requestId, bytes, fileName });
      } catch (error) {
        post({ type: 'failed', requestId, message: errorMessage(error) });
      }
      return;
    }
    case 'load': {
      const { requestId, bytes, run } = message;
      continuing = run;
      try {
        const manifest = await trainer.load(bytes);
        post({ type: 'loaded', requestId, step: manifest.step });
      } catch (error) {
        post({ type: 'failed', requestId, message: errorMessage(error) });
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
    case 'render':
      try {
        post({
          type: 'rendered',
          requestId: message.requestId,
          images: await trainer.render(message.request, renderInputs),
        });
      } catch (error) {
        post({ type: 'rendered', requestId: message.requestId, images: null });
        throw error;
      }
      return;
    default:
      message satisfies never;
  }
}

async function initialise(message: Extract<ToWorker, { type: 'init' }>): Promise<void> {
  const info = await selectBackend(message.backend);
  traffic = countTraffic(tf.backend()).counters;
  post({ type: 'backend', info });
  trainer.setLive(message.live);
  await trainer.reset(message.experiment);
}

self.onmessage = (event: MessageEvent<ToWorker>) => {
  handle(event.data).catch((error: unknown) => {
    post({ type: 'notice', level: 'error', message: errorMessage(error) });
  });
};
