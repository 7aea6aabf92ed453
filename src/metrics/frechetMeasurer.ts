import * as tf from '@tensorflow/tfjs-core';
import type { QualityPart } from '../engine/experiment';
import { type FaceClassifier, FEATURE_DIM } from './faceClassifier';
import { fitGaussian, frechetDistance, type Gaussian } from './frechet';

/** Images per side of the Fréchet distance (real and generated). */
export const FRECHET_SAMPLES = 128;
/** Images through the classifier per part of a measurement: 128 samples cost many grids. */
const IMAGES_PER_PART = 32;
const FAKE_PARTS = FRECHET_SAMPLES / IMAGES_PER_PART;
/** Two batches of real images, for the reference Gaussian and the real-vs-real floor. */
const REAL_PARTS = (2 * FRECHET_SAMPLES) / IMAGES_PER_PART;

/**
 * The image GANs' quality figure, measured in parts so the trainer can spread it over frames:
 * [Fréchet distance of FRECHET_SAMPLES generated images to held-out reals, the distance between
 * two held-out real batches (the floor)], on the face classifier's features. The real images'
 * features come first, once; then every measurement is FAKE_PARTS parts of generated images.
 * An experiment calls partFeatures() in its qualityTensor() and decode() in decodeQuality().
 */
export class FrechetMeasurer {
  /** Two held-out real batches, until their features have been read. */
  private heldOut: tf.Tensor4D | null;
  private realGaussian: Gaussian | null = null;
  private floor: number | null = null;
  /** The next part of the measurement, and the features its parts gave so far. */
  private part = 0;
  private realFeatures: Float32Array | null = null;
  private readonly fakeFeatures = new Float32Array(FRECHET_SAMPLES * FEATURE_DIM);

  /** `heldOut`: 2 FRECHET_SAMPLES real images [N, S, S, 3] in [-1, 1]; the measurer owns it. */
  constructor(
    private readonly classifier: FaceClassifier,
    heldOut: tf.Tensor4D,
  ) {
    if (heldOut.shape[0] !== 2 * FRECHET_SAMPLES) {
      throw new Error(`The Fréchet measurer takes ${2 * FRECHET_SAMPLES} held-out images`);
    }
    this.heldOut = heldOut;
  }

  /**
   * The classifier's features of the next part, flattened: held-out reals while they are
   * unread, else generate(start, count), the generated images for samples [start, start +
   * count) of the experiment's fixed FRECHET_SAMPLES latents.
   */
  partFeatures(generate: (start: number, count: number) => tf.Tensor4D): tf.Tensor1D {
    return tf.tidy(() => {
      const realParts = this.heldOut ? REAL_PARTS : 0;
      const images =
        this.part < realParts
          ? tf.slice(this.heldOut!, this.part * IMAGES_PER_PART, IMAGES_PER_PART)
          : generate((this.part - realParts) * IMAGES_PER_PART, IMAGES_PER_PART);
      return tf.reshape(this.classifier.features(images), [-1]) as tf.Tensor1D;
    });
  }

  /** Takes a part's features; 'pending' until the last part, then [distance, floor]. */
  decode(values: Float32Array): QualityPart {
    const part = this.part++;
    const realParts = this.heldOut ? REAL_PARTS : 0;
    const partValues = IMAGES_PER_PART * FEATURE_DIM;
    if (part < realParts) {
      this.realFeatures ??= new Float32Array(REAL_PARTS * partValues);
      this.realFeatures.set(values, part * partValues);
    } else {
      this.fakeFeatures.set(values, (part - realParts) * partValues);
    }
    if (this.part < realParts + FAKE_PARTS) return 'pending';
    this.part = 0;
    if (this.heldOut && this.realFeatures) {
      // Two batches of real images: one is the reference, their distance the floor.
      const half = FRECHET_SAMPLES * FEATURE_DIM;
      this.realGaussian = fitGaussian(
        this.realFeatures.subarray(0, half),
        FRECHET_SAMPLES,
        FEATURE_DIM,
      );
      this.floor = frechetDistance(
        this.realGaussian,
        fitGaussian(this.realFeatures.subarray(half), FRECHET_SAMPLES, FEATURE_DIM),
      );
      this.heldOut.dispose();
      this.heldOut = null;
      this.realFeatures = null;
    }
    if (!this.realGaussian) return null;
    const fake = fitGaussian(this.fakeFeatures, FRECHET_SAMPLES, FEATURE_DIM);
    return [frechetDistance(this.realGaussian, fake), this.floor ?? Number.NaN];
  }

  dispose(): void {
    this.heldOut?.dispose();
    this.heldOut = null;
  }
}
