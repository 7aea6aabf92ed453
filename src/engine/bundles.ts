/** Experiments to bundle files and back: the engine's side of the file format in io/bundle. */
import * as tf from '@tensorflow/tfjs-core';
import { type BundleManifest, fitSpecs, newManifest, readBundle, writeBundle } from '../io/bundle';
import { captureWeights, expectedSpecs, type Flavour, restoreWeights } from '../io/checkpoint';
import type { RunHistory } from '../io/records';
import type { ExperimentConfig } from '../protocol/messages';
import type { Experiment, ExperimentFactory } from './experiment';

export interface RunDescription {
  readonly config: ExperimentConfig;
  readonly step: number;
  readonly name: string;
  /** The charts and training time, kept with the full training state. */
  readonly history?: RunHistory;
}

/** A saved run: the bundle file, its manifest, and whether every value in it is finite. */
export interface Snapshot {
  readonly bytes: Uint8Array;
  readonly manifest: BundleManifest;
  /** False after a divergence: such a file is refused on import, so it is never autosaved. */
  readonly finite: boolean;
}

/** Saves `experiment`; `read` is the caller's way to read the one flat weights tensor. */
export async function snapshotExperiment(
  experiment: Experiment,
  run: RunDescription,
  flavour: Flavour,
  read: (tensor: tf.Tensor) => Promise<ArrayLike<number>>,
): Promise<Snapshot> {
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
    history: flavour === 'full' ? (run.history ?? null) : null,
  });
  const finite = weights.every(Number.isFinite);
  return { bytes: writeBundle({ manifest, specs, weights }), manifest, finite };
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
  build: ExperimentFactory,
): Promise<{ experiment: Experiment; manifest: BundleManifest }> {
  const { manifest, specs, weights } = readBundle(bytes);
  const names = new Set(specs.map((spec) => spec.name));
  const stepped = hasSlotsFor(names);
  // Names and shapes first, against the networks built for their shapes alone: a small file
  // asking for a large model with the wrong weights costs nothing (issue 19).
  const bare = build.shapes?.(manifest.experiment) ?? null;
  if (bare) {
    try {
      fitSpecs(specs, expectedSpecs(bare.networks(), manifest.flavour, stepped));
    } finally {
      bare.dispose();
    }
  }
  const experiment = await build(manifest.experiment);
  try {
    const networks = experiment.networks();
    fitSpecs(specs, expectedSpecs(networks, manifest.flavour, stepped));
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
