import * as tf from '@tensorflow/tfjs-core';
import type { BenchmarkResult } from '../protocol/messages';
import { planReadback, StepClock } from './cadence';
import type { Experiment } from './experiment';
import { countTraffic, growth, type MemorySnapshot } from './instrument';

function memory(): MemorySnapshot {
  const m = tf.memory();
  return { tensors: m.numTensors, bytes: m.numBytes };
}

/** A kernel as tf.profile records it (the type is not exported by name). */
type KernelInfo = Awaited<ReturnType<typeof tf.profile>>['kernels'][number];

const size = (shape: readonly number[] | undefined) => (shape ?? []).reduce((a, b) => a * b, 1);

/**
 * Multiply-adds x 2 of the kernels that carry a GAN's arithmetic, from the shapes they ran on
 * (element-wise ops, reductions and norms are left out: they are memory-bound, and a few
 * percent of the count). A penalty's double back-propagation shows up as the extra
 * convolutions it runs.
 */
export function kernelFlops(
  name: string,
  inputs: readonly (readonly number[] | undefined)[],
  outputs: readonly (readonly number[] | undefined)[],
): number {
  const [a, b] = inputs;
  const out = outputs[0];
  switch (name) {
    case 'Conv2D':
    case 'FusedConv2D': {
      // out [n, oh, ow, co] from filter [kh, kw, ci, co].
      const [kh = 0, kw = 0, ci = 0] = b ?? [];
      return 2 * size(out) * kh * kw * ci;
    }
    case 'Conv2DBackpropInput': {
      // dy [n, oh, ow, co] through filter [kh, kw, ci, co]: the forward's count.
      const [kh = 0, kw = 0, ci = 0] = b ?? [];
      return 2 * size(a) * kh * kw * ci;
    }
    case 'Conv2DBackpropFilter': {
      // dW [kh, kw, ci, co] summed over every position of dy [n, oh, ow, co].
      const [kh = 0, kw = 0, ci = 0] = out ?? [];
      return 2 * size(b) * kh * kw * ci;
    }
    case 'BatchMatMul':
    case '_FusedMatMul': {
      // a and b hold batch x M x K and batch x K x N values whichever way they are transposed.
      const batch = out && out.length > 2 ? size(out.slice(0, -2)) : 1;
      const inner = Math.sqrt((size(a) * size(b)) / (size(out) * batch));
      return 2 * size(out) * inner;
    }
    default:
      return 0;
  }
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.round(p * (sorted.length - 1))));
  return sorted[index]!;
}

/**
 * Runs `f` with the backend's kernel timer replaced by one that only runs the kernel, so a
 * profile still lists every kernel with its shapes but kernels are batched and submitted as
 * usual. The WebGPU backend times a kernel by submitting it alone and mapping its timestamps
 * back, a round trip per kernel: WGAN's default iteration (tens of thousands of kernels) had not
 * finished that way after 16 minutes on SwiftShader, where the iteration itself took 4.
 */
async function untimed<T>(f: () => Promise<T>): Promise<T> {
  const backend = tf.backend() as unknown as { time(f: () => void): Promise<tf.TimingInfo> };
  const own = Object.hasOwn(backend, 'time');
  const original = backend.time;
  backend.time = async (run) => {
    run();
    return { kernelMs: 0, wallMs: 0 };
  };
  try {
    return await f();
  } finally {
    if (own) backend.time = original;
    else delete (backend as Partial<typeof backend>).time;
  }
}

/**
 * tf.profile of one step, its kernels appended to `into`. The engine's profile spreads its
 * kernel list into Math.max, which overflows a worker's stack at tens of thousands of kernels:
 * WGAN's default step (100 critic updates: 69,300 kernels with ours, 76,590 stock) did. So the
 * list is taken from the engine's record as the step returns, and each kernel's timing is
 * awaited here instead.
 */
async function profileStep(step: () => Promise<tf.Tensor>, into: KernelInfo[]): Promise<tf.Tensor> {
  const taken: KernelInfo[] = [];
  const profile = await tf.profile(async () => {
    const result = await step();
    const record = tf.engine().state.activeProfile;
    for (const kernel of record.kernels) taken.push(kernel);
    record.kernels = [];
    return result;
  });
  for (const kernel of taken) {
    kernel.kernelTimeMs = await kernel.kernelTimeMs;
    kernel.extraInfo = await kernel.extraInfo;
    into.push(kernel);
  }
  return profile.result as tf.Tensor;
}

