/**
 * Trains the face classifier that scores StarGAN's translations and writes its weights to
 * public/models/ (TF.js weights-manifest format). Seeded: the same run gives the same file.
 *   npm run train:classifier
 */
import { writeFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { Rng } from '../src/core/random';
import { FaceDataset, type FaceSize } from '../src/data/faces';
import { registerFastCpuKernels } from '../src/engine/kernels/cpu';
import { FaceClassifier, labelAccuracy } from '../src/metrics/faceClassifier';
import { CLASSIFIER_FILES } from '../src/metrics/faceClassifierFiles';
import { linearDecay, setLearningRate } from '../src/models/shared/optim';

const SEED = 2024;
const STEPS = Number(process.env.STEPS ?? 3000);
const LR = 1e-3;
const BATCH = 32;
const SIZES: FaceSize[] = [16, 32, 64];
const TRAIN_COUNT: Record<FaceSize, number> = { 16: 1500, 32: 3000, 64: 600 };

registerFastCpuKernels();
await tf.setBackend('cpu');
const rng = new Rng(SEED);
const started = Date.now();
const sets = SIZES.map((size) => ({
  size,
  celeba: new FaceDataset('celeba', TRAIN_COUNT[size], size, rng.fork(`celeba${size}`)),
  rafd: new FaceDataset('rafd', TRAIN_COUNT[size], size, rng.fork(`rafd${size}`)),
}));
console.log(`data: ${((Date.now() - started) / 1000).toFixed(1)} s`);

function batch(dataset: FaceDataset, indices: number[]) {
  const images = new Float32Array(indices.length * dataset.pixelsPerImage);
  const labels = new Float32Array(indices.length * dataset.labelNames.length);
  indices.forEach((index, i) => {
    images.set(dataset.image(index), i * dataset.pixelsPerImage);
    labels.set(dataset.label(index), i * dataset.labelNames.length);
  });
  return {
    images: tf.tensor4d(images, [indices.length, dataset.size, dataset.size, 3]),
    labels: tf.tensor2d(labels, [indices.length, dataset.labelNames.length]),
  };
}

const classifier = new FaceClassifier(rng.fork('weights'));
const optimizer = tf.train.adam(LR);
const pick = rng.fork('batches');
for (let step = 1; step <= STEPS; step++) {
  // The expression cues are a few pixels; a decaying rate lets the last steps settle on them.
  setLearningRate(optimizer, linearDecay(LR, step, STEPS));
  const set = sets[step % sets.length]!;
  for (const [dataset, kind] of [
    [set.celeba, 'attributes'],
    [set.rafd, 'expressions'],
  ] as const) {
    const { images, labels } = batch(
      dataset,
      Array.from({ length: BATCH / 2 }, () => pick.int(dataset.count)),
    );
    const loss = classifier.trainStep(optimizer, images, labels, kind);
    if (step % 250 === 0)
      console.log(`step ${step} ${kind} loss ${(await loss.data())[0]!.toFixed(4)}`);
    tf.dispose([images, labels, loss]);
  }
}

const accuracy: Record<string, number> = {};
const held = rng.fork('held-out');
for (const size of SIZES) {
  for (const [kind, block] of [
    ['celeba', 'attributes'],
    ['rafd', 'expressions'],
  ] as const) {
    const test = new FaceDataset(kind, 256, size, held.fork(`${kind}${size}`));
    const { images, labels } = batch(
      test,
      Array.from({ length: test.count }, (_, i) => i),
    );
    const logits = classifier.logits(images);
    const acc = labelAccuracy(logits, labels, block);
    accuracy[`${block}@${size}px`] = Number((await acc.data())[0]!.toFixed(4));
    tf.dispose([images, labels, logits, acc]);
  }
}
console.log('held-out accuracy', accuracy);

const { specs, data } = await classifier.save();
const manifest = {
  format: 'gan-playground/face-classifier',
  version: 1,
  trainedWith: { seed: SEED, steps: STEPS, batch: BATCH, lr: LR, sizes: SIZES },
  heldOutAccuracy: accuracy,
  weightsManifest: [{ paths: [CLASSIFIER_FILES.weights], weights: specs }],
};
writeFileSync(
  `public/models/${CLASSIFIER_FILES.manifest}`,
  `${JSON.stringify(manifest, null, 2)}\n`,
);
writeFileSync(`public/models/${CLASSIFIER_FILES.weights}`, Buffer.from(data));
console.log(
  `wrote public/models/${CLASSIFIER_FILES.manifest} in ${((Date.now() - started) / 1000).toFixed(0)} s`,
);
