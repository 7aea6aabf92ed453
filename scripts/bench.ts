/**
 * npm run bench [-- --quick] [-- --backends=webgpu,webgpu-stock,webgl,cpu] [-- --models=DCGAN,StarGAN]
 *   [-- --sizes=small,default] [-- --slider-moves=N] [-- --iterations=N] [-- --kernel-times]
 * --slider-moves=0 leaves out the slider latencies, which at a default size on a slow backend
 * wait behind an iteration per move (minutes each). --iterations=N times N iterations per row
 * in place of each model's own count (after its warm-up). --kernel-times times every kernel of the
 * profiled iteration for the report's top kernels; on WebGPU that is a device round trip per
 * kernel (WGAN's default iteration: over 17 minutes).
 * Builds the app, serves it on localhost, drives Chromium (the end-to-end launcher) and writes
 * bench-results/bench.json and bench-results/bench.md.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { chromium } from '@playwright/test';
import { preview } from 'vite';
import { chromiumLaunchOptions } from '../e2e/chromium';
import { FULL_PLAN, QUICK_PLAN } from './bench/plans';
import {
  type BenchBackend,
  type BenchRow,
  markdownRow,
  runBenchmarks,
  toMarkdown,
} from './bench/runner';

const args = process.argv.slice(2);
const option = (name: string) =>
  args
    .find((a) => a.startsWith(`--${name}=`))
    ?.split('=')[1]
    ?.split(',');
const base = args.includes('--quick') ? QUICK_PLAN : FULL_PLAN;
const models = option('models');
const sizes = option('sizes');
/** A count option's value, or undefined where it is not given; exits on a value that is not one. */
function count(name: string, least: number): number | undefined {
  const value = option(name)?.[0];
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < least) {
    console.error(`--${name} takes a count (${least} or more), not "${value}"`);
    process.exit(2);
  }
  return Number(value);
}
/**
 * Whether --models' `name` picks a case labelled `label`: a whole label picks only itself (WGAN
 * is not WGAN-GP), anything else picks the labels it begins (StarGAN picks both).
 */
function named(name: string, label: string): boolean {
  const whole = base.cases.some((c) => c.label === name);
  return whole ? label === name : label.startsWith(name);
}
const sliderMoves = count('slider-moves', 0);
const iterations = count('iterations', 1);
const plan = {
  ...base,
  sliderMoves: sliderMoves ?? base.sliderMoves,
  kernelTimes: args.includes('--kernel-times'),
  backends: (option('backends') as BenchBackend[] | undefined) ?? base.backends,
  cases: base.cases
    .filter(
      (c) =>
        (!models || models.some((m) => named(m, c.label))) &&
        (!sizes || sizes.some((size) => c.size.startsWith(size))),
    )
    .map((c) => ({ ...c, iterations: iterations ?? c.iterations })),
  onProgress: (row: BenchRow, seconds: number) =>
    console.error(`${markdownRow(row)} (${seconds.toFixed(0)} s)`),
  onPageProblem: (line: string) => console.error(`  ${line}`),
};

if (!args.includes('--no-build')) {
  // vite-node runs this script in development mode; the app must be measured as shipped.
  const env = { ...process.env, NODE_ENV: 'production' };
  const build = spawnSync('npx', ['vite', 'build', '--mode', 'production'], {
    stdio: 'inherit',
    env,
  });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
const server = await preview({ preview: { port: 4174, strictPort: true } });
const browser = await chromium.launch(chromiumLaunchOptions());
try {
  const report = await runBenchmarks(browser, 'http://localhost:4174', plan);
  const machine = `${cpus()[0]?.model ?? 'unknown CPU'} x ${cpus().length}`;
  const markdown = toMarkdown(report, machine);
  mkdirSync('bench-results', { recursive: true });
  writeFileSync('bench-results/bench.json', `${JSON.stringify({ machine, ...report }, null, 2)}\n`);
  writeFileSync('bench-results/bench.md', `${markdown}\n`);
  console.log(markdown);
} finally {
  await browser.close();
  await server.close();
}
