import { expect, test } from '@playwright/test';
import { QUICK_PLAN } from '../scripts/bench/plans';
import { runBenchmarks, toMarkdown } from '../scripts/bench/runner';
import { DEFAULT_LIVE_SETTINGS } from '../src/protocol/messages';
import { shareUrl } from '../src/ui/shareLink';
import { waitUntilReady } from './helpers';

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

test('a benchmark whose device is lost under it is answered with why, not left waiting', async ({
  page,
}) => {
  type Hooks = {
    ganBench: { benchmark(w: number, k: number, times: boolean): Promise<unknown> };
    ganTestHooks: { loseDevice(refuseAdapter: boolean): void };
  };
  // The quick plan's small model: a benchmark of it is quick to start and to stop.
  const config = QUICK_PLAN.cases[0]!.config;
  const url = new URL(
    shareUrl('http://localhost/?backend=webgpu', config, DEFAULT_LIVE_SETTINGS, null),
  );
  await page.goto(`${url.pathname}${url.search}&bench=1&testHooks=1`);
  await waitUntilReady(page);
  // Thousands of iterations: the device is lost long before they end.
  const answer = page.evaluate(() =>
    (window as unknown as Hooks).ganBench.benchmark(0, 100_000, false).then(
      () => 'answered',
      (error: Error) => error.message,
    ),
  );
  await page.waitForTimeout(1000);
  await page.evaluate(() => (window as unknown as Hooks).ganTestHooks.loseDevice(false));
  expect(await answer).toMatch(/^The GPU device was lost.* during the benchmark/);
  await expect(page.getByTestId('backend-name')).toHaveAttribute('data-backend', 'webgpu');
});
