/**
 * Drives the built app in Chromium and measures training and slider costs per model and
 * backend (see README, "Benchmark"). Used by `npm run bench` and, in a quick plan, by the
 * end-to-end suite, which checks only that the report is well formed.
 */
import type { Browser, ConsoleMessage, Page } from '@playwright/test';
import { waitUntilReady } from '../../e2e/helpers';
import type { ExperimentConfig } from '../../src/families';
import {
  type BackendName,
  type BenchmarkResult,
  DEFAULT_LIVE_SETTINGS,
  type LoopStats,
} from '../../src/protocol/messages';
import { shareUrl } from '../../src/ui/shareLink';

export interface BenchCase {
  readonly label: string;
  readonly size: string;
  /** The experiment, opened by its share link. */
  readonly config: ExperimentConfig;
  /** A slider and the canvas it redraws, for the latency measurement. */
  readonly slider?: {
    readonly testId: string;
    readonly output: string;
    readonly values: readonly [string, string];
  };
  readonly warmup: number;
  readonly iterations: number;
}

/** A backend, or WebGPU with TF.js's stock kernels in place of ours (`?kernels=stock`). */
export type BenchBackend = BackendName | 'webgpu-stock';

export interface BenchPlan {
  readonly backends: readonly BenchBackend[];
  readonly cases: readonly BenchCase[];
  /** Seconds of free-running training for the loop, long-task and hidden-read checks. */
  readonly loopSeconds: number;
  readonly sliderMoves: number;
  /** Time each kernel of the profiled iteration (see engine/benchmark.ts): slow on WebGPU. */
  readonly kernelTimes?: boolean;
  /** Told each row as it is measured, for a long run's log. */
  readonly onProgress?: (row: BenchRow, seconds: number) => void;
  /** Told what the page and its worker report as errors, and a crash, as they happen. */
  readonly onPageProblem?: (line: string) => void;
}

export interface BenchRow {
  readonly model: string;
  readonly size: string;
  readonly backend: BenchBackend;
  /** The backend that really ran (a fallback shows here). */
  readonly active: string;
  /** The backend shown once the live loop paused: another one means the device was lost. */
  readonly loopActive: string;
  /** The WebGPU adapter the page named, or '' on other backends. */
  readonly adapter: string;
  readonly iterations: BenchmarkResult;
  readonly loop: LoopStats & { readonly longTasks: number; readonly longestTaskMs: number };
  readonly sliderMs: { readonly training: number | null; readonly paused: number | null };
  /** From the click on Pause to the page saying "paused" (the step under way finishes). */
  readonly pauseMs: number;
}

export interface BenchReport {
  readonly date: string;
  readonly browser: string;
  readonly adapter: string;
  readonly rows: readonly BenchRow[];
}

interface BenchWindow {
  ganBench: {
    benchmark(w: number, k: number, kernelTimes: boolean): Promise<BenchmarkResult>;
    loopStats(): Promise<LoopStats>;
  };
  longTasks: number[];
}

/**
 * Default-size models on a software GPU take minutes per pause or frame; only a hang should
 * stop the benchmark.
 */
const PAGE_TIMEOUT_MS = 15 * 60_000;

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? null : sorted[Math.floor(sorted.length / 2)]!;
};

/**
 * From the input event on a slider to the first painted image that reflects it, in ms. The
 * canvas carries the slider-state version it shows; while training, frames keep requesting
 * renders, so "idle" never comes and a version is what tells the probe its move is on screen.
 */
async function sliderLatency(page: Page, slider: NonNullable<BenchCase['slider']>, moves: number) {
  const times: number[] = [];
  for (let i = 0; i < moves; i++) {
    const value = slider.values[i % 2]!;
    times.push(
      await page.evaluate(
        ([testId, output, next]) =>
          new Promise<number>((resolve) => {
            const input = document.querySelector<HTMLInputElement>(`[data-testid="${testId}"]`)!;
            const canvas = document.querySelector<HTMLCanvasElement>(`[data-testid="${output}"]`)!;
            const start = performance.now();
            const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!
              .set!;
            setValue.call(input, next);
            input.dispatchEvent(new Event('input', { bubbles: true }));
            const target = Number(canvas.dataset.requested);
            const check = () => {
              if (Number(canvas.dataset.shown) >= target) {
                resolve(performance.now() - start);
              } else {
                requestAnimationFrame(check);
              }
            };
            requestAnimationFrame(check);
          }),
        [slider.testId, slider.output, value] as const,
      ),
    );
  }
  return median(times);
}

