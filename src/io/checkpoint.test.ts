import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Rng } from '../core/random';
import type { ModelNetworks } from '../models/shared/networks';
import { makeOptimizer, type OptimizerName } from '../models/shared/optim';
import { Params } from '../models/shared/params';
import { captureWeights, expectedSpecs, restoreWeights } from './checkpoint';

function model(optimizerName: OptimizerName): ModelNetworks & { params: Params } {
  const params = new Params('G', new Rng(1));
  params.uniform('W', [3, 2], 1);
  params.state('running', [2], 0.5);
  const optimizer = makeOptimizer(optimizerName, 0.01, 0.5, 0.999);
  return { params, generators: [params], others: [], optimizers: [{ optimizer, params }] };
}

function train(m: ReturnType<typeof model>, steps: number): void {
  for (let i = 0; i < steps; i++) {
    m.optimizers[0]!.optimizer.minimize(() => tf.sum(tf.square(tf.sub(m.params.list()[0]!, 0.3))));
  }
}

async function copy(from: ReturnType<typeof model>, to: ReturnType<typeof model>) {
  const { specs, flat } = await captureWeights(from, 'full');
  const values = tf.io.decodeWeights((await flat.data()).buffer as ArrayBuffer, specs);
  await restoreWeights(to, 'full', new Map(Object.entries(values)));
  tf.dispose([flat, ...Object.values(values)]);
  return specs;
}

describe('checkpoint', () => {
  it.each(['adam', 'rmsprop', 'sgd'] as const)(
    '%s: slots and counters survive, so training goes on bit for bit after 200 steps',
    async (name) => {
      const a = model(name);
      const b = model(name);
      train(a, 200);
      await copy(a, b);
      train(a, 5);
      train(b, 5);
      expect(b.params.list()[0]!.dataSync()).toEqual(a.params.list()[0]!.dataSync());
    },
  );

  it("restores Adam's running beta powers exactly, not as TF.js's setWeights recomputes them", async () => {
    const a = model('adam');
    const b = model('adam');
    train(a, 200);
    await copy(a, b);
    type Powers = { accBeta1: tf.Variable; accBeta2: tf.Variable };
    const [pa, pb] = [a, b].map((m) => m.optimizers[0]!.optimizer as unknown as Powers);
    expect(pb!.accBeta2.dataSync()).toEqual(pa!.accBeta2.dataSync());
    expect(pb!.accBeta1.dataSync()).toEqual(pa!.accBeta1.dataSync());
  });

  it('names weights, slots and counters as the expected specs do, in order', async () => {
    const a = model('adam');
    train(a, 1);
    const specs = await copy(a, model('adam'));
    expect(specs.map((s) => s.name)).toEqual([
      'G/W',
      'G/running',
      'opt/G/iterations',
      'opt/G/beta1_power',
      'opt/G/beta2_power',
      'opt/G/W/m',
      'opt/G/W/v',
    ]);
    expect(expectedSpecs(a, 'full', () => true)).toEqual(specs);
    expect(expectedSpecs(a, 'generator', () => true).map((s) => s.name)).toEqual([
      'G/W',
      'G/running',
    ]);
  });
});
