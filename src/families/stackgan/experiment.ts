import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../../core/random';
import {
  attributeLabels,
  type CaptionAttributes,
  caption,
  encodeCaption,
  faceAttributes,
  TEXT_DIM,
} from '../../data/captions';
import { FACE_ATTRIBUTES, FaceDataset, type FaceSize } from '../../data/faces';
import { gatherImages } from '../../data/labelledImages';
import { toRgba } from '../../data/pixels';
import {
  checkResumeState,
  type Experiment,
  type ExperimentResources,
  type QualityPart,
  type ResumeState,
  type StepResult,
} from '../../engine/experiment';
import { type FaceClassifier, FEATURE_DIM, labelAccuracy } from '../../metrics/faceClassifier';
import { fitGaussian, frechetDistance, type Gaussian } from '../../metrics/frechet';
import type { ModelNetworks } from '../../models/shared/networks';
import { StackGan, type StackGanBatch } from '../../models/stackgan';
import { type StackGanConfig, stackganLossNames } from '../../models/stackgan.config';
import type { StepPhase } from '../../protocol/messages';
import type { FrameStackGan, InfoStackGan, StagesRequest } from './spec';

/** Rows of the live grid: fixed captions and latents. */
export const GRID_ROWS = 4;
/** Held-out faces (and captions) behind the figures: each side of the Fréchet distance. */
export const EVAL_SAMPLES = 128;
/** Tries to find a training face whose attributes differ from a caption's (the wrong pair). */
const WRONG_TRIES = 32;

const sameAttributes = (a: CaptionAttributes, b: CaptionAttributes) =>
  a.hair === b.hair && a.male === b.male && a.young === b.young && a.smiling === b.smiling;

/**
 * A training face to pair with face `index`'s caption as the wrong pair: the reference's wrong
 * image is a real one of another class; here one with other attributes (after WRONG_TRIES
 * draws, whatever came last, which only a set of near-identical faces reaches).
 */
export function pickWrong(attributes: readonly CaptionAttributes[], index: number, rng: Rng) {
  let wrong = rng.int(attributes.length);
  for (let t = 0; t < WRONG_TRIES && sameAttributes(attributes[wrong]!, attributes[index]!); t++) {
    wrong = rng.int(attributes.length);
  }
  return wrong;
}

/** Images at each smaller stage: 2 x 2 box averages of the next finer one, as Scale() resizes. */
export function pyramid(finest: tf.Tensor4D, stages: number): tf.Tensor4D[] {
  const out = [finest];
  for (let i = 1; i < stages; i++) out.unshift(tf.avgPool(out[0]!, 2, 2, 'valid'));
  return out;
}

/**
 * StackGAN++ on captioned toy faces: each step is one reference iteration (G's forward pass,
 * an update of every stage's D, one G update and the weight average).
 */
export class StackGanExperiment implements Experiment {
  readonly info: InfoStackGan;
  readonly frameIntervalMs = 1000;
  readonly model: StackGan;
  private readonly train: FaceDataset;
  private readonly attributes: CaptionAttributes[];
  private readonly dataRng: Rng;
  private readonly classifier: FaceClassifier | null;
  private readonly grid: { z: tf.Tensor2D; text: tf.Tensor2D | null; eps: tf.Tensor2D | null };
  private readonly evaluation: {
    z: tf.Tensor2D;
    text: tf.Tensor2D | null;
    eps: tf.Tensor2D | null;
    labels: tf.Tensor2D;
  } | null;
  /** Held-out reals at the finest size, until the first quality reading has their features. */
  private heldOut: tf.Tensor4D | null = null;
  private realGaussians: Gaussian[] | null = null;
  /** A measurement under way: its samples (every stage) and the stages measured so far. */
  private samples: tf.Tensor4D[] | null = null;
  private measured: { frechet: number; agreement: number }[] = [];
  private iteration = 0;
  private lastD: tf.Tensor1D | null = null;
  private lastG: tf.Tensor1D | null = null;

  constructor(
    readonly config: StackGanConfig,
    seed: number,
    resources: ExperimentResources,
  ) {
    const rng = new Rng(seed);
    this.model = new StackGan(config, rng.fork('model'));
    const finest = this.model.sizes.at(-1)! as FaceSize;
    this.train = new FaceDataset('celeba', config.datasetSize, finest, rng.fork('train'));
    this.attributes = this.train.params.map(faceAttributes);
    this.dataRng = rng.fork('data');
    this.classifier = resources.classifier;
    const text = config.mode === 'text';

    const gridRng = rng.fork('grid');
    const heldOut = new FaceDataset('celeba', EVAL_SAMPLES, finest, rng.fork('held-out'));
    const heldOutCaptions = heldOut.params.map((p) => caption(faceAttributes(p), gridRng));
    const gridCaptions = text ? heldOutCaptions.slice(0, GRID_ROWS) : [];
    this.grid = this.noise(GRID_ROWS, gridRng, gridCaptions);
    if (this.classifier) {
      this.evaluation = {
        ...this.noise(EVAL_SAMPLES, rng.fork('evaluation'), text ? heldOutCaptions : []),
        labels: tf.tensor2d(
          heldOut.params.map((p) => attributeLabels(faceAttributes(p))),
          [EVAL_SAMPLES, FACE_ATTRIBUTES.length],
        ),
      };
      this.heldOut = tf.tensor4d(heldOut.images, [EVAL_SAMPLES, finest, finest, 3]);
    } else {
      this.evaluation = null;
    }
    const sizes = this.model.sizes;
    this.info = {
      kind: 'stackgan',
      lossNames: stackganLossNames(config),
      qualityNames: [
        ...sizes.map((s) => `Fréchet ${s} px`),
        ...(text ? sizes.map((s) => `Caption agreement ${s} px`) : []),
      ],
      mode: config.mode,
      sizes,
      zDim: config.zDim,
      embeddingDim: config.embeddingDim,
      gridCaptions,
      classifierAccuracy: this.classifier ? resources.classifierAccuracy : null,
    };
  }

