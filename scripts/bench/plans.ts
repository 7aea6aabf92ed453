import { type ExperimentConfig, FAMILIES, type LooseFamily } from '../../src/families';
import type { BenchCase, BenchPlan } from './runner';

/** Every family's benchmark cases, as each family declares them, in menu order. */
export const FULL_CASES: readonly BenchCase[] = (FAMILIES as unknown as readonly LooseFamily[])
  .flatMap((family) =>
    family.bench.map(
      ({ model, ...rest }): BenchCase => ({
        ...rest,
        config: { kind: family.kind, seed: 1, model } as unknown as ExperimentConfig,
      }),
    ),
  )
  // Small sizes first, as the README's table lists them.
  .sort((a, b) => Number(a.size.startsWith('default')) - Number(b.size.startsWith('default')));

export const FULL_PLAN: BenchPlan = {
  backends: ['webgpu', 'webgpu-stock', 'webgl', 'cpu'],
  cases: FULL_CASES,
  loopSeconds: 6,
  sliderMoves: 5,
};

/** The first family's first case, two backends, few iterations: what the e2e suite runs. */
export const QUICK_PLAN: BenchPlan = {
  backends: ['webgpu', 'cpu'],
  cases: [
    {
      ...FULL_CASES.find((c) => c.config.kind === FAMILIES[0].kind)!,
      warmup: 2,
      iterations: 3,
    },
  ],
  loopSeconds: 2,
  sliderMoves: 0,
};