async function measure(
  page: Page,
  baseUrl: string,
  backend: BenchBackend,
  c: BenchCase,
  plan: BenchPlan,
) {
  await page.addInitScript(() => {
    const w = window as unknown as BenchWindow;
    w.longTasks = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) w.longTasks.push(entry.duration);
    }).observe({ type: 'longtask', buffered: true });
  });
  const stock = backend === 'webgpu-stock';
  const url = new URL(
    shareUrl(
      `${baseUrl}/?backend=${stock ? 'webgpu' : backend}`,
      c.config,
      DEFAULT_LIVE_SETTINGS,
      null,
    ),
  );
  url.searchParams.set('bench', '1');
  if (stock) url.searchParams.set('kernels', 'stock');
  await page.goto(url.href);
  await waitUntilReady(page);
  const shown = (await page.getByTestId('backend-name').getAttribute('data-backend')) ?? '';
  const active = stock && shown === 'webgpu' ? backend : shown;
  const adapter =
    shown === 'webgpu' ? ((await page.getByTestId('adapter').textContent())?.trim() ?? '') : '';
  const iterations = await page.evaluate(
    ([w, k, times]) => (window as unknown as BenchWindow).ganBench.benchmark(w, k, times),
    [c.warmup, c.iterations, plan.kernelTimes ?? false] as const,
  );

  await page.evaluate(() => (window as unknown as BenchWindow).ganBench.loopStats());
  await page.evaluate(() => {
    (window as unknown as BenchWindow).longTasks.length = 0;
  });
  await page.getByTestId('play-pause').click();
  await page.waitForTimeout(plan.loopSeconds * 1000);
  const training = c.slider ? await sliderLatency(page, c.slider, plan.sliderMoves) : null;
  const pauseClicked = Date.now();
  await page.getByTestId('play-pause').click();
  // Pause waits for the step in flight, and a WGAN step is a whole iteration: 18 minutes with
  // the stock kernels at default size on SwiftShader, past the page's default wait.
  await page
    .getByTestId('status')
    .filter({ hasText: 'paused' })
    .waitFor({ timeout: Math.max(PAGE_TIMEOUT_MS, 2 * iterations.medianMs) });
  const pauseMs = Date.now() - pauseClicked;
  const after = (await page.getByTestId('backend-name').getAttribute('data-backend')) ?? '';
  const loopActive = stock && after === 'webgpu' ? backend : after;
  const stats = await page.evaluate(() => (window as unknown as BenchWindow).ganBench.loopStats());
  const tasks = await page.evaluate(() => (window as unknown as BenchWindow).longTasks.slice());
  const paused = c.slider ? await sliderLatency(page, c.slider, plan.sliderMoves) : null;
  return {
    model: c.label,
    size: c.size,
    backend,
    active,
    loopActive,
    adapter,
    iterations,
    loop: { ...stats, longTasks: tasks.length, longestTaskMs: Math.max(0, ...tasks) },
    sliderMs: { training, paused },
    pauseMs,
  };
}

export async function runBenchmarks(
  browser: Browser,
  baseUrl: string,
  plan: BenchPlan,
): Promise<BenchReport> {
  const rows: BenchRow[] = [];
  let adapter = '';
  for (const backend of plan.backends) {
    for (const c of plan.cases) {
      const context = await browser.newContext();
      const page = await context.newPage();
      page.setDefaultTimeout(PAGE_TIMEOUT_MS);
      const tell = plan.onPageProblem;
      if (tell) {
        const where = `${c.label} ${c.size}, ${backend}`;
        page.on('crash', () => tell(`${where}: the page crashed`));
        page.on('pageerror', (e) => tell(`${where}: page error: ${e.message}`));
        const onConsole = (m: ConsoleMessage) => {
          if (m.type() === 'error' || m.type() === 'warning') tell(`${where}: ${m.text()}`);
        };
        // The page's console event carries its workers' messages too.
        page.on('console', onConsole);
      }
      try {
        const started = Date.now();
        const row = await measure(page, baseUrl, backend, c, plan);
        rows.push(row);
        plan.onProgress?.(row, (Date.now() - started) / 1000);
        adapter ||= row.adapter;
      } finally {
        await context.close();
      }
    }
  }
  return { date: new Date().toISOString(), browser: browser.version(), adapter, rows };
}

/** Per-iteration counts are averages; StarGAN's n_critic makes them fractional. */
const perIteration = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(1));

const ms = (v: number | null) =>
  v === null || !Number.isFinite(v) ? '–' : v >= 100 ? v.toFixed(0) : v.toFixed(1);

/** The report as a markdown table, with the three targets checked per row. */
export function toMarkdown(report: BenchReport, machine: string): string {
  return [...markdownHeader(report, machine), ...report.rows.map((row) => markdownRow(row))].join(
    '\n',
  );
}

function markdownHeader(report: BenchReport, machine: string): string[] {
  return [
    `Machine: ${machine}; browser: Chromium ${report.browser}; WebGPU adapter: ${report.adapter || 'n/a'}; ${report.date}`,
    '',
    '| model | size | backend | first it. ms | median ms (p10-p90) | it/s | GFLOP/it | GFLOP/s | kernels/it | reads/it | uploads/it | growth (tensors, bytes) | hidden reads | long tasks | loop split compute/readback/messaging | slider ms training / paused | pause ms |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
}

export function markdownRow(r: BenchRow): string {
  const i = r.iterations;
  const l = r.loop;
  const total = l.computeMs + l.readbackMs + l.messagingMs || 1;
  const split = [l.computeMs, l.readbackMs, l.messagingMs]
    .map((v) => `${Math.round((100 * v) / total)}%`)
    .join(' / ');
  const ran = r.active === r.backend ? r.backend : `${r.backend} (ran ${r.active})`;
  const backend = r.loopActive === r.active ? ran : `${ran} (its loop ended on ${r.loopActive})`;
  return `| ${r.model} | ${r.size} | ${backend} | ${ms(i.firstIterationMs)} | ${ms(i.medianMs)} (${ms(i.p10Ms)}-${ms(i.p90Ms)}) | ${i.iterationsPerSecond.toFixed(2)} | ${(i.flopsPerIteration / 1e9).toFixed(3)} | ${i.gflopsPerSecond.toFixed(2)} | ${perIteration(i.kernelsPerIteration)} | ${perIteration(i.readsPerIteration)} | ${perIteration(i.uploadsPerIteration)} | ${i.memoryGrowth.tensors}, ${i.memoryGrowth.bytes} | ${l.backendReads - l.plannedReads} | ${l.longTasks} | ${split} | ${ms(r.sliderMs.training)} / ${ms(r.sliderMs.paused)} | ${ms(r.pauseMs)} |`;
}
