/**
 * StyleGAN-lite's learning figure: the Fréchet distance (face classifier features, 128 real vs
 * 128 G_ema samples, as the image GANs) before and after training in TF.js on the CPU backend.
 *   ITERS=300 EVERY=100 SEED=1 npx vite-node scripts/stylegan-learning.ts
 * Settings: the family's quick ones (16 px, latent 16, width 8, batch 8) unless SIZE/WIDTH given.
 * Or, from the PyTorch twin's checkpoints (scripts/reference/train_stylegan.py writes
 * /tmp/gan-trained/stylegan-<iteration>.weights.*, at the family's defaults):
 *   TWIN=0,500,1000,1500,2000 npx vite-node scripts/stylegan-learning.ts
 * TWIN_NAME picks another run of the twin (its NAME), measured at the config it was trained
 * with, e.g. the quick settings, for the same figure from both sides on one config:
 *   cd scripts/reference && SIZE=16 LATENT=16 WIDTH=8 BATCH=8 NAME=sgq2k SAVE_EVERY=250 \
 *     nice -n 10 /usr/bin/python3 train_stylegan.py
 *   TWIN=0,250,500,750,1000 TWIN_NAME=sgq2k npx vite-node scripts/stylegan-learning.ts
 * The TS run prints the mean losses (D adversarial / R1 / G) of each EVERY iterations too.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';

import { readFileSync } from 'node:fs';
import { registerFastCpuKernels } from '../src/engine/kernels/cpu';
import { measureQuality } from '../src/engine/quality';
import { StyleGanExperiment } from '../src/families/stylegan/experiment';
import {
  STYLEGAN_DEFAULTS,
  type StyleGanConfig,
  styleganFamily,
} from '../src/families/stylegan/spec';
import { loadShippedClassifier } from '../src/test/shippedClassifier';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const seed = env('SEED', 1);
const iterations = env('ITERS', 300);
const every = env('EVERY', 100);
const config: StyleGanConfig = {
  ...STYLEGAN_DEFAULTS,
  ...styleganFamily.quick!.model,
  imageSize: env('SIZE', 16) as StyleGanConfig['imageSize'],
  width: env('WIDTH', 8),
};

registerFastCpuKernels();
await tf.setBackend('cpu');
const { classifier, accuracy } = loadShippedClassifier();
const resources = { classifier, classifierAccuracy: accuracy, uploaded: null };
const twinSteps = process.env.TWIN?.split(',').map(Number);

if (twinSteps) {
  const dir = process.env.DATA ?? '/tmp/gan-trained';
  const prefix = process.env.TWIN_NAME ?? 'stylegan';
  // The twin's config (train_stylegan.py writes it next to the weights) over our defaults.
  const twinConfig = (
    JSON.parse(readFileSync(`${dir}/${prefix}-${twinSteps[0]}.weights.json`, 'utf8')) as {
      config: Partial<StyleGanConfig>;
    }
  ).config;
  const experiment = new StyleGanExperiment(
    { ...STYLEGAN_DEFAULTS, ...twinConfig },
    seed,
    resources,
  );
  const variables = new Map(experiment.networks().generators.flatMap((p) => [...p.named()]));
  console.log(`StyleGAN-lite twin checkpoints, measured here, seed ${seed}`);
  console.log('| iteration | Fréchet distance | real vs real |');
  console.log('| --- | --- | --- |');
  let first = Number.NaN;
  let last = Number.NaN;
  for (const step of twinSteps) {
    const meta = JSON.parse(readFileSync(`${dir}/${prefix}-${step}.weights.json`, 'utf8')) as {
      weights: { name: string; shape: number[] }[];
    };
    const bytes = readFileSync(`${dir}/${prefix}-${step}.weights.bin`);
    const values = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteLength));
    let offset = 0;
    for (const { name, shape } of meta.weights) {
      const size = shape.reduce((a, b) => a * b, 1);
      const variable = variables.get(name);
      if (!variable) throw new Error(`No weight ${name} here`);
      tf.tidy(() => variable.assign(tf.tensor(values.subarray(offset, offset + size), shape)));
      offset += size;
    }
    const q = (await measureQuality(experiment, step))!;
    console.log(`| ${step} | ${q[0]!.toFixed(1)} | ${q[1]!.toFixed(1)} |`);
    if (Number.isNaN(first)) first = q[0]!;
    last = q[0]!;
  }
  console.log(`Fréchet distance cut by ${(100 * (1 - last / first)).toFixed(1)}%`);
  experiment.dispose();
  process.exit(0);
}

const experiment = new StyleGanExperiment(config, seed, resources);
console.log(`StyleGAN-lite, TF.js cpu, seed ${seed}:`, JSON.stringify(config));
console.log('| iteration | Fréchet distance | real vs real | seconds |');
console.log('| --- | --- | --- | --- |');
const start = performance.now();
const row = async (i: number) => {
  const q = (await measureQuality(experiment, i))!;
  const seconds = ((performance.now() - start) / 1000).toFixed(0);
  console.log(`| ${i} | ${q[0]!.toFixed(1)} | ${q[1]!.toFixed(1)} | ${seconds} |`);
  return q[0]!;
};
const first = await row(0);
let last = first;
const sums = [0, 0, 0];
for (let i = 1; i <= iterations; i++) {
  const { losses } = experiment.step('both');
  for (const [k, v] of losses.dataSync().entries()) sums[k]! += v;
  losses.dispose();
  if (i % every === 0) {
    const mean = sums.map((v) => (v / every).toFixed(3)).join(' / ');
    console.log(`losses (D adversarial / R1 / G), mean of the last ${every}: ${mean}`);
    sums.fill(0);
    last = await row(i);
  }
}
console.log(
  `Fréchet distance cut by ${(100 * (1 - last / first)).toFixed(1)}% in ${iterations} iterations`,
);
experiment.dispose();
