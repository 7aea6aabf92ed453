import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Rng } from '../core/random';
import { FaceDataset } from '../data/faces';
import { gatherImages } from '../data/labelledImages';
import { labelAccuracy } from './faceClassifier';
import { CLASSIFIER_FILES, classifierFromFiles } from './faceClassifierFiles';

function shipped() {
  const manifest = readFileSync(`public/models/${CLASSIFIER_FILES.manifest}`, 'utf8');
  const bytes = readFileSync(`public/models/${CLASSIFIER_FILES.weights}`);
  const data = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  return { manifest, data };
}

async function accuracyOn(kind: 'celeba' | 'rafd', size: 16 | 32 | 64): Promise<number> {
  const { manifest, data } = shipped();
  const { classifier } = classifierFromFiles(manifest, data);
  // Faces the classifier never saw: a seed of their own.
  const faces = new FaceDataset(kind, 96, size, new Rng(`unseen-${kind}-${size}`));
  const { images, labels } = gatherImages(
    faces,
    Array.from({ length: faces.count }, (_, i) => i),
  );
  const accuracy = tf.tidy(() =>
    labelAccuracy(
      classifier.logits(tf.tensor4d(images, [faces.count, size, size, 3])),
      tf.tensor2d(labels, [faces.count, faces.labelNames.length]),
      kind === 'celeba' ? 'attributes' : 'expressions',
    ),
  );
  const [value] = await accuracy.data();
  accuracy.dispose();
  classifier.dispose();
  return value!;
}

describe('the shipped face classifier', () => {
  // Fails when the face renderer changes without `npm run train:classifier`.
  it.each([16, 32, 64] as const)('reads attributes of unseen %i px faces', async (size) => {
    expect(await accuracyOn('celeba', size)).toBeGreaterThanOrEqual(0.95);
  });

  it('reads expressions of unseen 32 px faces', async () => {
    expect(await accuracyOn('rafd', 32)).toBeGreaterThanOrEqual(0.9);
  });

  it('refuses weights that do not fit, and a manifest of another kind', () => {
    const { manifest, data } = shipped();
    expect(() => classifierFromFiles(manifest, data.slice(0, 100))).toThrow(/bytes/);
    expect(() => classifierFromFiles(JSON.stringify({ format: 'other' }), data)).toThrow(
      /Not a face classifier/,
    );
    const corrupt = new Float32Array(data.slice(0));
    corrupt[3] = Number.NaN;
    expect(() => classifierFromFiles(manifest, corrupt.buffer)).toThrow(/NaN or infinite/);
  });
});
