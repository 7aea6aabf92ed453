/** Experiments to bundle files and back: the engine's side of the file format in io/bundle. */
import * as tf from '@tensorflow/tfjs-core';
import { type BundleManifest, fitSpecs, newManifest, readBundle, writeBundle } from '../io/bundle';
import { captureWeights, expectedSpecs, type Flavour, restoreWeights } from '../io/checkpoint';
import type { ExperimentConfig } from '../protocol/messages';
import type { Experiment } from './experiment';

export interface RunDescription {
  readonly config: ExperimentConfig;
  readonly step: number;
  readonly name: string;
}

/** Saves `experiment`; `read` is the caller's way to read the one flat weights tensor. */
export async function snapshotExperiment(
  experiment: Experiment,
  run: RunDescription,
  flavour: Flavour,
  read: (tensor: tf.Tensor) => Promise<ArrayLike<number>>,
): Promise<{ bytes: Uint8Array; manifest: BundleManifest }> {
  const { specs, flat } = await captureWeights(experiment.networks(), flavour);
  const weights = Float32Array.from(await read(flat));
  flat.dispose();
  const manifest = newManifest({
    flavour,
    name: run.name,
    experiment: run.config,
    step: run.step,
    data: experiment.describeData(),
    resume: flavour === 'full' ? experiment.resumeState() : null,
  });
  return { bytes: writeBundle({ manifest, specs, weights }), manifest };
}

/** Optimiser slots are "opt/<weight name>/<slot>": at least four path segments. */
const hasSlotsFor = (names: ReadonlySet<string>) => (scope: string) =>
  [...names].some((name) => name.startsWith(`opt/${scope}/`) && name.split('/').length > 3);

/**
 * Builds the experiment a bundle describes and fills it. Everything is checked first; on any
 * error the half-built experiment is disposed and the error thrown, so nothing else changes.
 */
export async function experimentFromBundle(
  bytes: Uint8Array,
  build: (config: ExperimentConfig) => Promise<Experiment>,
): Promise<{ experiment: Experiment; manifest: BundleManifest }> {
  const { manifest, specs, weights } = readBundle(bytes);
  const experiment = await build(manifest.experiment);
  try {
    const networks = experiment.networks();
    const names = new Set(specs.map((spec) => spec.name));
    fitSpecs(specs, expectedSpecs(networks, manifest.flavour, hasSlotsFor(names)));
    const values = tf.io.decodeWeights(weights.buffer as ArrayBuffer, [...specs]);
    try {
      await restoreWeights(networks, manifest.flavour, new Map(Object.entries(values)));
    } finally {
      tf.dispose(Object.values(values));
    }
    if (manifest.resume) experiment.restoreResumeState(manifest.resume);
  } catch (error) {
    experiment.dispose();
    throw error;
  }
  return { experiment, manifest };
}
