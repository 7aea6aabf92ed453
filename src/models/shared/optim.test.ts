import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { linearDecay, minimizeTerms, setLearningRate } from './optim';

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
