import { ImageGridCanvas } from '../../ui/components/common/ImageGridCanvas';
import { LossChart, QualityChart } from '../../ui/components/common/LiveChart';
import type { AppState } from '../../ui/store/store';
import { useAppStore } from '../../ui/store/store';
import type { ImageGrid } from '../types';

const CELL = 56;
const GAP = 4;

/**
 * The live translate view of a translation family: held-out faces, what the generator(s) make
 * of them, and the true counterpart beside them (the data set knows it; the model never did).
 */
export function TranslateGrid({
  columns,
  select,
  caption,
  testId = 'translate-grid',
  label = 'Translations of held-out faces beside their true counterparts',
}: {
  readonly columns: readonly string[];
  readonly select: (s: AppState) => ImageGrid | null;
  readonly caption: string;
  /** The canvas's hook for tests (a family may show two grids). */
  readonly testId?: string;
  readonly label?: string;
}) {
  const step = useAppStore((s) => s.frame?.step ?? null);
  return (
    <figure className="translation-grid">
      <figcaption>
        {caption}
        {step !== null && `, step ${step}`}
      </figcaption>
      <div
        className="grid-titles"
        style={{ gridTemplateColumns: `repeat(${columns.length}, ${CELL}px)`, gap: GAP }}
      >
        {columns.map((title) => (
          <span key={title}>{title}</span>
        ))}
      </div>
      <ImageGridCanvas
        select={select}
        selectStep={(s) => s.frame?.step ?? null}
        cell={CELL}
        gap={GAP}
        testId={testId}
        label={label}
      />
    </figure>
  );
}

/** The quality row of a translation family: errors against the truth, beside the baseline. */
export function TranslationQuality({
  names,
  titles,
  baseline,
}: {
  readonly names: readonly string[];
  readonly titles: readonly string[];
  /** Mean |a - b| over held-out pairs: the error of returning the input unchanged. */
  readonly baseline: number | null;
}) {
  const quality = useAppStore((s) => s.latestQuality);
  return (
    <dl className="stats">
      {names.map((name, k) => {
        const value = quality?.[k];
        return (
          <div key={name} style={{ display: 'contents' }}>
            <dt title={titles[k]}>{name}</dt>
            <dd data-testid={`translation-quality-${k}`}>
              {value === undefined || Number.isNaN(value) ? '–' : value.toFixed(3)}
            </dd>
          </div>
        );
      })}
      <dt title="Mean |a − b| over the held-out pairs: the error of handing the input back unchanged, what an untrained model is measured against">
        Copy baseline
      </dt>
      <dd>{baseline === null ? '–' : baseline.toFixed(3)}</dd>
    </dl>
  );
}

/** The charts column of a translation family: every loss term, the errors and their curve. */
export function TranslationCharts(props: {
  readonly names: readonly string[];
  readonly titles: readonly string[];
  readonly baseline: number | null;
}) {
  return (
    <div className="charts">
      <LossChart />
      <section className="quality" aria-label="Translation quality">
        <TranslationQuality {...props} />
        <QualityChart title="Translation error (L1)" />
      </section>
    </div>
  );
}
