/**
 * PyTorch checkpoints in and out, the engine's side: a file is recognised by its first bytes
 * (our bundle: a zip with manifest.json; torch.save's zip format: a zip with <archive>/data.pkl;
 * its legacy format: the pickle protocol bytes and magic number; safetensors: an 8-byte header
 * length, then '{'), read with io/torch without executing anything, and handed to the family
 * that knows the reference's names (families/engines' `torch` hooks). Everything is checked
 * before a model is built; a refused file changes nothing.
 */
import * as tf from '@tensorflow/tfjs-core';
import { type BundleManifest, newManifest, readBundle } from '../io/bundle';
import { flattenTensors, readTorchCheckpoint, type TorchTensor } from '../io/torch';
import type { ExperimentConfig } from '../protocol/messages';
import { experimentFromBundle } from './bundles';
import type { Experiment, ExperimentFactory } from './experiment';

/** safetensors metadata key under which our exports keep the experiment's settings. */
export const CONFIG_METADATA = 'gan_playground_experiment';

export type WeightsFileFormat = 'bundle' | 'torch-zip' | 'torch-legacy' | 'safetensors' | 'unknown';

/** A weight in our layout: its shape and float32 values. */
export interface PlainTensor {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/** A tensor to write to a PyTorch file: float32, or int64 counters. */
export interface TorchOutTensor {
  readonly shape: readonly number[];
  readonly data: Float32Array | BigInt64Array;
}

/** A checkpoint a family recognised: the experiment it describes and its generator weights. */
export interface TorchImport {
  readonly config: ExperimentConfig;
  /** Our weight names and shapes (the generator's), each filled from `value`. */
  readonly specs: readonly { readonly name: string; readonly shape: readonly number[] }[];
  /** One weight in our layout, converted on demand so only one copy is made at a time. */
  value(name: string): PlainTensor;
  /** What loaded, for people: "yunjey/stargan's Generator (conv_dim 64, …) at 128 px". */
  readonly description: string;
  /**
   * Scopes of generator weights the file does not hold (a CycleGAN file is one of its two
   * generators: "G/BA/"): taken from the current run's generator where it has a weight of the
   * same name and shape (see TorchSource), else left at the new model's seeded initial values.
   * Every other generator weight must be in `specs`.
   */
  readonly fresh?: readonly string[];
}

/** What the page knows of a file beside its bytes, and what it runs now. */
export interface TorchSource {
  /** The file's name, when it has one (latest_net_G_B.pth says which generator it is). */
  readonly fileName?: string;
  /** The current run's generator weights by name, asked for when a file leaves scopes `fresh`. */
  readonly generator?: () => ReadonlyMap<string, tf.Tensor>;
}

/** What a family offers for PyTorch files (see families/engines). */
export interface TorchHooks {
  /**
   * Whether the key names are this family's reference (so its refusal, not another family's,
   * is the one to show). Without it, a family is asked in turn and the first refusal shown.
   */
  readonly claims?: (names: readonly string[]) => boolean;
  /** Null when the tensors are not this family's; throws naming the first mismatch. */
  fromTorch(
    tensors: Readonly<Record<string, TorchTensor>>,
    metadata: Readonly<Record<string, string>> | undefined,
    /** The run the page has now, for what the file cannot say (an image size, say). */
    current: ExperimentConfig | null,
    /** The file's name, when it has one. */
    fileName?: string,
  ): TorchImport | null;
  /** The generator, by our names, as the reference's state_dict (its key order). */
  toTorch(
    config: ExperimentConfig,
    weights: ReadonlyMap<string, PlainTensor>,
  ): {
    tensors: Record<string, TorchOutTensor>;
    metadata: Record<string, string>;
    /**
     * When the reference saves a dict of modules' state_dicts (clovaai's CheckpointIO), their
     * names: tensors are '<module>.<key>' and a .pt file nests them as {module: state_dict}.
     */
    modules?: readonly string[];
  };
}

const ascii = (bytes: Uint8Array, from: number, to: number) =>
  String.fromCharCode(...bytes.subarray(from, Math.min(to, bytes.length)));

/** Zip entry names from the central directory, without inflating anything. */
function zipNames(bytes: Uint8Array): string[] {
  const names: string[] = [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // The end-of-central-directory record is in the last 64 KB + 22 bytes.
  for (let p = bytes.length - 22; p >= Math.max(0, bytes.length - 65_557); p--) {
    if (view.getUint32(p, true) !== 0x06054b50) continue;
    const count = view.getUint16(p + 10, true);
    let q = view.getUint32(p + 16, true);
    for (let i = 0; i < count && q + 46 <= bytes.length; i++) {
      if (view.getUint32(q, true) !== 0x02014b50) break;
      const n = view.getUint16(q + 28, true);
      names.push(new TextDecoder().decode(bytes.subarray(q + 46, q + 46 + n)));
      q += 46 + n + view.getUint16(q + 30, true) + view.getUint16(q + 32, true);
    }
    break;
  }
  return names;
}

/** Which kind of weights file `bytes` is, from its first bytes (and a zip's directory). */
export function weightsFileFormat(bytes: Uint8Array): WeightsFileFormat {
  if (bytes.length < 9) return 'unknown';
  if (ascii(bytes, 0, 4) === 'PK\x03\x04' || ascii(bytes, 0, 4) === 'PK\x05\x06') {
    const names = zipNames(bytes);
    if (names.includes('manifest.json')) return 'bundle';
    if (names.some((n) => /^[^/]+\/data\.pkl$/.test(n))) return 'torch-zip';
    return 'bundle'; // let the bundle reader say what is wrong with it
  }
  // Pickle protocol 2 (0x80 0x02), then LONG1 (0x8a) with torch's magic number.
  if (bytes[0] === 0x80 && bytes[2] === 0x8a) return 'torch-legacy';
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
  if (bytes[8] === 0x7b && headerLength <= BigInt(bytes.length - 8)) return 'safetensors';
  return 'unknown';
}

/**
 * Builds the experiment a PyTorch checkpoint describes (generator only: D and the optimisers
 * start fresh) and fills its generator. `bytes` may be changed (the legacy format is read in
 * place, so its tensors are views rather than a second copy): do not read it again.
 */
export async function experimentFromTorch(
  bytes: Uint8Array,
  build: ExperimentFactory,
  current: ExperimentConfig | null = null,
  source: TorchSource = {},
): Promise<{ experiment: Experiment; manifest: BundleManifest; description: string }> {
  if (!build.fromTorch) throw new Error('PyTorch checkpoints are not supported here');
  const checkpoint = readTorchCheckpoint(bytes, { inPlace: true });
  const tensors = flattenTensors(checkpoint.root, '.');
  const found = build.fromTorch(tensors, checkpoint.metadata, current, source.fileName);
  for (const spec of found.specs) {
    const { data } = found.value(spec.name);
    for (let i = 0; i < data.length; i++) {
      if (!Number.isFinite(data[i]!)) {
        throw new Error(`The checkpoint's ${spec.name} holds a NaN or infinite value`);
      }
    }
  }
  const experiment = await build(found.config);
  try {
    const generator = experiment.networks().generators;
    const variables = new Map(generator.flatMap((p) => [...p.named()]));
    const expected = new Set(found.specs.map((s) => s.name));
    const fresh = (name: string) => found.fresh?.some((scope) => name.startsWith(scope)) ?? false;
    for (const [name, variable] of variables) {
      const spec = found.specs.find((s) => s.name === name);
      if (!spec && fresh(name)) continue;
      if (!spec) throw new Error(`The checkpoint has no value for ${name}`);
      if (spec.shape.join() !== variable.shape.join()) {
        throw new Error(`${name} is [${spec.shape}] in the checkpoint, [${variable.shape}] here`);
      }
      expected.delete(name);
    }
    if (expected.size > 0) throw new Error(`The model has no ${[...expected][0]}`);
    const current = found.fresh?.length ? source.generator?.() : undefined;
    for (const [name, variable] of variables) {
      if (!found.specs.some((s) => s.name === name)) {
        // Not in the file: the current run's weight of that name and shape, else as built.
        const kept = current?.get(name);
        if (kept && kept.shape.join() === variable.shape.join()) {
          tf.tidy(() => variable.assign(tf.clone(kept)));
        }
        continue;
      }
      const { data, shape } = found.value(name);
      tf.tidy(() => variable.assign(tf.tensor(data, [...shape])));
    }
  } catch (error) {
    experiment.dispose();
    throw error;
  }
  const manifest = newManifest({
    flavour: 'generator',
    name: found.description,
    experiment: found.config,
    step: 0,
    data: experiment.describeData(),
    resume: null,
    history: null,
  });
  return { experiment, manifest, description: found.description };
}

/** Any weights file: our bundle, or a PyTorch checkpoint a family knows. */
export async function experimentFromFile(
  bytes: Uint8Array,
  build: ExperimentFactory,
  current: ExperimentConfig | null = null,
  source: TorchSource = {},
): Promise<{ experiment: Experiment; manifest: BundleManifest; description?: string }> {
  const format = weightsFileFormat(bytes);
  if (format === 'bundle') return experimentFromBundle(bytes, build);
  if (format === 'unknown') {
    throw new Error(
      'This is neither a GAN Playground file (.zip) nor a PyTorch checkpoint (.pt, .pth, .ckpt) or safetensors file',
    );
  }
  return experimentFromTorch(bytes, build, current, source);
}

/**
 * The generator of a bundle (a snapshot of the current run, flavour generator) as a PyTorch
 * state_dict with the reference's names: safetensors, or torch.save's zip format.
 */
export function torchStateOfBundle(
  bundleBytes: Uint8Array,
  hooksFor: (config: ExperimentConfig) => TorchHooks | null,
): {
  tensors: Record<string, TorchOutTensor>;
  metadata: Record<string, string>;
  modules?: readonly string[];
  config: ExperimentConfig;
} {
  const { manifest, specs, weights } = readBundle(bundleBytes);
  const hooks = hooksFor(manifest.experiment);
  if (!hooks) throw new Error(`${manifest.experiment.kind} has no PyTorch export`);
  const values = new Map<string, PlainTensor>();
  let offset = 0;
  for (const spec of specs) {
    const size = spec.shape.reduce((a, b) => a * b, 1);
    values.set(spec.name, { shape: spec.shape, data: weights.subarray(offset, offset + size) });
    offset += size;
  }
  return { ...hooks.toTorch(manifest.experiment, values), config: manifest.experiment };
}
