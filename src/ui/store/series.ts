import type { Series } from './store';

/** Past this many points a series is thinned by half, so charts stay fast on long runs. */
export const MAX_POINTS = 20_000;

export function emptySeries(names: readonly string[]): Series {
  return { names, columns: [[], ...names.map(() => [])] };
}

/**
 * Appends rows (x, then one value per series; NaN for a gap) and returns a new Series, so
 * subscribers can tell by reference that something changed.
 */
export function appendRows(
  series: Series,
  xs: ArrayLike<number>,
  values: ArrayLike<number>,
): Series {
  const width = series.names.length;
  let columns = series.columns.map((column) => [...column]);
  for (let row = 0; row < xs.length; row++) {
    columns[0]!.push(xs[row]!);
    for (let k = 0; k < width; k++) {
      const v = values[row * width + k]!;
      columns[k + 1]!.push(Number.isFinite(v) ? v : null);
    }
  }
  if (columns[0]!.length > MAX_POINTS)
    columns = columns.map((c) => c.filter((_, i) => i % 2 === 0));
  return { names: series.names, columns };
}
