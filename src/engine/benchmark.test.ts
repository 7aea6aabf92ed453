import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { benchmarkExperiment, kernelFlops } from './benchmark';
import type { Experiment } from './experiment';

/** Two steps an iteration, each a convolution and a sum: 4 kernels an iteration. */
function convExperiment(): Pick<Experiment, 'step' | 'stepsPerIteration'> & { dispose(): void } {
  const x = tf.randomNormal([2, 8, 8, 4]) as tf.Tensor4D;
  const w = tf.randomNormal([3, 3, 4, 6]) as tf.Tensor4D;
  return {
    stepsPerIteration: 2,
    step: () => ({
      losses: tf.tidy(() => tf.reshape(tf.sum(tf.conv2d(x, w, 1, 'same')), [1])) as tf.Tensor1D,
      computed: [true],
    }),
    dispose: () => tf.dispose([x, w]),
  };
}

describe('kernelFlops', () => {
  it('counts every convolution kernel that ran: two forward passes and both gradients', async () => {
    // 2 x 8 x 8 x 4 input, 4 x 4 x 4 x 6 filter, stride 2: a 2 x 4 x 4 x 6 output, each value
    // 4 * 4 * 4 multiply-adds.
    const forward = 2 * (2 * 4 * 4 * 6) * (4 * 4 * 4);
    const x = tf.randomNormal([2, 8, 8, 4]) as tf.Tensor4D;
    const w = tf.variable(tf.randomNormal([4, 4, 4, 6]) as tf.Tensor4D);
    const profile = await tf.profile(() => {
      const { grads, value } = tf.variableGrads(
        () => tf.sum(tf.conv2d(x, w, 2, 'same')) as tf.Scalar,
      );
      const dx = tf.grad((input: tf.Tensor) =>
        tf.sum(tf.conv2d(input as tf.Tensor4D, w, 2, 'same')),
      )(x);
      return [value, dx, ...Object.values(grads)];
    });
    const counted = profile.kernels.map((k) => kernelFlops(k.name, k.inputShapes, k.outputShapes));
    // Forward twice (one per gradient call), the filter gradient once, the input gradient once.
    expect(counted.reduce((a, b) => a + b, 0)).toBe(4 * forward);
    tf.dispose([x, w, profile.result as tf.Tensor[]]);
  });

  it('counts a matrix product as 2 M N K, however its inputs are transposed', () => {
    expect(
      kernelFlops(
        'BatchMatMul',
        [
          [1, 3, 5],
          [1, 5, 7],
        ],
        [[1, 3, 7]],
      ),
    ).toBe(2 * 3 * 5 * 7);
    expect(
      kernelFlops(
        'BatchMatMul',
        [
          [4, 5, 3],
          [4, 7, 5],
        ],
        [[4, 3, 7]],
      ),
    ).toBe(4 * 2 * 3 * 5 * 7);
    expect(kernelFlops('Add', [[3], [3]], [[3]])).toBe(0);
  });
});

describe('benchmarkExperiment', () => {
  it('profiles the same kernels with and without kernel times, and leaves the backend as it was', async () => {
    const experiment = convExperiment();
    const before = tf.memory().numTensors;
    const timed = await benchmarkExperiment(experiment, 1, 2, true);
    const untimed = await benchmarkExperiment(experiment, 1, 2, false);
    for (const result of [timed, untimed]) {
      expect(result.kernelsPerIteration).toBe(untimed.kernelsPerIteration);
      expect(result.flopsPerIteration).toBe(2 * 2 * (2 * 8 * 8 * 6) * (3 * 3 * 4));
      expect(result.memoryGrowth.tensors).toBe(0);
    }
    expect(timed.topKernels.every((k) => typeof k.ms === 'number')).toBe(true);
    expect(untimed.topKernels.map((k) => k.ms)).toEqual(untimed.topKernels.map(() => null));
    expect(Object.hasOwn(tf.backend(), 'time')).toBe(false);
    // The backend's own timer is back: a timed call reports a number again.
    const timing = await tf.time(() => tf.tidy(() => void tf.square(tf.scalar(2))));
    expect(typeof timing.kernelMs).toBe('number');
    expect(tf.memory().numTensors).toBe(before);
    experiment.dispose();
  });
});

describe('benchmark pacing', () => {
  it('reads a step back whenever about half a second of work is queued, and counts none of it', async () => {
    // 30 steps of 25 ms: a 750 ms iteration, more than the loop ever queues.
    let reads = 0;
    const experiment: Pick<Experiment, 'step' | 'stepsPerIteration'> = {
      stepsPerIteration: 30,
      step: () => {
        const until = performance.now() + 25;
        while (performance.now() < until);
        const losses = tf.ones([1]) as tf.Tensor1D;
        const data = losses.data.bind(losses);
        losses.data = (() => {
          reads++;
          return data();
        }) as typeof losses.data;
        return { losses, computed: [true] };
      },
    };
    const before = tf.memory().numTensors;
    const result = await benchmarkExperiment(experiment, 1, 2, false);
    // Unpaced, the warm-up and the two timed iterations would read once each (3); paced, each
    // of the four iterations (with the profiled one) also reads after about 20 steps.
    expect(reads).toBeGreaterThanOrEqual(3 + 4);
    expect(result.readsPerIteration).toBe(0);
    expect(result.medianMs).toBeGreaterThanOrEqual(30 * 25);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('benchmark profile', () => {
  it('profiles a step of more kernels than one argument list can hold', async () => {
    // One step of 160,000 additions, past what tf.profile can spread into Math.max on Node's
    // stack: WGAN's default step (100 critic updates, 69,300 kernels with ours) overflowed a
    // worker's this way.
    const experiment: Pick<Experiment, 'step' | 'stepsPerIteration'> = {
      step: () => ({
        losses: tf.tidy(() => {
          let x = tf.zeros([1]) as tf.Tensor1D;
          for (let i = 0; i < 160_000; i++) x = tf.add(x, 1);
          return x;
        }),
        computed: [true],
      }),
    };
    const result = await benchmarkExperiment(experiment, 1, 1, false);
    expect(result.kernelsPerIteration).toBeGreaterThanOrEqual(160_000);
    expect(result.memoryGrowth.tensors).toBe(0);
  });
});

describe('benchmark answer', () => {
  it('waits for the profiled iteration, so what follows does not queue behind it', async () => {
    const read = new Set<number>();
    const returned: tf.Tensor[] = [];
    const experiment: Pick<Experiment, 'step' | 'stepsPerIteration'> = {
      step: () => {
        const losses = tf.ones([1]) as tf.Tensor1D;
        const data = losses.data.bind(losses);
        losses.data = () => {
          read.add(losses.id);
          return data();
        };
        returned.push(losses);
        return { losses, computed: [true] };
      },
    };
    await benchmarkExperiment(experiment, 1, 2, false);
    // Warm-up, two timed iterations and the profiled one, each of one step.
    expect(returned).toHaveLength(4);
    expect(read.has(returned[3]!.id)).toBe(true);
  });
});
