import * as tf from '@tensorflow/tfjs-core';

/** Traffic between JavaScript and a backend's memory since the counters were installed. */
export interface TrafficCounters {
  /**
   * GPU-to-CPU reads: every data() / dataSync() that reaches the backend for data in device
   * memory. The GPU backends keep small tensors made from JavaScript on the CPU and run some
   * kernels on them there (concat, slice); reading those moves nothing and is not counted,
   * nor are the CPU backend's kernels reading their own inputs.
   */
  reads: number;
  /**
   * CPU-to-GPU uploads: on the GPU backends, data held on the CPU (a tensor made from
   * JavaScript values) moved to device memory for a kernel; on the CPU backend, where nothing
   * moves, every tensor made from JavaScript values.
   */
  uploads: number;
}

interface DeviceStorage {
  get(dataId: unknown): { resource?: unknown; texture?: unknown; values?: unknown } | undefined;
}

/**
 * Whether a read moves data out of the device. On the GPU backends: when the data is in GPU
 * memory. On the CPU backend, whose kernels read their own inputs (Tile through bufferSync),
 * only reads made from outside a kernel are syncs the caller asked for.
 */
function isDeviceRead(backend: tf.KernelBackend, dataId: unknown): boolean {
  const gpu = backend as unknown as { tensorMap?: DeviceStorage; texData?: DeviceStorage };
  if (gpu.tensorMap) return gpu.tensorMap.get(dataId)?.resource != null;
  if (gpu.texData) return gpu.texData.get(dataId)?.texture != null;
  return (tf.engine().state as unknown as { kernelDepth: number }).kernelDepth === 0;
}

/** Whether uploadToGPU(dataId) will move values: held on the CPU, not yet on the device. */
function isUpload(backend: tf.KernelBackend, dataId: unknown): boolean {
  const gpu = backend as unknown as { tensorMap?: DeviceStorage; texData?: DeviceStorage };
  const data = (gpu.tensorMap ?? gpu.texData)?.get(dataId);
  return data?.values != null && data.resource == null && data.texture == null;
}

/**
 * Counts a backend's reads and uploads by wrapping its `read`, `readSync` and `uploadToGPU`
 * methods (`write` on the CPU backend). The wrappers only count; `restore` puts the originals
 * back.
 */
export function countTraffic(backend: tf.KernelBackend): {
  counters: TrafficCounters;
  restore(): void;
} {
  const counters: TrafficCounters = { reads: 0, uploads: 0 };
  type Method = (...args: unknown[]) => unknown;
  const target = backend as unknown as {
    read: Method;
    readSync: Method;
    write: Method;
    uploadToGPU?: Method;
  };
  const originals = {
    read: target.read,
    readSync: target.readSync,
    write: target.write,
    ...(target.uploadToGPU ? { uploadToGPU: target.uploadToGPU } : {}),
  };
  // The CPU backend's read() calls readSync(): a read inside a read is the same read.
  let depth = 0;
  const counted =
    (method: (...args: unknown[]) => unknown) =>
    (...args: unknown[]) => {
      if (depth === 0 && isDeviceRead(backend, args[0])) counters.reads++;
      depth++;
      try {
        return method.apply(backend, args);
      } finally {
        depth--;
      }
    };
  target.read = counted(originals.read);
  target.readSync = counted(originals.readSync);
  const upload = originals.uploadToGPU;
  if (upload) {
    target.uploadToGPU = (...args) => {
      if (isUpload(backend, args[0])) counters.uploads++;
      return upload.apply(backend, args);
    };
  } else {
    target.write = (...args) => {
      counters.uploads++;
      return originals.write.apply(backend, args);
    };
  }
  return {
    counters,
    restore() {
      Object.assign(target, originals);
    },
  };
}

/** Tensors and bytes alive now, and the growth since `before` (a leak when not zero). */
export interface MemorySnapshot {
  readonly tensors: number;
  readonly bytes: number;
}

export function growth(before: MemorySnapshot, after: MemorySnapshot): MemorySnapshot {
  return { tensors: after.tensors - before.tensors, bytes: after.bytes - before.bytes };
}
