import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { NO_RESOURCES } from '../../engine/experiment';
import { domainClassificationLoss } from '../../models/stargan';
import { TINY_STARGAN, uploadedData } from '../../test/tinyConfigs';
import { StarGanExperiment } from './experiment';
import { attributeTargets, labelCaption, labelTargets } from './labels';

const tiny = TINY_STARGAN;

async function rows(experiment: StarGanExperiment, steps: number): Promise<number[][]> {
  const out: number[][] = [];
  for (let i = 0; i < steps; i++) {
    const { losses } = experiment.step('both');
    out.push(Array.from(await losses.data()));
    losses.dispose();
  }
  return out;
}

describe('StarGAN experiment', () => {
  it('gives the same losses for the same seed', async () => {
    const a = new StarGanExperiment(tiny, 5, NO_RESOURCES);
    const b = new StarGanExperiment(tiny, 5, NO_RESOURCES);
    const first = await rows(a, 3);
    expect(await rows(b, 3)).toEqual(first);
    expect(first[0]!.every(Number.isFinite)).toBe(true);
    a.dispose();
    b.dispose();
  });

  it('updates G once per nCritic iterations, on the first of them, and reports its latest losses', async () => {
    const experiment = new StarGanExperiment({ ...tiny, nCritic: 3 }, 1, NO_RESOURCES);
    const snapshot = async () => Array.from(await experiment.model.paramsG.list()[0]!.data());
    const gLosses: number[][] = [];
    const gChanged: boolean[] = [];
    for (let i = 0; i < 4; i++) {
      const before = await snapshot();
      const { losses, computed } = experiment.step('both');
      expect(computed).toEqual([true, true, true, true, true, true]);
      gLosses.push(Array.from(await losses.data()).slice(3));
      losses.dispose();
      gChanged.push((await snapshot()).some((v, k) => v !== before[k]));
    }
    expect(gChanged).toEqual([true, false, false, true]);
    expect(gLosses[1]).toEqual(gLosses[0]);
    expect(gLosses[2]).toEqual(gLosses[0]);
    expect(gLosses[3]).not.toEqual(gLosses[0]);
    experiment.dispose();
  });

  it('shows NaN only for a network that has never trained', async () => {
    const experiment = new StarGanExperiment(tiny, 1, NO_RESOURCES);
    const { losses, computed } = experiment.step('D');
    expect(computed).toEqual([true, true, true, false, false, false]);
    const values = Array.from(await losses.data());
    expect(values.slice(3).every(Number.isNaN)).toBe(true);
    losses.dispose();
    experiment.dispose();
  });

  it('builds c with the mask vector and zeros for the other data set', () => {
    const experiment = new StarGanExperiment({ ...tiny, data: 'both' }, 1, NO_RESOURCES);
    expect(experiment.conditionFor('celeba', [0, 1, 0, 1, 0])).toEqual([
      0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0,
    ]);
    expect(experiment.conditionFor('rafd', [0, 0, 1, 0, 0])).toEqual([
      0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1,
    ]);
    expect(experiment.model.D(tf.zeros([1, 16, 16, 3])).cls.shape).toEqual([1, 10]);
    experiment.dispose();
  });

  it('has no mask in single-data-set mode', () => {
    const experiment = new StarGanExperiment(tiny, 1, NO_RESOURCES);
    expect(experiment.conditionFor('celeba', [1, 0, 0, 0, 1])).toEqual([1, 0, 0, 0, 1]);
    expect(() => experiment.conditionFor('rafd', [1, 0, 0, 0, 0])).toThrow(/not trained on rafd/);
    experiment.dispose();
  });

  it('keeps the tensor count flat over steps, frames and slider renders', async () => {
    const experiment = new StarGanExperiment({ ...tiny, data: 'both' }, 2, NO_RESOURCES);
    experiment.step('both').losses.dispose();
    const inputs = new Map([['upload', experiment.info.preview.images.slice(0, 16 * 16 * 3)]]);
    const render = async (v: number) => {
      const out = experiment.render(
        {
          kind: 'translate',
          inputs: ['preview-1', 'upload'],
          domain: 'celeba',
          values: [1, 0, 0, v, 0],
        },
        inputs,
      );
      await out.data();
      out.dispose();
    };
    const frame = async () => {
      const f = experiment.frameTensor();
      experiment.decodeFrame((await f.data()) as Float32Array, 0);
      f.dispose();
    };
    await render(0);
    await frame();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 6; i++) {
      experiment.step(i % 2 === 0 ? 'both' : 'D').losses.dispose();
      await render(i / 6);
    }
    await frame();
    expect(tf.memory().numTensors).toBe(before);
    experiment.dispose();
  });

  it('draws the reference test grid: the input, then each target', async () => {
    const experiment = new StarGanExperiment(tiny, 1, NO_RESOURCES);
    expect(experiment.info.gridColumns).toEqual([
      'Input',
      'Black hair',
      'Blond hair',
      'Brown hair',
      'Gender',
      'Age',
      'Hair + gender',
      'Hair + age',
      'Gender + age',
      'All three',
    ]);
    const tensor = experiment.frameTensor();
    const frame = experiment.decodeFrame((await tensor.data()) as Float32Array, 0);
    tensor.dispose();
    expect(frame.grid).toMatchObject({ rows: 3, cols: 10, size: 16 });
    expect(frame.grid.pixels.length).toBe(3 * 10 * 16 * 16 * 4);
    expect(frame.quality).toBeNull();
    experiment.dispose();
  });

  it('renders exactly what G gives for the slider values, repeatably', async () => {
    const experiment = new StarGanExperiment(tiny, 1, NO_RESOURCES);
    const at = async (male: number) => {
      const out = experiment.render(
        { kind: 'translate', inputs: ['preview-0'], domain: 'celeba', values: [0, 1, 0, male, 1] },
        new Map(),
      );
      const values = Array.from(await out.data());
      out.dispose();
      return values;
    };
    const original = await at(0);
    expect(await at(0.7)).not.toEqual(original);
    expect(await at(0)).toEqual(original);
    const tooSmall = new Map([['small', new Float32Array(5)]]);
    const request = { kind: 'translate', inputs: ['small'], domain: 'celeba', values: [] } as const;
    expect(() => experiment.render(request, tooSmall)).toThrow(/16 x 16/);
    expect(() => experiment.render({ ...request, inputs: ['missing'] }, tooSmall)).toThrow(
      /No face "missing"/,
    );
    experiment.dispose();
  });
});

