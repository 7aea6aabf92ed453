import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import {
  adam,
  linearDecay,
  makeOptimizer,
  minimizeTerms,
  setLearningRate,
  TorchRmsProp,
} from './optim';

describe('schedules', () => {
  it('decays linearly to zero over the second half of the run', () => {
    expect(linearDecay(1e-4, 0, 1000)).toBe(1e-4);
    expect(linearDecay(1e-4, 500, 1000)).toBe(1e-4);
    expect(linearDecay(1e-4, 750, 1000)).toBeCloseTo(5e-5, 12);
    expect(linearDecay(1e-4, 1000, 1000)).toBe(0);
    expect(linearDecay(1e-4, 2000, 1000)).toBe(0);
  });

  it('changes the learning rate an optimiser applies', () => {
    const w = tf.variable(tf.scalar(0));
    const sgd = tf.train.sgd(1);
    const loss = () => {
      const term = tf.mul(w, 2) as tf.Scalar; // d/dw = 2
      return { total: term, terms: [term] };
    };
    minimizeTerms(sgd, [w], loss).dispose();
    expect(w.dataSync()[0]).toBeCloseTo(-2, 6);
    setLearningRate(sgd, 0.25);
    minimizeTerms(sgd, [w], loss).dispose();
    expect(w.dataSync()[0]).toBeCloseTo(-2.5, 6);
    tf.dispose([w]);
    sgd.dispose();
  });

  it('changes the step size of Adam, whose first step is lr times the gradient sign', () => {
    const w = tf.variable(tf.scalar(0));
    const adam = tf.train.adam(0.1);
    const loss = () => {
      const term = tf.mul(w, 3) as tf.Scalar;
      return { total: term, terms: [term] };
    };
    setLearningRate(adam, 0.01);
    minimizeTerms(adam, [w], loss).dispose();
    expect(w.dataSync()[0]).toBeCloseTo(-0.01, 5);
    w.dispose();
    adam.dispose();
  });
});

describe('optimisers as PyTorch computes them', () => {
  const quadratic = (w: tf.Variable, slope: number) => () => {
    const term = tf.mul(w, slope) as tf.Scalar; // d/dw = slope
    return { total: term, terms: [term] };
  };

  it('Adam uses epsilon 1e-8, as torch.optim.Adam', () => {
    const optimizer = makeOptimizer('adam', 0.1, 0.5, 0.999) as tf.AdamOptimizer;
    expect(optimizer.getConfig().epsilon).toBe(1e-8);
    expect(adam(0.1, 0.5, 0.9).getConfig().epsilon).toBe(1e-8);
    // First step: lr g / (|g| + eps); with g = 1e-7 that is lr / 1.1, not TF.js's lr / 2.
    const w = tf.variable(tf.scalar(0));
    minimizeTerms(optimizer, [w], quadratic(w, 1e-7)).dispose();
    expect(w.dataSync()[0]).toBeCloseTo(-0.1 / 1.1, 5);
    w.dispose();
    optimizer.dispose();
  });

  it('RMSprop divides by sqrt(v) + eps, not sqrt(v + eps)', () => {
    const lr = 0.01;
    const w = tf.variable(tf.scalar(1));
    const rmsprop = makeOptimizer('rmsprop', lr, 0, 0);
    expect(rmsprop).toBeInstanceOf(TorchRmsProp);
    // g = 1e-4: v = 0.01 g^2 = 1e-10, step = lr g / (1e-5 + 1e-8) = 9.99 lr (TF.js: 0.995 lr).
    minimizeTerms(rmsprop, [w], quadratic(w, 1e-4)).dispose();
    let v = 0.01 * 1e-8;
    let expected = 1 - (lr * 1e-4) / (Math.sqrt(v) + 1e-8);
    expect(w.dataSync()[0]).toBeCloseTo(expected, 6);
    // A second step with g = 3: v = 0.99 v + 0.01 * 9.
    minimizeTerms(rmsprop, [w], quadratic(w, 3)).dispose();
    v = 0.99 * v + 0.01 * 9;
    expected -= (lr * 3) / (Math.sqrt(v) + 1e-8);
    expect(w.dataSync()[0]).toBeCloseTo(expected, 6);
    w.dispose();
    rmsprop.dispose();
  });

  it("RMSprop with momentum keeps PyTorch's buffer b = m b + g / (sqrt(v) + eps)", () => {
    const lr = 0.01;
    const w = tf.variable(tf.scalar(0));
    const rmsprop = new TorchRmsProp(lr, 0.9, 0.5);
    let v = 0;
    let b = 0;
    let expected = 0;
    for (const g of [2, -1, 0.5]) {
      minimizeTerms(rmsprop, [w], quadratic(w, g)).dispose();
      v = 0.9 * v + 0.1 * g * g;
      b = 0.5 * b + g / (Math.sqrt(v) + 1e-8);
      expected -= lr * b;
      expect(w.dataSync()[0]).toBeCloseTo(expected, 6);
    }
    w.dispose();
    rmsprop.dispose();
  });

  it("saves RMSprop's state as TF.js's RMSProp did, and resumes bit for bit", async () => {
    const make = () => {
      const vars: tf.Variable[] = [
        tf.variable(tf.tensor1d([0.5, -0.25])),
        tf.variable(tf.scalar(0.1)),
      ];
      return { vars, opt: new TorchRmsProp(0.01, 0.99, 0.3) };
    };
    const loss = (vars: tf.Variable[]) => () => {
      const term = tf.add(tf.sum(tf.square(tf.sub(vars[0]!, 0.3))), tf.square(vars[1]!));
      return { total: term as tf.Scalar, terms: [term as tf.Scalar] };
    };
    const a = make();
    for (let i = 0; i < 20; i++) minimizeTerms(a.opt, a.vars, loss(a.vars)).dispose();
    expect(a.opt.getClassName()).toBe('RMSProp');
    const saved = await a.opt.getWeights();
    // The iteration count, then every weight's rms slot, then every momentum slot.
    expect(saved.map((s) => s.name.replace(/^\d+\//, ''))).toEqual([
      'iter',
      'rms',
      'rms',
      'momentum',
      'momentum',
    ]);
    const b = make();
    for (const [i, v] of a.vars.entries()) b.vars[i]!.assign(v);
    await b.opt.setWeights(saved.map(({ name, tensor }) => ({ name, tensor: tf.clone(tensor) })));
    expect(b.opt.iterations).toBe(20);
    for (let i = 0; i < 5; i++) {
      minimizeTerms(a.opt, a.vars, loss(a.vars)).dispose();
      minimizeTerms(b.opt, b.vars, loss(b.vars)).dispose();
    }
    for (const [i, v] of a.vars.entries()) expect(b.vars[i]!.dataSync()).toEqual(v.dataSync());
    setLearningRate(b.opt, 0.5);
    expect(b.opt.learningRate).toBe(0.5);
    for (const o of [a, b]) {
      tf.dispose(o.vars);
      o.opt.dispose();
    }
  });
});
