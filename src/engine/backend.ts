import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-webgpu';
import type {
  AdapterSummary,
  BackendChoice,
  BackendFailure,
  BackendInfo,
  BackendName,
} from '../protocol/messages';
import { errorMessage } from './errors';
import { registerFastCpuKernels } from './kernels/cpuConv2DBackpropFilter';

registerFastCpuKernels();

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
      await smokeTest();
      return { requested: choice, active: name, adapter, fallbacks };
    } catch (error) {
      fallbacks.push({ backend: name, reason: errorMessage(error) });
    }
  }
  const reasons = fallbacks.map((f) => `${f.backend}: ${f.reason}`).join('; ');
  throw new Error(`No TensorFlow.js backend works here: ${reasons}`);
}