/**
 * Times training iterations of `experiment` on the active backend. Each timed iteration waits
 * for its loss row, so a time is the device's real time for that iteration; the first is
 * reported apart (shader compilation). Within an iteration, work is queued as the training loop
 * queues it: a step's losses are read whenever about QUEUE_BUDGET_MS of work is queued, so a
 * benchmark never holds more work ahead of Pause than training does. (Pacing did not cure the
 * read that stops settling in WGAN's default benchmark on SwiftShader; see the README.) Neither these
 * pacing reads nor the iteration's own read count in readsPerIteration, which counts the reads
 * the model itself asks for. One more iteration is profiled for the kernel counts and FLOPs;
 * with `kernelTimes` the backend also times each kernel of it (slow on WebGPU, see
 * untimed).
 */
export async function benchmarkExperiment(
  experiment: Pick<Experiment, 'step' | 'stepsPerIteration'>,
  warmup: number,
  iterations: number,
  kernelTimes: boolean,
): Promise<BenchmarkResult> {
  const traffic = countTraffic(tf.backend());
  try {
    const times: number[] = [];
    const steps = experiment.stepsPerIteration ?? 1;
    const clock = new StepClock();
    let queued = 0;
    let pacingReads = 0;
    /** Waits for `losses` (then the device has run every step queued so far). */
    const settle = async (losses: tf.Tensor) => {
      await losses.data();
      losses.dispose();
      clock.settled(performance.now(), queued);
      queued = 0;
    };
    const train = async (): Promise<tf.Tensor> => experiment.step('both').losses;
    /** One whole iteration of `step`, paced; its last loss row is returned unread. */
    const iterate = async (step = train) => {
      for (let i = 1; i < steps; i++) {
        const losses = await step();
        queued++;
        const plan = planReadback(
          {
            stepsSinceReadback: queued,
            msSinceFrame: 0,
            forced: false,
            msPerStep: clock.msPerStep,
            slowMotion: false,
          },
          Number.POSITIVE_INFINITY,
        );
        if (plan.readback) {
          pacingReads++;
          await settle(losses);
        } else losses.dispose();
      }
      queued++;
      return step();
    };
    const timeOne = async () => {
      const started = performance.now();
      await settle(await iterate());
      return performance.now() - started;
    };
    const firstIterationMs = await timeOne();
    for (let i = 1; i < warmup; i++) await timeOne();
    const afterWarmup = memory();
    const trafficBefore = { ...traffic.counters };
    const pacingBefore = pacingReads;
    for (let i = 0; i < iterations; i++) times.push(await timeOne());
    const afterRun = memory();
    const reads =
      traffic.counters.reads - trafficBefore.reads - iterations - (pacingReads - pacingBefore);
    const uploads = traffic.counters.uploads - trafficBefore.uploads;

    const kernels: KernelInfo[] = [];
    const profiled = () => profileStep(train, kernels);
    const last = await (kernelTimes ? iterate(profiled) : untimed(() => iterate(profiled)));
    // Settled before the answer, so what comes next (the loop's timings, a Pause) does not
    // wait behind it: a WGAN default iteration is over two minutes of work even with ours.
    await last.data();
    last.dispose();
    const byKernel = new Map<string, { count: number; ms: number | null }>();
    for (const kernel of kernels) {
      const entry = byKernel.get(kernel.name) ?? { count: 0, ms: kernelTimes ? 0 : null };
      entry.count++;
      if (entry.ms !== null && typeof kernel.kernelTimeMs === 'number') {
        entry.ms += kernel.kernelTimeMs;
      }
      byKernel.set(kernel.name, entry);
    }
    const sorted = [...times].sort((a, b) => a - b);
    const median = percentile(sorted, 0.5);
    const flops = kernels.reduce(
      (sum, k) => sum + kernelFlops(k.name, k.inputShapes, k.outputShapes),
      0,
    );
    return {
      firstIterationMs,
      medianMs: median,
      p10Ms: percentile(sorted, 0.1),
      p90Ms: percentile(sorted, 0.9),
      iterationsPerSecond: 1000 / median,
      kernelsPerIteration: kernels.length,
      flopsPerIteration: flops,
      gflopsPerSecond: flops / median / 1e6,
      readsPerIteration: reads / iterations,
      uploadsPerIteration: uploads / iterations,
      topKernels: [...byKernel.entries()]
        .map(([name, { count, ms }]) => ({ name, dispatches: count, ms }))
        .sort((a, b) => (b.ms ?? 0) - (a.ms ?? 0) || b.dispatches - a.dispatches)
        .slice(0, 5),
      memoryAfterWarmup: afterWarmup,
      memoryGrowth: growth(afterWarmup, afterRun),
    };
  } finally {
    traffic.restore();
  }
}