  /** z, and in the text mode the captions' embeddings and conditioning's eps, for `count` rows. */
  private noise(count: number, rng: Rng, captions: readonly string[]) {
    const { zDim, embeddingDim } = this.config;
    const z = tf.tensor2d(rng.normalArray(count * zDim), [count, zDim]);
    if (captions.length === 0) return { z, text: null, eps: null };
    const text = new Float32Array(count * TEXT_DIM);
    captions.forEach((c, i) => {
      text.set(encodeCaption(c), i * TEXT_DIM);
    });
    return {
      z,
      text: tf.tensor2d(text, [count, TEXT_DIM]),
      eps: tf.tensor2d(rng.normalArray(count * embeddingDim), [count, embeddingDim]),
    };
  }

  /** A batch: faces with random flips, a fresh caption each, mismatched faces, z and eps. */
  private batch(): StackGanBatch {
    const { batchSize: n, zDim, embeddingDim } = this.config;
    const rng = this.dataRng;
    const s = this.train.size;
    const count = this.train.count;
    const indices = Array.from({ length: n }, () => rng.int(count));
    const flips = indices.map(() => rng.uniform() < 0.5);
    const stages = this.model.sizes.length;
    const reals = pyramid(
      tf.tensor4d(gatherImages(this.train, indices, flips).images, [n, s, s, 3]),
      stages,
    );
    const z = tf.tensor2d(rng.normalArray(n * zDim), [n, zDim]);
    if (this.config.mode !== 'text') return { reals, wrongs: null, z, text: null, eps: null };
    const text = new Float32Array(n * TEXT_DIM);
    const wrongIndices = indices.map((index, i) => {
      const attributes = this.attributes[index]!;
      text.set(encodeCaption(caption(attributes, rng)), i * TEXT_DIM);
      return pickWrong(this.attributes, index, rng);
    });
    const wrongs = pyramid(
      tf.tensor4d(gatherImages(this.train, wrongIndices).images, [n, s, s, 3]),
      stages,
    );
    return {
      reals,
      wrongs,
      z,
      text: tf.tensor2d(text, [n, TEXT_DIM]),
      eps: tf.tensor2d(rng.normalArray(n * embeddingDim), [n, embeddingDim]),
    };
  }

  step(phase: StepPhase): StepResult {
    this.iteration++;
    const batch = this.batch();
    const { d, g } = this.model.train(batch, { d: phase !== 'G', g: phase !== 'D' });
    const used: (tf.Tensor | null)[] = [
      ...batch.reals,
      ...(batch.wrongs ?? []),
      batch.z,
      batch.text,
      batch.eps,
    ];
    tf.dispose(used.filter((t): t is tf.Tensor => t !== null));
    if (d) {
      this.lastD?.dispose();
      this.lastD = tf.concat(d);
      tf.dispose(d);
    }
    if (g) {
      this.lastG?.dispose();
      this.lastG = g;
    }
    const names = this.info.lossNames;
    const dTerms = this.model.sizes.length * (this.config.mode === 'text' ? 3 : 2);
    const gTerms = names.length - dTerms;
    // Like the reference's log, each row carries the latest terms of both sides.
    const losses = tf.tidy(() =>
      tf.concat([
        this.lastD ?? tf.fill([dTerms], Number.NaN),
        this.lastG ?? tf.fill([gTerms], Number.NaN),
      ]),
    ) as tf.Tensor1D;
    const computed = names.map((_, i) => (i < dTerms ? this.lastD : this.lastG) !== null);
    return { losses, computed };
  }

  /** Every stage of the average G, scaled to the finest size: [count x stages, S, S, 3]. */
  private stages(z: tf.Tensor2D, text: tf.Tensor2D | null, eps: tf.Tensor2D | null) {
    return tf.tidy(() => {
      const images = this.model.sample(z, text, eps);
      const s = this.model.sizes.at(-1)!;
      const scaled = images.map((x) =>
        x.shape[1] === s ? x : tf.image.resizeNearestNeighbor(x, [s, s]),
      );
      return tf.reshape(tf.stack(scaled, 1), [-1, s, s, 3]) as tf.Tensor4D;
    });
  }

