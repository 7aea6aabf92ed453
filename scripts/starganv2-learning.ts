/**
 * StarGAN v2's learning figures, with the app's own quality row (domain accuracy, diversity L1,
 * content error, reference fur error) measured by the experiment on its held-out animals.
 *
 * From checkpoints of the PyTorch twin trained as the reference trains (fast on a CPU; see
 * scripts/reference/train_starganv2.py), for lambda_ds = 1 and the lambda_ds = 0 ablation:
 *   RUNS=/tmp/v2-ds1,/tmp/v2-ds0 npx vite-node scripts/starganv2-learning.ts
 * Or training here, in TF.js on the CPU backend (slow: seconds per iteration on a CPU):
 *   ITERS=100 EVERY=20 LAMBDA_DS=1,0 npx vite-node scripts/starganv2-learning.ts
 * Or the TF.js model's own short learning figure (LOSSES=1): the unit tests' tiny config at
 * lr 1e-3 (F 1e-5), batch 4, trained ITERS (40) iterations; prints each loss term's mean over
 * the first and the last 5 iterations (the live networks' terms, so the EMA plays no part).
 *   LOSSES=1 ITERS=40 npx vite-node scripts/starganv2-learning.ts
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { NO_RESOURCES } from '../src/engine/experiment';
import { registerFastCpuKernels } from '../src/engine/kernels/cpu';
import { measureQuality } from '../src/engine/quality';
import { StarGanV2Experiment } from '../src/families/starganv2/experiment';
import { QUICK_V2, starganv2Family } from '../src/families/starganv2/spec';
import { assign, type EncodedMap, variablesOf } from '../src/models/parity/fixture';
import {
  STARGANV2_DEFAULTS,
  STARGANV2_LOSS_NAMES,
  type StarGanV2Config,
} from '../src/models/starganv2.config';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const seed = env('SEED', 1);
const config: StarGanV2Config = { ...STARGANV2_DEFAULTS, ...QUICK_V2, latentDim: 16 };

registerFastCpuKernels();
await tf.setBackend('cpu');

const header = () => {
  console.log(
    '| iteration | domain accuracy | diversity L1 | content error | reference fur error |',
  );
  console.log('| --- | --- | --- | --- | --- |');
};
async function row(experiment: StarGanV2Experiment, iteration: number) {
  const q = (await measureQuality(experiment, iteration))!;
  const f = (v: number | undefined) => (v === undefined ? '-' : v.toFixed(3));
  console.log(
    `| ${iteration} | ${(100 * q[0]!).toFixed(1)}% | ${f(q[1])} | ${f(q[2])} | ${f(q[3])} |`,
  );
}

const runs = process.env.RUNS?.split(',');
if (process.env.LOSSES === '1') {
  const iterations = env('ITERS', 40);
  const tiny = starganv2Family.testSizes.tiny[0]!;
  const lr = 1e-3;
  const experiment = new StarGanV2Experiment(
    { ...tiny, lr, fLr: lr / 100, batchSize: 4, dsIter: iterations },
    seed,
    NO_RESOURCES,
  );
  const rows: Float32Array[] = [];
  const started = Date.now();
  for (let i = 0; i < iterations; i++) {
    const { losses } = experiment.step('both');
    rows.push((await losses.data()) as Float32Array);
    losses.dispose();
  }
  const seconds = (Date.now() - started) / 1000;
  console.log(`TF.js CPU, seed ${seed}, ${iterations} iterations in ${seconds.toFixed(0)} s`);
  const mean = (from: number, to: number, k: number) =>
    rows.slice(from, to).reduce((sum, r) => sum + r[k]!, 0) / (to - from);
  console.log('| term | iterations 1-5 | last 5 |\n| --- | --- | --- |');
  STARGANV2_LOSS_NAMES.forEach((name, k) => {
    console.log(
      `| ${name} | ${mean(0, 5, k).toFixed(3)} | ${mean(iterations - 5, iterations, k).toFixed(3)} |`,
    );
  });
  experiment.dispose();
} else if (runs) {
  for (const dir of runs) {
    const experiment = new StarGanV2Experiment(config, seed, NO_RESOURCES);
    const m = experiment.model;
    const variables = variablesOf(m.paramsGEma, m.paramsFEma, m.paramsEEma);
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .sort();
    const first = JSON.parse(readFileSync(join(dir, files[0]!), 'utf8')) as { lambdaDs: number };
    console.log(`\n${dir}: lambda_ds = ${first.lambdaDs}; reader:`, experiment.info.readerAccuracy);
    header();
    for (const file of files) {
      const checkpoint = JSON.parse(readFileSync(join(dir, file), 'utf8')) as {
        step: number;
        weights: EncodedMap;
      };
      assign(variables, checkpoint.weights);
      await row(experiment, checkpoint.step);
    }
    experiment.dispose();
  }
} else {
  const iterations = env('ITERS', 100);
  const every = env('EVERY', 20);
  for (const lambdaDs of (process.env.LAMBDA_DS ?? '1,0').split(',').map(Number)) {
    const experiment = new StarGanV2Experiment(
      { ...config, lambdaDs, dsIter: iterations },
      seed,
      NO_RESOURCES,
    );
    console.log(`\nTF.js, lambda_ds = ${lambdaDs}, seed ${seed}:`, JSON.stringify(config));
    header();
    await row(experiment, 0);
    for (let i = 1; i <= iterations; i++) {
      experiment.step('both').losses.dispose();
      if (i % every === 0) await row(experiment, i);
    }
    experiment.dispose();
  }
}
