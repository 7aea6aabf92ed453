/**
 * The app's StackGAN++ figures for each checkpoint of a PyTorch twin run
 * (scripts/reference/train_stackgan.py): loads G and its weight average into our experiment and
 * measures, per stage, the Fréchet distance to 128 held-out faces on the face classifier's
 * features and the caption agreement, exactly as the page does (TF.js CPU backend, seed 1).
 *   npx vite-node scripts/stackgan-twin-quality.ts [name, default stackgan]
 *   LIVE=1 ...   the live G's weights instead of their average, for comparison
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { measureQuality } from '../src/engine/quality';
import { StackGanExperiment } from '../src/families/stackgan/experiment';
import { STACKGAN_DEFAULTS, type StackGanConfig } from '../src/models/stackgan.config';
import { loadShippedClassifier } from '../src/test/shippedClassifier';

const DATA = process.env.DATA ?? '/tmp/gan-trained';
const name = process.argv[2] ?? 'stackgan';
const checkpoints = readdirSync(DATA)
  .map((f) => new RegExp(`^${name}-(\\d+)\\.weights\\.json$`).exec(f)?.[1])
  .filter((v): v is string => v !== undefined)
  .map(Number)
  .sort((a, b) => a - b);

await tf.setBackend('cpu');
const { classifier, accuracy } = loadShippedClassifier();
let header = false;
for (const step of checkpoints) {
  const meta = JSON.parse(readFileSync(join(DATA, `${name}-${step}.weights.json`), 'utf8'));
  const bytes = readFileSync(join(DATA, `${name}-${step}.weights.bin`));
  const values = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteLength));
  // Only the generators are read: the training faces are not needed beyond a few.
  const config: StackGanConfig = { ...STACKGAN_DEFAULTS, ...meta.config, datasetSize: 16 };
  const experiment = new StackGanExperiment(config, 1, {
    classifier,
    classifierAccuracy: accuracy,
    uploaded: null,
  });
  const { generators, others } = experiment.networks();
  // The average (the file's generator) and the live G (the first of the others).
  const variables = new Map([...generators, others[0]!].flatMap((p) => [...p.named()]));
  let offset = 0;
  for (const { name: weight, shape } of meta.weights as { name: string; shape: number[] }[]) {
    // LIVE=1 samples from the live G's weights instead of their average (a comparison).
    const target = process.env.LIVE === '1' ? weight.replace(/^G\//, 'Gema/') : weight;
    if (process.env.LIVE === '1' && weight.startsWith('Gema/')) {
      offset += shape.reduce((a, b) => a * b, 1);
      continue;
    }
    const variable = variables.get(target);
    if (!variable || variable.shape.join() !== shape.join()) throw new Error(`${weight} differs`);
    const size = shape.reduce((a, b) => a * b, 1);
    tf.tidy(() => variable.assign(tf.tensor(values.subarray(offset, offset + size), shape)));
    offset += size;
  }
  if (offset !== values.length || variables.size !== meta.weights.length) {
    throw new Error('The twin and our generators hold different weights');
  }
  const row = (await measureQuality(experiment))!;
  if (!header) {
    console.log(`twin run ${name}: ${JSON.stringify(meta.config)}`);
    console.log(`| iteration | ${experiment.info.qualityNames.join(' | ')} | twin seconds |`);
    console.log(`| --- | ${experiment.info.qualityNames.map(() => '---').join(' | ')} | --- |`);
    header = true;
  }
  const stages = experiment.info.sizes.length;
  const cells = row.map((v, i) => (i < stages ? v.toFixed(1) : `${(100 * v).toFixed(1)}%`));
  console.log(`| ${step} | ${cells.join(' | ')} | ${meta.training.seconds} |`);
  experiment.dispose();
}
classifier.dispose();