  frameTensor(): tf.Tensor1D {
    return tf.tidy(
      () =>
        tf.reshape(this.stages(this.grid.z, this.grid.text, this.grid.eps), [-1]) as tf.Tensor1D,
    );
  }

  decodeFrame(values: Float32Array, step: number): FrameStackGan {
    const s = this.model.sizes.at(-1)!;
    const cols = this.model.sizes.length;
    return {
      kind: 'stackgan',
      step,
      grid: { rows: GRID_ROWS, cols, size: s, pixels: toRgba(values, GRID_ROWS * cols * s * s) },
      quality: null,
    };
  }

  // G over 128 held-out captions and the classifier on every stage: far more than a frame, so
  // it comes in parts, each a turn of the trainer's loop: the held-out reals' features (once),
  // then one stage at a time from samples drawn at the first stage's turn (same weights).
  qualityTensor(): tf.Tensor1D {
    const evaluation = this.evaluation;
    const classifier = this.classifier;
    if (!evaluation || !classifier) return tf.zeros([0]) as tf.Tensor1D;
    if (this.heldOut) {
      const heldOut = this.heldOut;
      return tf.tidy(() => {
        const reals = pyramid(heldOut, this.model.sizes.length);
        return tf.concat(reals.map((x) => tf.reshape(classifier.features(x), [-1]))) as tf.Tensor1D;
      });
    }
    this.samples ??= tf.tidy(() =>
      this.model.sample(evaluation.z, evaluation.text, evaluation.eps),
    );
    const images = this.samples[this.measured.length]!;
    return tf.tidy(() => {
      const features = classifier.features(images);
      const parts = [tf.reshape(features, [-1])];
      if (evaluation.text) {
        const logits = classifier.logitsOf(features);
        parts.push(tf.reshape(labelAccuracy(logits, evaluation.labels, 'attributes'), [1]));
      }
      return tf.concat(parts) as tf.Tensor1D;
    });
  }

  decodeQuality(values: Float32Array): QualityPart {
    if (!this.evaluation) return null;
    const stages = this.model.sizes.length;
    const block = EVAL_SAMPLES * FEATURE_DIM;
    if (this.heldOut) {
      this.realGaussians = Array.from({ length: stages }, (_, i) =>
        fitGaussian(values.subarray(i * block, (i + 1) * block), EVAL_SAMPLES, FEATURE_DIM),
      );
      this.heldOut.dispose();
      this.heldOut = null;
      return 'pending';
    }
    const stage = this.measured.length;
    const frechet = frechetDistance(
      this.realGaussians![stage]!,
      fitGaussian(values.subarray(0, block), EVAL_SAMPLES, FEATURE_DIM),
    );
    this.measured.push({ frechet, agreement: values[block] ?? Number.NaN });
    if (this.measured.length < stages) return 'pending';
    const row = this.measured;
    this.measured = [];
    tf.dispose(this.samples ?? []);
    this.samples = null;
    return [
      ...row.map((m) => m.frechet),
      ...(this.evaluation.text ? row.map((m) => m.agreement) : []),
    ];
  }

  render(request: StagesRequest): tf.Tensor4D {
    const { zDim, embeddingDim } = this.config;
    const { count, noise, embedding } = request;
    if (noise.length !== count * (zDim + embeddingDim)) {
      throw new Error(`Noise must be ${count} rows of ${zDim + embeddingDim} values`);
    }
    const text = this.config.mode === 'text';
    if (text && embedding?.length !== TEXT_DIM) {
      throw new Error(`A caption embedding has ${TEXT_DIM} values`);
    }
    return tf.tidy(() => {
      const rows = tf.tensor2d(noise, [count, zDim + embeddingDim]);
      const z = tf.slice(rows, [0, 0], [count, zDim]);
      if (!text || !embedding) return this.stages(z, null, null);
      const eps = tf.slice(rows, [0, zDim], [count, embeddingDim]);
      const t = tf.tile(tf.tensor2d(embedding, [1, TEXT_DIM]), [count, 1]) as tf.Tensor2D;
      return this.stages(z, t, eps);
    });
  }

  describeData() {
    return {
      name: `toy faces with captions (${this.config.mode})`,
      attributes: [...FACE_ATTRIBUTES, 'Smiling'],
    };
  }

  networks(): ModelNetworks {
    return this.model.networks();
  }

  resumeState(): ResumeState {
    return { rngs: { data: this.dataRng.state() }, counters: { iteration: this.iteration } };
  }

  restoreResumeState(state: ResumeState): void {
    checkResumeState(state, ['data'], ['iteration']);
    this.dataRng.restore(state.rngs.data!);
    this.iteration = state.counters.iteration!;
  }

  dispose(): void {
    this.model.dispose();
    const e = this.evaluation;
    const owned: (tf.Tensor | null | undefined)[] = [
      this.grid.z,
      this.grid.text,
      this.grid.eps,
      e?.z,
      e?.text,
      e?.eps,
      e?.labels,
      this.heldOut,
      ...(this.samples ?? []),
      this.lastD,
      this.lastG,
    ];
    tf.dispose(owned.filter((t): t is tf.Tensor => t != null));
  }
}
