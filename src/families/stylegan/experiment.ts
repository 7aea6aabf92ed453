import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../../core/random';
import { FaceDataset } from '../../data/faces';
import { latentBatch } from '../../data/latents';
import { toRgba } from '../../data/pixels';
import { MIN_IMAGES, UserImageSet } from '../../data/userImages';
import {
  checkResumeState,
  type Experiment,
  type ExperimentResources,
  type QualityPart,
  type ResumeState,
  type StepResult,
  type UploadedData,
} from '../../engine/experiment';
import { type HostArray, uploadTogether } from '../../engine/upload';
import { FRECHET_SAMPLES, FrechetMeasurer } from '../../metrics/frechetMeasurer';
import type { ModelNetworks } from '../../models/shared/networks';
import {
  type Draws,
  layerResolution,
  mixStyles,
  STYLEGAN_LOSS_NAMES,
  StyleGan,
  truncate,
} from '../../models/stylegan';
import type { StepPhase } from '../../protocol/messages';
import {
  type FrameStyleGan,
  type InfoStyleGan,
  MIX_A,
  MIX_B,
  type StyleGanConfig,
  type StyleRequest,
  WALK,
} from './spec';

/** Samples in the live grid (4 x 4), from latents and noise fixed for the run. */
export const GRID_SAMPLES = 16;

interface ImageSource {
  readonly count: number;
  image(index: number): Float32Array;
}

function imageSource(config: StyleGanConfig, rng: Rng, uploaded: UploadedData | null): ImageSource {
  if (config.dataset === 'uploaded') {
    if (!uploaded) throw new Error('Choose an uploaded data set to train on');
    const { count } = uploaded.images;
    if (count < MIN_IMAGES) {
      throw new Error(
        `“${uploaded.summary.name}” has ${count} images; training needs at least ${MIN_IMAGES}`,
      );
    }
    const all = Array.from({ length: count }, (_, i) => i);
    return new UserImageSet(uploaded.images, config.imageSize, all);
  }
  const data = new FaceDataset('celeba', config.datasetSize, config.imageSize, rng).images;
  const n = config.imageSize ** 2 * 3;
  return { count: config.datasetSize, image: (k) => data.subarray(k * n, (k + 1) * n) };
}

function drawImages(source: ImageSource, count: number, rng: Rng): Float32Array {
  const size = source.image(0).length;
  const out = new Float32Array(count * size);
  for (let i = 0; i < count; i++) out.set(source.image(rng.int(source.count)), i * size);
  return out;
}

/** Noise maps [n, res, res, 1] for every layer from a seeded stream, as host arrays. */
function noiseArrays(rng: Rng, n: number, layers: number): HostArray[] {
  return Array.from({ length: layers }, (_, i) => {
    const res = layerResolution(i);
    return { values: rng.normalArray(n * res * res), shape: [n, res, res, 1] };
  });
}

function noiseMaps(rng: Rng, n: number, layers: number): tf.Tensor4D[] {
  return uploadTogether(noiseArrays(rng, n, layers)) as tf.Tensor4D[];
}

/**
 * StyleGAN-lite on toy faces or uploaded images: each step is one D step then one G step (the
 * reference's D_repeats 1), each on freshly drawn latents, mixing decision and noise.
 */
export class StyleGanExperiment implements Experiment {
  readonly info: InfoStyleGan;
  readonly frameIntervalMs = 500;
  readonly model: StyleGan;
  private readonly data: ImageSource;
  private readonly dataRng: Rng;
  private readonly gridZ: tf.Tensor2D;
  private readonly gridNoise: tf.Tensor4D[];
  private readonly frechetZ: tf.Tensor2D | null;
  private readonly frechetNoise: tf.Tensor4D[];
  /** The image GANs' Fréchet figure, when the face classifier is loaded. */
  private readonly frechet: FrechetMeasurer | null;
  private iterations = 0;
  private lastD: tf.Tensor1D | null = null;
  private lastG: tf.Tensor1D | null = null;

