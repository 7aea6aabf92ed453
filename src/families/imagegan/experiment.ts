import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../../core/random';
import { FaceDataset } from '../../data/faces';
import { toRgba } from '../../data/pixels';
import { shapesDataset } from '../../data/shapes';
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
import { uploadTogether } from '../../engine/upload';
import { FRECHET_SAMPLES, FrechetMeasurer } from '../../metrics/frechetMeasurer';
import { createImageGan } from '../../models/imagegan';
import type { ImageGanConfig } from '../../models/imagegan.config';
import type { ImageGan } from '../../models/shared/imagegan';
import type { ModelNetworks } from '../../models/shared/networks';
import type { StepPhase } from '../../protocol/messages';
import type { FrameImageGan, InfoImageGan, LatentRequest } from './spec';

/** Samples in the live grid (4 x 4), from latents fixed for the run. */
export const GRID_SAMPLES = 16;

/**
 * Values of critic data (real batches, latents, mixing weights) that go up in one upload, 16 MB:
 * WGAN's critic runs 100 steps at the start, which at 32 px and batch 64 go up in 5 groups of
 * 20, and at 16 px and batch 16 in one.
 */
const CRITIC_UPLOAD_VALUES = 4 * 1024 * 1024;

interface CriticDraws {
  readonly real: Float32Array;
  readonly z: Float32Array;
  readonly alpha: Float32Array;
}

export { FRECHET_SAMPLES };

function toyImages(config: ImageGanConfig, count: number, rng: Rng): Float32Array {
  return config.dataset === 'faces'
    ? new FaceDataset('celeba', count, config.imageSize, rng).images
    : shapesDataset(count, config.imageSize, rng);
}

/** Images to train on, read one at a time (size x size x 3 values in [-1, 1]). */
interface ImageSource {
  readonly count: number;
  image(index: number): Float32Array;
}

/** `count` generated images, or every uploaded one. */
function imageSource(
  config: ImageGanConfig,
  count: number,
  rng: Rng,
  uploaded: UploadedData | null,
): ImageSource {
  if (config.dataset === 'uploaded') {
    if (!uploaded) throw new Error('Choose an uploaded data set to train on');
    const { count: available } = uploaded.images;
    if (available < MIN_IMAGES) {
      throw new Error(
        `“${uploaded.summary.name}” has ${available} images; training needs at least ${MIN_IMAGES}`,
      );
    }
    const all = Array.from({ length: available }, (_, i) => i);
    return new UserImageSet(uploaded.images, config.imageSize, all);
  }
  const data = toyImages(config, count, rng);
  const n = config.imageSize * config.imageSize * 3;
  return { count, image: (k) => data.subarray(k * n, (k + 1) * n) };
}

/** `count` images drawn at random from a source, as one array. */
function drawImages(source: ImageSource, count: number, rng: Rng): Float32Array {
  const first = source.image(0);
  const out = new Float32Array(count * first.length);
  for (let i = 0; i < count; i++) out.set(source.image(rng.int(source.count)), i * first.length);
  return out;
}

/**
 * An unconditional image GAN on a built-in image set: each step is one generator iteration
 * with the critic updates its variant asks for before it.
 */
export class ImageGanExperiment implements Experiment {
  readonly info: InfoImageGan;
  readonly frameIntervalMs = 500;
  readonly model: ImageGan;
  private readonly data: ImageSource;
  private readonly dataRng: Rng;
  private readonly gridZ: tf.Tensor2D;
  private readonly frechetZ: tf.Tensor2D | null;
  /** The Fréchet figure, when the face classifier is loaded. */
  private readonly frechet: FrechetMeasurer | null;
  private generatorIterations = 0;
  private lastD: tf.Tensor1D | null = null;
  private lastG: tf.Tensor1D | null = null;

  constructor(
    readonly config: ImageGanConfig,
    seed: number,
    resources: ExperimentResources,
  ) {
    const rng = new Rng(seed);
    this.model = createImageGan(config, rng.fork('model'));
    this.data = imageSource(config, config.datasetSize, rng.fork('data-set'), resources.uploaded);
    this.dataRng = rng.fork('data');
    const latents = rng.fork('latents');
    this.gridZ = tf.tensor2d(latents.normalArray(GRID_SAMPLES * config.zDim), [
      GRID_SAMPLES,
      config.zDim,
    ]);
    if (resources.classifier) {
      const s = config.imageSize;
      this.frechetZ = tf.tensor2d(latents.normalArray(FRECHET_SAMPLES * config.zDim), [
        FRECHET_SAMPLES,
        config.zDim,
      ]);
      // Held-out reals summarise the data; a second real batch gives the noise floor. An
      // uploaded set has no held-out part here: both batches are drawn from it.
      const pixels =
        config.dataset === 'uploaded'
          ? drawImages(this.data, 2 * FRECHET_SAMPLES, rng.fork('held-out'))
          : toyImages(config, 2 * FRECHET_SAMPLES, rng.fork('held-out'));
      this.frechet = new FrechetMeasurer(
        resources.classifier,
        tf.tensor4d(pixels, [2 * FRECHET_SAMPLES, s, s, 3]),
      );
    } else {
      this.frechetZ = null;
      this.frechet = null;
    }
    this.info = {
      kind: 'imagegan',
      lossNames: [...this.model.lossNames],
      qualityNames: ['Fréchet distance', 'Real vs real'],
      imageSize: config.imageSize,
      zDim: config.zDim,
    };
  }

  /** A real batch's pixels, drawn from the data set. */
  private realPixels(): Float32Array {
    const { batchSize: n, imageSize: s } = this.config;
    const size = s * s * 3;
    const batch = new Float32Array(n * size);
    for (let i = 0; i < n; i++) {
      batch.set(this.data.image(this.dataRng.int(this.data.count)), i * size);
    }
    return batch;
  }

