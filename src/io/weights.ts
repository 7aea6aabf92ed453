/**
 * Named weights in TF.js's weights-manifest format (a list of {name, shape, dtype} specs plus
 * one binary buffer), read and written with tf.io's own encoder and decoder.
 */
import * as tf from '@tensorflow/tfjs-core';

export interface EncodedWeights {
  readonly specs: tf.io.WeightsManifestEntry[];
  readonly data: ArrayBuffer;
}

export async function encodeWeights(
  named: ReadonlyMap<string, tf.Tensor>,
): Promise<EncodedWeights> {
  const { data, specs } = await tf.io.encodeWeights(Object.fromEntries(named));
  return { data, specs };
}

/**
 * Checks that `encoded` holds exactly the weights `targets` expects (names, shapes, dtypes, byte
 * length, finite values) and only then assigns them, so a bad file changes nothing.
 */
export function assignWeights(
  targets: ReadonlyMap<string, tf.Variable>,
  encoded: EncodedWeights,
): void {
  const expectedBytes = encoded.specs.reduce(
    (sum, spec) => sum + 4 * spec.shape.reduce((a, b) => a * b, 1),
    0,
  );
  for (const spec of encoded.specs) {
    if (spec.dtype !== 'float32')
      throw new Error(`Weight ${spec.name} has dtype ${spec.dtype}, not float32`);
  }
  if (encoded.data.byteLength !== expectedBytes) {
    throw new Error(
      `Weights hold ${encoded.data.byteLength} bytes; their specs describe ${expectedBytes}`,
    );
  }
  const names = new Set(encoded.specs.map((spec) => spec.name));
  const missing = [...targets.keys()].filter((name) => !names.has(name));
  const unknown = [...names].filter((name) => !targets.has(name));
  if (missing.length > 0) throw new Error(`Weights missing: ${missing.join(', ')}`);
  if (unknown.length > 0) throw new Error(`Unexpected weights: ${unknown.join(', ')}`);
  for (const spec of encoded.specs) {
    const shape = targets.get(spec.name)!.shape;
    if (!tf.util.arraysEqual(spec.shape, shape)) {
      throw new Error(`Weight ${spec.name} has shape [${spec.shape}], expected [${shape}]`);
    }
  }
  // All float32 (checked above), so the buffer reads as one array; checked before any upload.
  const values = new Float32Array(encoded.data);
  let offset = 0;
  for (const spec of encoded.specs) {
    const size = spec.shape.reduce((a, b) => a * b, 1);
    if (!values.subarray(offset, offset + size).every(Number.isFinite)) {
      throw new Error(`Weight ${spec.name} holds NaN or infinite values`);
    }
    offset += size;
  }
  const decoded = tf.io.decodeWeights(encoded.data, encoded.specs);
  for (const [name, variable] of targets) variable.assign(decoded[name]!);
  tf.dispose(Object.values(decoded));
}
