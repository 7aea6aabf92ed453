import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { AppState, Series } from '../../store/store';
import { useAppStore } from '../../store/store';

const PALETTE = ['#1b9e77', '#7570b3', '#d95f02', '#e7298a', '#66a61e', '#e6ab02'];

interface LiveChartProps {
  readonly title: string;
  readonly select: (state: AppState) => Series;
  readonly testId: string;
  readonly yRange?: readonly [number, number];
  readonly height?: number;
}

function optionsFor(series: Series, props: LiveChartProps, width: number): uPlot.Options {
  return {
    width,
    height: props.height ?? 220,
    title: props.title,
    // Names only: values at the cursor would read "--" until the chart is hovered.
    legend: { live: false },
    scales: {
      x: { time: false },
      ...(props.yRange ? { y: { range: [props.yRange[0], props.yRange[1]] } } : {}),
    },
    axes: [{ label: 'step' }, {}],
    series: [
      { label: 'step' },
      ...series.names.map((name, i) => ({
        label: name,
        stroke: PALETTE[i % PALETTE.length],
        width: 1.5,
        spanGaps: true,
        // A lone point has no line to draw (a loaded model's first figure, say): mark it.
        points: {
          show: (_: uPlot, _series: number, first: number, last: number) => last === first,
          size: 7,
          fill: PALETTE[i % PALETTE.length],
        },
      })),
    ],
  };
}

/** The chart in words, for screen readers: each series' latest value. */
function summarise(title: string, series: Series): string {
  const xs = series.columns[0] ?? [];
  if (xs.length === 0) return `${title}: no points yet`;
  const latest = series.names.map((name, k) => {
    const column = series.columns[k + 1] ?? [];
    for (let i = column.length - 1; i >= 0; i--) {
      const v = column[i];
      if (v !== null && v !== undefined) return `${name} ${Number(v.toPrecision(3))}`;
    }
    return `${name} none yet`;
  });
  return `${title} at step ${xs[xs.length - 1]}: ${latest.join(', ')}`;
}

/**
 * A uPlot chart fed straight from the store by subscription: new points redraw the canvas
 * without a React render. A new set of series names (another experiment) rebuilds the plot.
 */
export function LiveChart(props: LiveChartProps) {
  const container = useRef<HTMLDivElement>(null);
  const propsRef = useRef(props);
  propsRef.current = props;

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    let plot: uPlot | null = null;
    let names: readonly string[] | null = null;

    const draw = (series: Series) => {
      if (series.names !== names) {
        plot?.destroy();
        names = series.names;
        plot = new uPlot(
          optionsFor(series, propsRef.current, element.clientWidth || 400),
          series.columns as uPlot.AlignedData,
          element,
        );
      } else {
        plot?.setData(series.columns as uPlot.AlignedData);
      }
      element.dataset.points = String(series.columns[0]?.length ?? 0);
      element.setAttribute('aria-label', summarise(propsRef.current.title, series));
      element.dataset.seriesDrawn = String(
        series.columns.slice(1).filter((column) => column.some((v) => v !== null)).length,
      );
    };

    draw(propsRef.current.select(useAppStore.getState()));
    const unsubscribe = useAppStore.subscribe((state, previous) => {
      const next = propsRef.current.select(state);
      if (next !== propsRef.current.select(previous)) draw(next);
    });
    const resize = new ResizeObserver(() => {
      plot?.setSize({ width: element.clientWidth, height: propsRef.current.height ?? 220 });
    });
    resize.observe(element);
    return () => {
      unsubscribe();
      resize.disconnect();
      plot?.destroy();
    };
  }, []);

  return (
    <div
      className="chart"
      ref={container}
      role="img"
      aria-label={`${props.title}: no points yet`}
      data-testid={props.testId}
      data-points="0"
    />
  );
}

/** The family's quality row over the run, as every family's quality panel charts it. */
export function QualityChart({
  title = 'Quality',
  yRange,
}: {
  readonly title?: string;
  readonly yRange?: readonly [number, number];
}) {
  return (
    <LiveChart
      title={title}
      select={(s) => s.quality}
      testId="quality-chart"
      height={180}
      {...(yRange ? { yRange } : {})}
    />
  );
}

/** The experiment's loss terms over the run, named by info.lossNames. */
export function LossChart() {
  return <LiveChart title="Losses" select={(s) => s.losses} testId="loss-chart" />;
}
