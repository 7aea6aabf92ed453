import type { Series } from './store';

/** Past this many points a series is thinned by half, so charts stay fast on long runs. */
export const MAX_POINTS = 20_000;

export function emptySeries(names: readonly string[]): Series {
  return { names, columns: [[], ...names.map(() => [])] };
}

/**
 * Appends rows (x, then one value per series; NaN for a gap) and returns a new Series object,
 * so subscribers can tell by reference that something changed. The columns grow in place:
 * copying every column on every message would cost O(points) per update on long runs, and
 * nothing keeps an old Series to compare its columns with (charts redraw from the newest).
 */
export function appendRows(
  series: Series,
  xs: ArrayLike<number>,
  values: ArrayLike<number>,
): Series {
  const width = series.names.length;
  const columns = series.columns as (number | null)[][];
  for (let row = 0; row < xs.length; row++) {
    columns[0]!.push(xs[row]!);
    for (let k = 0; k < width; k++) {
      const v = values[row * width + k]!;
      columns[k + 1]!.push(Number.isFinite(v) ? v : null);
    }
  }
  const thinned =
    columns[0]!.length > MAX_POINTS ? columns.map((c) => c.filter((_, i) => i % 2 === 0)) : columns;
  return { names: series.names, columns: thinned };
}