describe('grid targets and the classification loss', () => {
  it('sets hair one-hot and flips Male and Young, alone and combined', () => {
    const targets = attributeTargets([0, 0, 1, 1, 0]);
    const byTitle = Object.fromEntries(targets.map((t) => [t.title, t.labels]));
    expect(byTitle['Black hair']).toEqual([1, 0, 0, 1, 0]);
    expect(byTitle.Gender).toEqual([0, 0, 1, 0, 0]);
    expect(byTitle.Age).toEqual([0, 0, 1, 1, 1]);
    expect(byTitle['Hair + gender']).toEqual([1, 0, 0, 0, 0]);
    expect(byTitle['All three']).toEqual([1, 0, 0, 0, 1]);
  });

  it('scores only the known block of D’s logits', async () => {
    const labels = tf.tensor2d([[1, 0, 0, 1, 0]]);
    const block = { offset: 0, size: 5, kind: 'attributes' as const };
    const base = [0.5, -1, 2, 0, 1];
    const a = domainClassificationLoss(tf.tensor2d([[...base, 9, 9, 9, 9, 9]]), labels, block);
    const b = domainClassificationLoss(tf.tensor2d([[...base, -3, 0, 4, 1, 2]]), labels, block);
    expect((await a.data())[0]).toBeCloseTo((await b.data())[0]!, 6);
    const oneOf = { offset: 5, size: 5, kind: 'oneOf' as const };
    const onehot = tf.tensor2d([[0, 0, 1, 0, 0]]);
    const ce = domainClassificationLoss(tf.tensor2d([[...base, 0, 0, 0, 0, 0]]), onehot, oneOf);
    expect((await ce.data())[0]).toBeCloseTo(Math.log(5), 5);
  });
});

describe('StarGAN on an uploaded data set', () => {
  const config = { ...tiny, data: 'uploaded' as const, datasetId: 'set' };

  it('trains on its labels, with a held-out grid and one-of-N targets for its group', async () => {
    const uploaded = uploadedData(40, ['Red_Hair', 'Grey_Hair', 'Glasses'], [0, 1]);
    const experiment = new StarGanExperiment(config, 1, { ...NO_RESOURCES, uploaded });
    expect(experiment.info.domains).toEqual([
      {
        name: 'celeba',
        title: 'Attributes (mine)',
        labels: ['Red_Hair', 'Grey_Hair', 'Glasses'],
        kind: 'attributes',
        group: [0, 1],
      },
    ]);
    expect(experiment.info.gridColumns).toEqual(['Input', 'Red Hair', 'Grey Hair', 'Glasses']);
    expect(experiment.info.preview.count).toBe(4);
    await rows(experiment, 1);
    const before = tf.memory().numTensors;
    const losses = await rows(experiment, 3);
    expect(losses.every((row) => row.every(Number.isFinite))).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
    const frame = experiment.frameTensor();
    expect(experiment.decodeFrame((await frame.data()) as Float32Array, 3).quality).toBeNull();
    frame.dispose();
    experiment.dispose();
  });

  it('says what is missing: the data set, or labels', () => {
    expect(() => new StarGanExperiment(config, 1, NO_RESOURCES)).toThrow(
      'Choose an uploaded data set to train on',
    );
    const unlabelled = uploadedData(8, [], []);
    expect(
      () => new StarGanExperiment(config, 1, { ...NO_RESOURCES, uploaded: unlabelled }),
    ).toThrow('StarGAN needs labels; “mine” has none (use it with an image GAN)');
  });

  it('builds generic targets and captions', () => {
    const info = { labels: ['A', 'B', 'C_x'], group: [0, 1] };
    expect(labelTargets([1, 0, 0], info)).toEqual([
      { title: 'A', labels: [1, 0, 0] },
      { title: 'B', labels: [0, 1, 0] },
      { title: 'C x', labels: [1, 0, 1] },
    ]);
    expect(labelCaption([0, 1, 1], info)).toBe('B · C x');
    expect(labelCaption([0, 0, 0], info)).toBe('none');
  });
});
