import { GridTitles } from '../../ui/components/common/GridTitles';
import { ImageGridCanvas } from '../../ui/components/common/ImageGridCanvas';
import { LossChart, QualityChart } from '../../ui/components/common/LiveChart';
import type { AppState } from '../../ui/store/store';
import { useAppStore } from '../../ui/store/store';
import type { ExperimentKind } from '..';
import type { ImageGrid } from '../types';
import { TranslationComparison } from './Comparison';
import {
  type CopyBaseline,
  shownFigure,
  type TranslationFigure,
  type TranslationInfo,
} from './spec';

const CELL = 56;
const GAP = 4;

/** A two-way grid's caption: which domain is on top, what the columns show (`how`: the route). */
export function twoWayCaption(info: TranslationInfo<string> | null, how: string): string {
  if (!info) return '';
  const { A, B } = info.domainNames;
  const truth = info.gridColumns.includes('True counterpart') ? ', and the truth' : '';
  return `Held-out images, ${A} (top rows) and ${B} (bottom rows): translated${how}, back again${truth}`;
}

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
      <GridTitles columns={columns} cell={CELL} gap={GAP} />
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

/**
 * The quality row of a translation family: each figure now, beside what copying the input
 * scores (the untrained baseline it is read against).
 */
export function TranslationQuality({
  figures,
  baseline,
}: {
  readonly figures: readonly TranslationFigure[];
  readonly baseline: CopyBaseline | null;
}) {
  const quality = useAppStore((s) => s.latestQuality);
  return (
    <table className="figures" aria-label="Held-out figures">
      <thead>
        <tr>
          <th scope="col">Held-out figure</th>
          <th scope="col">Now</th>
          <th scope="col" title="What handing the input back unchanged scores">
            Copy
          </th>
        </tr>
      </thead>
      <tbody>
        {figures.map((figure, k) => (
          <tr key={figure.name}>
            <th scope="row" title={figure.title}>
              {figure.name}
            </th>
            <td data-testid={`translation-quality-${k}`}>{shownFigure(figure, quality?.[k])}</td>
            <td>{baseline ? shownFigure(figure, figure.copy(baseline)) : '–'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * The charts column of a translation family: every loss term, the figures and their curves,
 * and the three translators compared.
 */
export function TranslationCharts({
  kind,
  figures,
  baseline,
}: {
  readonly kind: ExperimentKind;
  readonly figures: readonly TranslationFigure[];
  readonly baseline: CopyBaseline | null;
}) {
  return (
    <div className="charts">
      <LossChart />
      <section className="quality" aria-label="Translation quality">
        <TranslationQuality figures={figures} baseline={baseline} />
        <QualityChart title="Held-out figures" />
      </section>
      <TranslationComparison kind={kind} baseline={baseline} />
    </div>
  );
}