  constructor(
    readonly config: StyleGanConfig,
    seed: number,
    resources: ExperimentResources,
  ) {
    const rng = new Rng(seed);
    this.model = new StyleGan(config, rng.fork('model'));
    this.data = imageSource(config, rng.fork('data-set'), resources.uploaded);
    this.dataRng = rng.fork('data');
    const latents = rng.fork('latents');
    const L = config.latentDim;
    const layers = this.model.layers;
    this.gridZ = tf.tensor2d(latents.normalArray(GRID_SAMPLES * L), [GRID_SAMPLES, L]);
    this.gridNoise = noiseMaps(latents, GRID_SAMPLES, layers);
    if (resources.classifier) {
      const s = config.imageSize;
      this.frechetZ = tf.tensor2d(latents.normalArray(FRECHET_SAMPLES * L), [FRECHET_SAMPLES, L]);
      this.frechetNoise = noiseMaps(latents, FRECHET_SAMPLES, layers);
      const pixels =
        config.dataset === 'uploaded'
          ? drawImages(this.data, 2 * FRECHET_SAMPLES, rng.fork('held-out'))
          : new FaceDataset('celeba', 2 * FRECHET_SAMPLES, s, rng.fork('held-out')).images;
      this.frechet = new FrechetMeasurer(
        resources.classifier,
        tf.tensor4d(pixels, [2 * FRECHET_SAMPLES, s, s, 3]),
      );
    } else {
      this.frechetZ = null;
      this.frechetNoise = [];
      this.frechet = null;
    }
    this.info = {
      kind: 'stylegan',
      lossNames: [...STYLEGAN_LOSS_NAMES],
      qualityNames: ['Fréchet distance', 'Real vs real'],
      imageSize: config.imageSize,
      latentDim: L,
      layers,
    };
  }

  private realBatch(): HostArray {
    const { batchSize: n, imageSize: s } = this.config;
    return { values: drawImages(this.data, n, this.dataRng), shape: [n, s, s, 3] };
  }

  /**
   * Latents, the mixing crossover (random in [1, layers) with probability p) and noise, drawn
   * after `before` (the D step's real batch) and uploaded with it in one buffer.
   */
  private draws(before: HostArray[]): { before: tf.Tensor[]; draws: Draws } {
    const { batchSize: n, latentDim: L, mixingProb } = this.config;
    const layers = this.model.layers;
    const z1 = { values: this.dataRng.normalArray(n * L), shape: [n, L] };
    const z2 = { values: this.dataRng.normalArray(n * L), shape: [n, L] };
    const mix = this.dataRng.uniform() < mixingProb;
    const crossover = mix ? 1 + this.dataRng.int(layers - 1) : layers;
    const noise = noiseArrays(this.dataRng, n, layers);
    const tensors = uploadTogether([...before, z1, z2, ...noise]);
    const [z1t, z2t, ...maps] = tensors.slice(before.length);
    return {
      before: tensors.slice(0, before.length),
      draws: {
        z1: z1t as tf.Tensor2D,
        z2: z2t as tf.Tensor2D,
        crossover,
        noise: maps as tf.Tensor4D[],
      },
    };
  }

  private trainD(): void {
    const { before, draws: d } = this.draws([this.realBatch()]);
    const real = before[0] as tf.Tensor4D;
    this.lastD?.dispose();
    this.lastD = this.model.trainD(real, d);
    tf.dispose([real, d.z1, d.z2, ...d.noise]);
  }

  private trainG(): void {
    const { draws: d } = this.draws([]);
    this.lastG?.dispose();
    this.lastG = this.model.trainG(d);
    tf.dispose([d.z1, d.z2, ...d.noise]);
  }

