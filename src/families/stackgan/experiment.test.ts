import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/random';
import { encodeCaption } from '../../data/captions';
import { latentBatch } from '../../data/latents';
import { NO_RESOURCES } from '../../engine/experiment';
import { loadShippedClassifier } from '../../test/shippedClassifier';
import { pickWrong, StackGanExperiment } from './experiment';
import { stackganFamily } from './spec';

const TINY = stackganFamily.testSizes.tiny[0]!;

function request(experiment: StackGanExperiment, caption: string | null, seed = 1) {
  const { zDim, embeddingDim } = experiment.info;
  const rows = latentBatch(seed, 2, zDim + embeddingDim);
  const noise = new Float32Array(rows.flatMap((r) => [...r]));
  const embedding = caption === null ? null : encodeCaption(caption);
  return { kind: 'stages', embedding, noise, count: 2 } as const;
}

describe('StackGAN++ experiment', () => {
  it('renders every stage side by side at the finest size, by caption and latent', () => {
    const experiment = new StackGanExperiment(TINY, 1, NO_RESOURCES);
    experiment.step('both').losses.dispose();
    const draw = (caption: string, seed = 1) =>
      tf.tidy(() => Array.from(experiment.render(request(experiment, caption, seed)).dataSync()));
    const shape = tf.tidy(() => experiment.render(request(experiment, 'a young man')).shape);
    expect(shape).toEqual([2 * 3, 32, 32, 3]);
    const a = draw('a smiling young woman with blond hair');
    expect(draw('a smiling young woman with blond hair')).toEqual(a);
    expect(draw('an old man with black hair')).not.toEqual(a);
    expect(draw('a smiling young woman with blond hair', 2)).not.toEqual(a);
    // An unknown word is left out of the embedding: the output is that of the caption without it.
    expect(draw('a smiling young wizard woman with blond hair')).toEqual(a);
    expect(() => experiment.render({ ...request(experiment, 'a'), count: 3 })).toThrow(/Noise/);
    experiment.dispose();
  });

  it('pairs each caption with a wrong face of other attributes', () => {
    const attributes = Array.from({ length: 40 }, (_, i) => ({
      hair: i % 3,
      male: i % 2 === 0,
      young: i % 5 < 2,
      smiling: i % 7 < 3,
    }));
    const rng = new Rng(4);
    for (let index = 0; index < attributes.length; index++) {
      const wrong = attributes[pickWrong(attributes, index, rng)]!;
      expect(wrong).not.toEqual(attributes[index]);
    }
  });

  it('names a Fréchet distance and a caption agreement per stage, agreement in text mode only', () => {
    const { classifier, accuracy } = loadShippedClassifier();
    const resources = { ...NO_RESOURCES, classifier, classifierAccuracy: accuracy };
    const text = new StackGanExperiment(TINY, 3, resources);
    expect(text.info.qualityNames).toEqual([
      'Fréchet 8 px',
      'Fréchet 16 px',
      'Fréchet 32 px',
      'Caption agreement 8 px',
      'Caption agreement 16 px',
      'Caption agreement 32 px',
    ]);
    const plain = new StackGanExperiment({ ...TINY, mode: 'unconditional' }, 3, resources);
    expect(plain.info.qualityNames).toEqual(['Fréchet 8 px', 'Fréchet 16 px', 'Fréchet 32 px']);
    for (const e of [text, plain]) e.dispose();
    classifier.dispose();
  });
});
