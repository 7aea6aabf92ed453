/**
 * A lost GPU: WebGPU's device lost (a driver reset, device.destroy()), or WebGL's context lost.
 * Every tensor on the device is gone with it, so the backend is started again and the run
 * rebuilt from a saved state (the worker does that; see engine.worker.ts). This module only
 * reaches into the TF.js backends: it notices a loss, starts a backend afresh, and (for the
 * end-to-end tests) causes one.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { BackendName } from '../protocol/messages';

/** The parts of TF.js's WebGPU and WebGL backends read here (not in their public types). */
interface GpuBackend {
  readonly device?: GPUDevice;
  readonly gpgpu?: {
    readonly gl: WebGLRenderingContext | WebGL2RenderingContext;
    /** Fences the backend polls every tick; a lost context never passes one. */
    itemsToPoll: unknown[];
  };
}

const current = () => tf.backend() as unknown as GpuBackend;

/** TF.js's own priorities, so a backend registered again ranks as it did. */
const PRIORITY: Readonly<Record<BackendName, number>> = { webgpu: 3, webgl: 2, cpu: 1 };

/** Errors the browser raises when computing on a lost device. */
const LOSS_MESSAGES = /mapAsync|device (is |was )?lost|context (is |was )?lost|CONTEXT_LOST/i;

export function isDeviceLoss(error: unknown): boolean {
  return LOSS_MESSAGES.test(error instanceof Error ? error.message : String(error));
}

/**
 * Calls `onLost` once if the active backend's device or context is lost. Returns a function
 * that stops watching (before the backend is removed on purpose).
 */
export function watchDevice(onLost: (reason: string) => void): () => void {
  let watching = true;
  const lost = (reason: string) => {
    if (!watching) return;
    watching = false;
    onLost(reason);
  };
  const { device, gpgpu } = current();
  if (tf.getBackend() === 'webgpu' && device) {
    void device.lost.then((info) =>
      lost(`The GPU device was lost (${info.reason}${info.message ? `: ${info.message}` : ''})`),
    );
  } else if (tf.getBackend() === 'webgl' && gpgpu) {
    const canvas = gpgpu.gl.canvas as EventTarget;
    const onEvent = (event: Event) => {
      event.preventDefault();
      lost('The WebGL context was lost');
    };
    canvas.addEventListener('webglcontextlost', onEvent);
    return () => {
      watching = false;
      canvas.removeEventListener('webglcontextlost', onEvent);
    };
  }
  return () => {
    watching = false;
  };
}

/**
 * Forgets the active backend, whose device is gone, and registers its factory again, so the
 * next setBackend makes a fresh one (a new GPUDevice, a new WebGL context). Tensors on the old
 * backend must have been dropped: any use of them fails.
 */
export function forgetBackend(): BackendName {
  const name = tf.getBackend() as BackendName;
  const factory = tf.findBackendFactory(name);
  if (!factory) throw new Error(`No factory for the ${name} backend`);
  const backend = tf.engine().registry[name] as unknown as GpuBackend & { dispose(): void };
  // A lost WebGL context never passes a fence: stop the backend polling them forever.
  if (backend?.gpgpu) backend.gpgpu.itemsToPoll = [];
  if (backend) {
    const dispose = backend.dispose.bind(backend);
    backend.dispose = () => {
      try {
        dispose();
      } catch {
        // Releasing what a lost device held can fail; it is gone either way.
      }
    };
  }
  tf.removeBackend(name);
  tf.registerBackend(name, factory, PRIORITY[name]);
  return name;
}

/**
 * Test hook: loses the active backend's device as a driver reset would (WebGPU's
 * device.destroy(), WebGL's WEBGL_lose_context). Says what it did. `refuseAdapter`: from then
 * on navigator.gpu.requestAdapter() answers null, as Chromium's does after its GPU process
 * crashed.
 */
export function loseDevice(refuseAdapter: boolean): string {
  const { device, gpgpu } = current();
  if (tf.getBackend() === 'webgpu' && device) {
    if (refuseAdapter) navigator.gpu.requestAdapter = async () => null;
    device.destroy();
    return refuseAdapter
      ? 'destroyed the WebGPU device; no adapter from now on'
      : 'destroyed the WebGPU device';
  }
  if (tf.getBackend() === 'webgl' && gpgpu) {
    const extension = gpgpu.gl.getExtension('WEBGL_lose_context');
    if (!extension) throw new Error('WEBGL_lose_context is not available');
    extension.loseContext();
    return 'lost the WebGL context';
  }
  throw new Error(`The ${tf.getBackend()} backend has no device to lose`);
}
