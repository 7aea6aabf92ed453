import * as tf from '@tensorflow/tfjs-core';
import type { BenchmarkResult } from '../protocol/messages';
import type { Experiment } from './experiment';
import { countTraffic, growth, type MemorySnapshot } from './instrument';

function memory(): MemorySnapshot {
  const m = tf.memory();
  return { tensors: m.numTensors, bytes: m.numBytes };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.round(p * (sorted.length - 1))));
  return sorted[index]!;
}

/**
 * Times training iterations of `experiment` on the active backend. Each timed iteration waits
 * for its loss row (one read, which is not counted in readsPerIteration), so a time is the
 * device's real time for that iteration; the first is reported apart (shader compilation).
 */
export async function benchmarkExperiment(
  experiment: Experiment,
  warmup: number,
  iterations: number,
): Promise<BenchmarkResult> {
  const traffic = countTraffic(tf.backend());
  try {
    const times: number[] = [];
    const timeOne = async () => {
      const started = performance.now();
      const { losses } = experiment.step('both');
      await losses.data();
      losses.dispose();
      return performance.now() - started;
    };
    const firstIterationMs = await timeOne();
    for (let i = 1; i < warmup; i++) await timeOne();
    const afterWarmup = memory();
    const trafficBefore = { ...traffic.counters };
    for (let i = 0; i < iterations; i++) times.push(await timeOne());
    const afterRun = memory();
    const reads = traffic.counters.reads - trafficBefore.reads - iterations;
    const uploads = traffic.counters.uploads - trafficBefore.uploads;

    const profile = await tf.profile(() => experiment.step('both').losses);
    const byKernel = new Map<string, { count: number; ms: number }>();
    for (const kernel of profile.kernels) {
      const entry = byKernel.get(kernel.name) ?? { count: 0, ms: 0 };
      entry.count++;
      if (typeof kernel.kernelTimeMs === 'number') entry.ms += kernel.kernelTimeMs;
      byKernel.set(kernel.name, entry);
    }
    tf.dispose(profile.result as tf.Tensor);
    const sorted = [...times].sort((a, b) => a - b);
    const median = percentile(sorted, 0.5);
    return {
      firstIterationMs,
      medianMs: median,
      p10Ms: percentile(sorted, 0.1),
      p90Ms: percentile(sorted, 0.9),
      iterationsPerSecond: 1000 / median,
      kernelsPerIteration: profile.kernels.length,
      readsPerIteration: reads / iterations,
      uploadsPerIteration: uploads / iterations,
      topKernels: [...byKernel.entries()]
        .map(([name, { count, ms }]) => ({ name, dispatches: count, ms }))
        .sort((a, b) => b.ms - a.ms || b.dispatches - a.dispatches)
        .slice(0, 5),
      memoryAfterWarmup: afterWarmup,
      memoryGrowth: growth(afterWarmup, afterRun),
    };
  } finally {
    traffic.restore();
  }
}
