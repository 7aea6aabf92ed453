/**
 * Scalar constants uploaded once. TF.js makes every JavaScript number an op takes (x * 0.5, a
 * leaky ReLU's slope in its gradient, the 2 of d(x²)/dx) into a new scalar tensor, and the
 * WebGPU backend uploads each to a buffer of its own when a kernel reads it: hundreds of
 * uploads an iteration, each a staging buffer and a copy. Here a float32 scalar written from
 * JavaScript takes the data of an earlier scalar of the same value: the tensor is new (with its
 * own reference), the buffer is the one already on the GPU. The most recent CAPACITY distinct
 * values are kept (a decaying learning rate writes a new value every step).
 *
 * Sharing is safe because nothing writes into a tensor's data in place: Variable.assign swaps a
 * variable's data for the new tensor's, and every kernel writes a fresh output.
 */
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import * as tf from '@tensorflow/tfjs-core';

const CAPACITY = 256;

type DataId = object;
type Values = ArrayLike<number> | null;

/** The parts of the backend the cache uses (its public methods, typed loosely by TF.js). */
interface Storage {
  write(values: Values, shape: number[], dtype: tf.DataType): DataId;
  incRef(dataId: DataId): void;
  disposeData(dataId: DataId, force?: boolean): boolean;
  refCount(dataId: DataId): number;
}

const installed = new WeakSet<object>();

/**
 * Makes `backend` share scalar constants while `on()` (our kernels switched on); once per
 * backend instance.
 */
export function shareScalarConstants(backend: WebGPUBackend, on: () => boolean): void {
  if (installed.has(backend)) return;
  installed.add(backend);
  const storage = backend as unknown as Storage;
  const write = storage.write;
  // Value (by Object.is, so 0 and -0 stay apart) to data, least recently used first.
  const kept = new Map<string, DataId>();

  const release = (dataId: DataId) => {
    // The cache's own reference; when it was the last, the engine forgets the data too.
    if (storage.disposeData(dataId)) tf.engine().removeDataId(dataId, backend);
  };

  storage.write = function (this: Storage, values, shape, dtype) {
    if (!on() || dtype !== 'float32' || shape.length !== 0 || values?.length !== 1) {
      return write.call(this, values, shape, dtype);
    }
    const value = values[0]!;
    const key = Object.is(value, -0) ? '-0' : String(value);
    const found = kept.get(key);
    if (found && storage.refCount(found) > 0) {
      kept.delete(key);
      kept.set(key, found);
      storage.incRef(found);
      return found;
    }
    const dataId = write.call(this, values, shape, dtype);
    storage.incRef(dataId);
    kept.set(key, dataId);
    if (kept.size > CAPACITY) {
      const [oldest, oldestId] = kept.entries().next().value as [string, DataId];
      kept.delete(oldest);
      release(oldestId);
    }
    return dataId;
  };
}