  step(phase: StepPhase): StepResult {
    if (phase === 'D' || phase === 'both') this.trainD();
    if (phase === 'G' || phase === 'both') this.trainG();
    if (phase !== 'D') this.iterations++;
    const losses = tf.tidy(() =>
      tf.concat([this.lastD ?? tf.fill([2], Number.NaN), this.lastG ?? tf.fill([1], Number.NaN)]),
    ) as tf.Tensor1D;
    return { losses, computed: [this.lastD !== null, this.lastD !== null, this.lastG !== null] };
  }

  /** G_ema at latents z with one w for every layer and the given noise. */
  private sampleZ(z: tf.Tensor2D, noise: readonly tf.Tensor4D[]): tf.Tensor4D {
    const w = this.model.Gs.mapping(z);
    return this.model.sample(mixStyles(w, w, this.model.layers, this.model.layers), noise);
  }

  frameTensor(): tf.Tensor1D {
    return tf.tidy(() => tf.reshape(this.sampleZ(this.gridZ, this.gridNoise), [-1]) as tf.Tensor1D);
  }

  decodeFrame(values: Float32Array, step: number): FrameStyleGan {
    const s = this.config.imageSize;
    return {
      kind: 'stylegan',
      step,
      grid: { rows: 4, cols: 4, size: s, pixels: toRgba(values, GRID_SAMPLES * s * s) },
      quality: null,
    };
  }

  // As the image GANs: 128 real and 128 generated images (G_ema's, from latents and noise
  // fixed for the run) through the classifier, in parts.
  qualityTensor(): tf.Tensor1D {
    const { frechet, frechetZ } = this;
    if (!frechet || !frechetZ) return tf.zeros([0]) as tf.Tensor1D;
    return frechet.partFeatures((start, count) => {
      const noise = this.frechetNoise.map((m) => tf.slice(m, start, count));
      return tf.clipByValue(this.sampleZ(tf.slice(frechetZ, start, count), noise), -1, 1);
    });
  }

  decodeQuality(values: Float32Array): QualityPart {
    return this.frechet ? this.frechet.decode(values) : null;
  }

  /** The playground's images (see StyleRequest for their order), all from G_ema. */
  render(request: StyleRequest): tf.Tensor4D {
    return renderStyles(this.model, request);
  }

  describeData() {
    return { name: this.config.dataset === 'faces' ? 'toy faces' : 'uploaded', attributes: [] };
  }

  networks(): ModelNetworks {
    return this.model.networks();
  }

  resumeState(): ResumeState {
    return { rngs: { data: this.dataRng.state() }, counters: { iterations: this.iterations } };
  }

  restoreResumeState(state: ResumeState): void {
    checkResumeState(state, ['data'], ['iterations']);
    this.dataRng.restore(state.rngs.data!);
    this.iterations = state.counters.iterations!;
  }

  dispose(): void {
    this.model.dispose();
    this.frechet?.dispose();
    const owned: (tf.Tensor | null)[] = [
      this.gridZ,
      this.frechetZ,
      this.lastD,
      this.lastG,
      ...this.gridNoise,
      ...this.frechetNoise,
    ];
    tf.dispose(owned.filter((t): t is tf.Tensor => t !== null));
  }
}

export const zOf = (seed: number, count: number, dim: number) => {
  const rows = latentBatch(seed, count, dim);
  const flat = new Float32Array(count * dim);
  for (const [i, row] of rows.entries()) flat.set(row, i * dim);
  return tf.tensor2d(flat, [count, dim]);
};

/** The playground's noise maps for n images: one seeded map per layer, times its strength. */
export function playgroundNoise(r: StyleRequest, layers: number, n: number): tf.Tensor4D[] {
  return noiseMaps(new Rng(`noise-${r.noiseSeed}`), 1, layers).map(
    (m, i) => tf.tile(tf.mul(m, r.noiseStrength[i]!), [n, 1, 1, 1]) as tf.Tensor4D,
  );
}