  /** What one critic step draws, in this order: reals, latents, the penalty's mixing weights. */
  private criticDraws(): CriticDraws {
    const n = this.config.batchSize;
    return {
      real: this.realPixels(),
      z: this.dataRng.normalArray(n * this.config.zDim),
      alpha: this.dataRng.uniformArray(n, 0, 1),
    };
  }

  private trainD(real: tf.Tensor4D, z: tf.Tensor2D, alpha: tf.Tensor4D): void {
    this.lastD?.dispose();
    this.lastD = this.model.trainD(real, z, alpha);
  }

  private trainG(z: tf.Tensor2D): void {
    this.lastG?.dispose();
    this.lastG = this.model.trainG(z);
    this.generatorIterations++;
  }

  /**
   * `steps` critic steps, their data drawn first (in the order the steps would draw it) and
   * uploaded together (`uploadTogether`): a WGAN-GP iteration uploads 2 tensors rather than 16.
   * Groups within CRITIC_UPLOAD_VALUES bound an upload when the WGAN critic runs 100 steps.
   */
  private trainCritic(steps: number): void {
    const { batchSize: n, imageSize: s, zDim } = this.config;
    const group = Math.max(1, Math.floor(CRITIC_UPLOAD_VALUES / (n * (s * s * 3 + zDim + 1))));
    for (let start = 0; start < steps; start += group) {
      const count = Math.min(group, steps - start);
      const draws = Array.from({ length: count }, () => this.criticDraws());
      const tensors = uploadTogether(
        draws.flatMap((d) => [
          { values: d.real, shape: [n, s, s, 3] },
          { values: d.z, shape: [n, zDim] },
          { values: d.alpha, shape: [n, 1, 1, 1] },
        ]),
      );
      for (let i = 0; i < count; i++) {
        const [real, z, alpha] = tensors.slice(3 * i, 3 * i + 3);
        this.trainD(real as tf.Tensor4D, z as tf.Tensor2D, alpha as tf.Tensor4D);
      }
      tf.dispose(tensors);
    }
  }

  private trainGenerator(): void {
    const z = tf.tensor2d(this.dataRng.normalArray(this.config.batchSize * this.config.zDim), [
      this.config.batchSize,
      this.config.zDim,
    ]);
    this.trainG(z);
    z.dispose();
  }

  step(phase: StepPhase): StepResult {
    if (phase === 'D') this.trainCritic(1);
    if (phase === 'G') this.trainGenerator();
    if (phase === 'both') {
      this.trainCritic(this.model.criticIterations(this.generatorIterations));
      this.trainGenerator();
    }
    const dTerms = this.model.lossNames.length - 1;
    const losses = tf.tidy(() =>
      tf.concat([
        this.lastD ?? tf.fill([dTerms], Number.NaN),
        this.lastG ?? tf.fill([1], Number.NaN),
      ]),
    ) as tf.Tensor1D;
    const computed = this.model.lossNames.map(
      (_, i) => (i < dTerms ? this.lastD : this.lastG) !== null,
    );
    return { losses, computed };
  }

  /** Runs G with batch norm's running averages, so samples do not depend on their batch. */
  private sample(z: tf.Tensor2D): tf.Tensor4D {
    this.model.normG.training = false;
    try {
      return this.model.G(z);
    } finally {
      this.model.normG.training = true;
    }
  }

  frameTensor(): tf.Tensor1D {
    return tf.tidy(() => tf.reshape(this.sample(this.gridZ), [-1]) as tf.Tensor1D);
  }

  decodeFrame(values: Float32Array, step: number): FrameImageGan {
    const s = this.config.imageSize;
    return {
      kind: 'imagegan',
      step,
      grid: { rows: 4, cols: 4, size: s, pixels: toRgba(values, GRID_SAMPLES * s * s) },
      quality: null,
    };
  }

  // 128 samples through G and the classifier cost many grids, so the trainer measures them on
  // a slower cadence, in parts (see FrechetMeasurer).
  qualityTensor(): tf.Tensor1D {
    const { frechet, frechetZ } = this;
    if (!frechet || !frechetZ) return tf.zeros([0]) as tf.Tensor1D;
    // With batch norm's running averages, a sample does not depend on its batch.
    return frechet.partFeatures((start, count) => this.sample(tf.slice(frechetZ, start, count)));
  }

  decodeQuality(values: Float32Array): QualityPart {
    return this.frechet ? this.frechet.decode(values) : null;
  }

  render(request: LatentRequest): tf.Tensor4D {
    if (request.z.length !== request.count * this.config.zDim) {
      throw new Error(`Latents must be ${request.count} vectors of ${this.config.zDim} values`);
    }
    return tf.tidy(() => this.sample(tf.tensor2d(request.z, [request.count, this.config.zDim])));
  }

  describeData() {
    return { name: this.config.dataset, attributes: [] };
  }

  networks(): ModelNetworks {
    return this.model.networks();
  }

  resumeState(): ResumeState {
    return {
      rngs: { data: this.dataRng.state() },
      counters: { generatorIterations: this.generatorIterations },
    };
  }

  restoreResumeState(state: ResumeState): void {
    checkResumeState(state, ['data'], ['generatorIterations']);
    this.dataRng.restore(state.rngs.data!);
    this.generatorIterations = state.counters.generatorIterations!;
  }

  dispose(): void {
    this.model.dispose();
    this.frechet?.dispose();
    const owned: (tf.Tensor | null)[] = [this.gridZ, this.frechetZ, this.lastD, this.lastG];
    tf.dispose(owned.filter((t): t is tf.Tensor => t !== null));
  }
}
