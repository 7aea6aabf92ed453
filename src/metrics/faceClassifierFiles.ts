import type * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../core/random';
import type { EncodedWeights } from '../io/weights';
import { FaceClassifier } from './faceClassifier';

/** The shipped classifier weights, under public/models/ (served at <base>models/). */
export const CLASSIFIER_FILES = {
  manifest: 'face-classifier.json',
  weights: 'face-classifier.weights.bin',
} as const;

const FORMAT = 'gan-playground/face-classifier';

interface ClassifierManifest {
  readonly format: string;
  readonly heldOutAccuracy: Readonly<Record<string, number>>;
  readonly weightsManifest: readonly { readonly weights: tf.io.WeightsManifestEntry[] }[];
}

export interface LoadedClassifier {
  readonly classifier: FaceClassifier;
  /** Held-out accuracy recorded when it was trained, by "attributes@32px"-style keys. */
  readonly accuracy: Readonly<Record<string, number>>;
}

/** Builds the classifier from the manifest's JSON and the weights file's bytes. */
export function classifierFromFiles(manifestJson: string, data: ArrayBuffer): LoadedClassifier {
  const manifest = JSON.parse(manifestJson) as ClassifierManifest;
  if (manifest.format !== FORMAT) {
    throw new Error(`Not a face classifier manifest (format ${String(manifest.format)})`);
  }
  const weights: EncodedWeights = {
    specs: manifest.weightsManifest.flatMap((group) => group.weights),
    data,
  };
  const classifier = new FaceClassifier(new Rng('unused: weights are loaded'));
  try {
    classifier.load(weights);
  } catch (error) {
    classifier.dispose();
    throw error;
  }
  return { classifier, accuracy: manifest.heldOutAccuracy };
}

/** Fetches the shipped classifier from `baseUrl` (a folder URL ending in a slash). */
export async function fetchClassifier(baseUrl: string): Promise<LoadedClassifier> {
  const get = async (file: string) => {
    const response = await fetch(new URL(file, baseUrl));
    if (!response.ok) throw new Error(`${file}: HTTP ${response.status}`);
    return response;
  };
  const [manifest, weights] = await Promise.all([
    get(CLASSIFIER_FILES.manifest).then((r) => r.text()),
    get(CLASSIFIER_FILES.weights).then((r) => r.arrayBuffer()),
  ]);
  return classifierFromFiles(manifest, weights);
}
