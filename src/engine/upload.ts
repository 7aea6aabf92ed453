import * as tf from '@tensorflow/tfjs-core';

export interface HostArray {
  readonly values: Float32Array;
  readonly shape: readonly number[];
}

/**
 * Host arrays uploaded as one flat tensor and handed back as tensors of their shapes, each a
 * slice of it taken on the device: a GPU backend moves one buffer where it would move one per
 * array. Joined, the small ones (latents, labels, mixing weights) are sliced on the device too;
 * alone, the WebGPU backend would slice a tensor of under 1,000 values on the CPU and upload
 * every slice. The caller owns the returned tensors.
 */
export function uploadTogether(parts: readonly HostArray[]): tf.Tensor[] {
  const total = parts.reduce((n, p) => n + p.values.length, 0);
  const joined = new Float32Array(total);
  let offset = 0;
  const starts = parts.map((p) => {
    joined.set(p.values, offset);
    offset += p.values.length;
    return offset - p.values.length;
  });
  return tf.tidy(() => {
    const all = tf.tensor1d(joined);
    return parts.map((p, i) =>
      tf.reshape(tf.slice(all, starts[i]!, p.values.length), [...p.shape]),
    );
  });
}
