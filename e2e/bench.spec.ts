import { expect, test } from '@playwright/test';
import { QUICK_PLAN } from '../scripts/bench/plans';
import { runBenchmarks, toMarkdown } from '../scripts/bench/runner';

test('the quick benchmark produces a well-formed report', async ({ browser, baseURL }) => {
  const report = await runBenchmarks(browser, baseURL!, QUICK_PLAN);
  expect(report.rows.map((r) => [r.backend, r.active])).toEqual([
    ['webgpu', 'webgpu'],
    ['cpu', 'cpu'],
  ]);
  for (const row of report.rows) {
    const i = row.iterations;
    for (const value of [i.firstIterationMs, i.medianMs, i.p10Ms, i.p90Ms, i.iterationsPerSecond]) {
      expect(value).toBeGreaterThan(0);
    }
    expect(i.p10Ms).toBeLessThanOrEqual(i.p90Ms);
    expect(i.kernelsPerIteration).toBeGreaterThan(10);
    expect(i.flopsPerIteration).toBeGreaterThan(0);
    expect(i.gflopsPerSecond).toBeGreaterThan(0);
    expect(i.uploadsPerIteration).toBeGreaterThan(0);
    expect(i.topKernels.length).toBeGreaterThan(0);
    // Kernel times were not asked for: the profile ran untimed, batched as training runs.
    expect(i.topKernels.map((k) => k.ms)).toEqual(i.topKernels.map(() => null));
    expect(i.memoryAfterWarmup.tensors).toBeGreaterThan(0);
    expect(row.loop.steps).toBeGreaterThan(0);
    expect(row.loop.plannedReads).toBeGreaterThan(0);
    expect(row.loop.backendReads).toBeGreaterThanOrEqual(row.loop.plannedReads);
    expect(Number.isInteger(row.loop.longTasks)).toBe(true);
  }
  const markdown = toMarkdown(report, 'test machine');
  expect(markdown.split('\n').filter((line) => line.startsWith('| 2D GAN'))).toHaveLength(2);
});
