import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-webgpu';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import type {
  AdapterSummary,
  BackendChoice,
  BackendFailure,
  BackendInfo,
  BackendName,
  BackendTiming,
} from '../protocol/messages';
import { errorMessage } from './errors';
import type { Experiment } from './experiment';
import { registerFastCpuKernels } from './kernels/cpu';
import { registerReductionGradients } from './kernels/gradients';
import { prepareWebGpuBackend, registerOwnWebGpuKernels } from './kernels/webgpu/index';

registerFastCpuKernels();
registerReductionGradients();
registerOwnWebGpuKernels();

const PREFERENCE: readonly BackendName[] = ['webgpu', 'webgl', 'cpu'];

/** The order to try: the choice first, then whatever comes after it in the preference order. */
export function candidatesFor(choice: BackendChoice): BackendName[] {
  if (choice === 'auto') return [...PREFERENCE];
  return PREFERENCE.slice(PREFERENCE.indexOf(choice));
}

interface AdapterInfoFields {
  vendor?: string;
  architecture?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}

async function probeAdapter(): Promise<AdapterSummary> {
  if (typeof navigator === 'undefined' || !('gpu' in navigator) || !navigator.gpu) {
    throw new Error('this browser exposes no navigator.gpu (WebGPU is off or unsupported)');
  }
  const adapter = await navigator.gpu.requestAdapter();
  if (!adapter) throw new Error('navigator.gpu.requestAdapter() returned no adapter');
  // Chromium moved isFallbackAdapter from the adapter to adapter.info; read either.
  const info = (adapter as GPUAdapter & { info?: AdapterInfoFields }).info ?? {};
  const legacy = adapter as GPUAdapter & { isFallbackAdapter?: boolean };
  return {
    vendor: info.vendor || 'unknown',
    architecture: info.architecture || 'unknown',
    description: info.description || '',
    isFallbackAdapter: Boolean(info.isFallbackAdapter ?? legacy.isFallbackAdapter),
  };
}

/** A backend that initialises but cannot compute (a lost context, a broken driver) fails here. */
async function smokeTest(): Promise<void> {
  const x = tf.tensor1d([1, 2, 3]);
  const y = tf.mul(x, x);
  const values = await y.data();
  tf.dispose([x, y]);
  if (values[2] !== 9) throw new Error(`smoke test computed ${values[2]} instead of 9`);
}

/**
 * Activates the first backend of the candidates that works, and says why the others did not.
 * Throws only when not even the CPU backend computes.
 */
export async function selectBackend(choice: BackendChoice): Promise<BackendInfo> {
  const fallbacks: BackendFailure[] = [];
  for (const name of candidatesFor(choice)) {
    try {
      const adapter = name === 'webgpu' ? await probeAdapter() : null;
      if (!tf.findBackendFactory(name)) throw new Error('not available in this environment');
      if (!(await tf.setBackend(name))) throw new Error('failed to initialise');
      await tf.ready();
      if (name === 'webgpu') prepareWebGpuBackend(tf.backend() as WebGPUBackend);
      await smokeTest();
      const info = { requested: choice, active: name, adapter, fallbacks, timed: null };
      if (choice === 'auto' && name === 'webgpu' && adapter?.isFallbackAdapter) {
        await tf.setBackend('cpu');
        await tf.ready();
        return { ...info, active: 'cpu', untimed: true };
      }
      return { ...info, untimed: false };
    } catch (error) {
      fallbacks.push({ backend: name, reason: errorMessage(error) });
    }
  }
  const reasons = fallbacks.map((f) => `${f.backend}: ${f.reason}`).join('; ');
  throw new Error(`No TensorFlow.js backend works here: ${reasons}`);
}

/** How long each backend is timed: enough steps for a speed, short enough for a page load. */
const PROBE_MS = 600;
const PROBE_MAX_STEPS = 8;

/** Steps per second of `build()`'s experiment on the active backend, each step waited for. */
async function timeSteps(build: () => Experiment): Promise<number> {
  const experiment = build();
  try {
    const step = async () => {
      const { losses } = experiment.step('both');
      await losses.data();
      losses.dispose();
    };
    await step(); // compiles the shaders; not timed
    const started = performance.now();
    let steps = 0;
    while (steps < PROBE_MAX_STEPS && performance.now() - started < PROBE_MS) {
      await step();
      steps++;
    }
    return (steps * 1000) / (performance.now() - started);
  } finally {
    experiment.dispose();
  }
}

/**
 * On a software WebGPU adapter (no GPU: SwiftShader, WARP), WebGPU is often the slowest of
 * the three; under Auto, time a small model on each backend that works and keep the fastest.
 * `info` is what selectBackend chose; the returned info names the winner and the timings.
 * Timing compiles every backend's shaders (seconds on a software adapter), so it waits for
 * the first training step: looking at a loaded model needs none of it.
 */
export async function preferFastestOnSoftware(
  info: BackendInfo,
  build: () => Experiment,
  model: string,
): Promise<BackendInfo> {
  if (!info.untimed) return info;
  const timed: BackendTiming[] = [];
  for (const backend of PREFERENCE) {
    try {
      if (!(await tf.setBackend(backend))) continue;
      await tf.ready();
      if (backend === 'webgpu') prepareWebGpuBackend(tf.backend() as WebGPUBackend);
      await smokeTest();
      timed.push({ backend, stepsPerSecond: await timeSteps(build), model });
    } catch {
      // A backend that fails here is simply not a candidate; WebGPU already works.
    }
  }
  timed.sort((a, b) => b.stepsPerSecond - a.stepsPerSecond);
  const best = timed[0]?.backend ?? 'webgpu';
  await tf.setBackend(best);
  await tf.ready();
  return { ...info, active: best, timed, untimed: false };
}