/** Evenly spaced points from a to b (inclusive), both [1, L], as [count, L]. */
const line = (a: tf.Tensor2D, b: tf.Tensor2D, count: number) => {
  const t = tf.reshape(tf.linspace(0, 1, count), [count, 1]);
  return tf.add(a, tf.mul(tf.sub(b, a), t)) as tf.Tensor2D;
};

/**
 * The playground's figures from G_ema (order in spec.ts StyleRequest): mixing, truncation,
 * noise and the Z-vs-W walks. Noise is fixed by `noiseSeed` so moving a slider changes only
 * what it controls; each layer's map is scaled by its strength.
 */
export function renderStyles(model: StyleGan, r: StyleRequest): tf.Tensor4D {
  const { latentDim: L } = model.config;
  const layers = model.layers;
  if (r.noiseStrength.length !== layers) {
    throw new Error(`Noise strengths must be ${layers} values, one per layer`);
  }
  const Gs = model.Gs;
  return tf.tidy(() => {
    const noise = (n: number) => playgroundNoise(r, layers, n);
    const same = (w: tf.Tensor2D) => mixStyles(w, w, layers, layers);
    // Mixing: sources A and B, then each cell = A's styles before the crossover, B's from it.
    const wA = Gs.mapping(zOf(r.seed, MIX_A, L));
    const wB = Gs.mapping(zOf(r.seed + 1000, MIX_B, L));
    const aRows = tf.reshape(tf.tile(wA, [1, MIX_B]), [MIX_A * MIX_B, L]) as tf.Tensor2D;
    const bCols = tf.tile(wB, [MIX_A, 1]) as tf.Tensor2D;
    const mixing = [
      Gs.synthesis(same(wA), noise(MIX_A)),
      Gs.synthesis(same(wB), noise(MIX_B)),
      Gs.synthesis(mixStyles(aRows, bCols, r.crossover, layers), noise(MIX_A * MIX_B)),
    ];
    // Truncation toward G_ema's tracked mean w on the chosen layers.
    const wT = Gs.mapping(zOf(r.seed + 2000, WALK, L));
    const truncated = Gs.synthesis(
      truncate(same(wT), Gs.wAvg, r.psi, r.truncFrom, r.truncTo),
      noise(WALK),
    );
    // Noise: one face, then the same face with layer `noiseLayer`'s map redrawn, and |a - b|.
    const wN = tf.slice(wT, 0, 1) as tf.Tensor2D;
    const base = noise(1);
    const redrawn = noiseMaps(new Rng(`redraw-${r.redrawSeed}`), 1, layers)[r.noiseLayer]!;
    const resampled = base.map((m, i) =>
      i === r.noiseLayer ? (tf.mul(redrawn, r.noiseStrength[i]!) as tf.Tensor4D) : m,
    );
    const withNoise = Gs.synthesis(same(wN), base);
    const other = Gs.synthesis(same(wN), resampled);
    // The difference, amplified 4x and shown from black (-1) to white.
    const difference = tf.sub(
      tf.mul(tf.clipByValue(tf.abs(tf.sub(withNoise, other)), 0, 0.5), 4),
      1,
    );
    // Walks between two latents: straight in Z (then mapped), straight in W.
    const ends = zOf(r.seed + 3000, 2, L);
    const z0 = tf.slice(ends, 0, 1) as tf.Tensor2D;
    const z1 = tf.slice(ends, 1, 1) as tf.Tensor2D;
    const walkZ = Gs.synthesis(same(Gs.mapping(line(z0, z1, WALK))), noise(WALK));
    const walkW = Gs.synthesis(same(line(Gs.mapping(z0), Gs.mapping(z1), WALK)), noise(WALK));
    return tf.clipByValue(
      tf.concat([...mixing, truncated, withNoise, other, difference, walkZ, walkW], 0),
      -1,
      1,
    ) as tf.Tensor4D;
  });
}
