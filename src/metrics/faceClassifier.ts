/**
 * A small CNN that reads the toy faces' labels: CelebA-style attributes and expressions. It is
 * trained apart from any GAN (scripts/train-face-classifier.ts) and only ever judges outputs:
 * how often a translation carries its target attributes. Inputs of any size are resized to
 * 32 px first.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../core/random';
import { EXPRESSIONS, FACE_ATTRIBUTES } from '../data/faces';
import { assignWeights, type EncodedWeights, encodeWeights } from '../io/weights';
import { conv2d, type Layer4D, relu, sequence } from '../models/shared/conv';
import { type Dense, dense } from '../models/shared/layers';
import { multiLabelBce, softmaxCrossEntropy } from '../models/shared/losses';
import { minimizeTerms } from '../models/shared/optim';
import { Params } from '../models/shared/params';

export const CLASSIFIER_SIZE = 32;
export const FEATURE_DIM = 64;
/** Logits: the 5 attributes, then the 5 expressions. */
export const CLASSIFIER_OUTPUTS = [...FACE_ATTRIBUTES, ...EXPRESSIONS] as const;
export const ATTRIBUTE_BLOCK = { offset: 0, size: FACE_ATTRIBUTES.length } as const;
export const EXPRESSION_BLOCK = {
  offset: FACE_ATTRIBUTES.length,
  size: EXPRESSIONS.length,
} as const;

export class FaceClassifier {
  readonly params: Params;
  private readonly trunk: Layer4D;
  private readonly hidden: Dense;
  private readonly out: Dense;

  constructor(rng: Rng) {
    this.params = new Params('classifier', rng);
    const block = (i: number, inChannels: number, outChannels: number) => [
      conv2d(this.params, `conv${i}`, { inChannels, outChannels, kernel: 4, stride: 2, pad: 1 }),
      relu,
    ];
    // 32 -> 16 -> 8 -> 4 px.
    this.trunk = sequence(...block(0, 3, 16), ...block(1, 16, 32), ...block(2, 32, 64));
    this.hidden = dense(this.params, 'fc', 4 * 4 * 64, FEATURE_DIM);
    this.out = dense(this.params, 'out', FEATURE_DIM, CLASSIFIER_OUTPUTS.length);
  }

  /** Logits for images in [-1, 1], shape [N, H, W, 3]. */
  logits(images: tf.Tensor4D): tf.Tensor2D {
    return tf.tidy(() => this.out.apply(this.features(images)));
  }

  /** Logits from features already computed (a Fréchet figure and label accuracy in one pass). */
  logitsOf(features: tf.Tensor2D): tf.Tensor2D {
    return this.out.apply(features);
  }

  /** The 64 hidden activations before the output layer: the features for Fréchet distances. */
  features(images: tf.Tensor4D): tf.Tensor2D {
    return tf.tidy(() => {
      const x =
        images.shape[1] === CLASSIFIER_SIZE
          ? images
          : tf.image.resizeBilinear(images, [CLASSIFIER_SIZE, CLASSIFIER_SIZE], true);
      const flat = tf.reshape(this.trunk(x), [images.shape[0], -1]) as tf.Tensor2D;
      return tf.relu(this.hidden.apply(flat));
    });
  }

  /** One optimiser step on faces of one kind; returns the loss. */
  trainStep(
    optimizer: tf.Optimizer,
    images: tf.Tensor4D,
    labels: tf.Tensor2D,
    kind: 'attributes' | 'expressions',
  ): tf.Tensor1D {
    return tf.tidy(() =>
      minimizeTerms(optimizer, this.params.list(), () => {
        const logits = this.logits(images);
        const n = images.shape[0];
        const loss =
          kind === 'attributes'
            ? multiLabelBce(tf.slice(logits, [0, 0], [n, ATTRIBUTE_BLOCK.size]), labels)
            : softmaxCrossEntropy(
                tf.slice(logits, [0, EXPRESSION_BLOCK.offset], [n, EXPRESSION_BLOCK.size]),
                labels,
              );
        return { total: loss, terms: [loss] };
      }),
    );
  }

  async save(): Promise<EncodedWeights> {
    return encodeWeights(this.params.named());
  }

  load(weights: EncodedWeights): void {
    assignWeights(this.params.named(), weights);
  }

  dispose(): void {
    this.params.dispose();
  }
}

/**
 * Per-group accuracy of predicted labels against targets, for one block of the classifier's
 * outputs: attributes are scored as hair colour (argmax of the three), Male and Young (sign);
 * expressions as the argmax. Returns values in [0, 1], one number per image group averaged.
 */
export function labelAccuracy(
  logits: tf.Tensor2D,
  targets: tf.Tensor2D,
  block: 'attributes' | 'expressions',
): tf.Scalar {
  return tf.tidy(() => {
    const n = logits.shape[0];
    if (block === 'expressions') {
      const known = tf.slice(logits, [0, EXPRESSION_BLOCK.offset], [n, EXPRESSION_BLOCK.size]);
      return tf.mean(tf.cast(tf.equal(tf.argMax(known, 1), tf.argMax(targets, 1)), 'float32'));
    }
    const hairLogits = tf.slice(logits, [0, 0], [n, 3]);
    const hairTargets = tf.slice(targets, [0, 0], [n, 3]);
    const hair = tf.cast(tf.equal(tf.argMax(hairLogits, 1), tf.argMax(hairTargets, 1)), 'float32');
    const binaryPredicted = tf.greater(tf.slice(logits, [0, 3], [n, 2]), 0);
    const binaryTargets = tf.greater(tf.slice(targets, [0, 3], [n, 2]), 0.5);
    const binary = tf.cast(tf.equal(binaryPredicted, binaryTargets), 'float32');
    return tf.div(tf.add(tf.sum(hair), tf.sum(binary)), 3 * n) as tf.Scalar;
  });
}
