/**
 * The three translators side by side: each run of Pix2Pix, CycleGAN or UNIT leaves its latest
 * held-out figures here (kept in this browser's storage, so a reload or a share link keeps
 * them), so after training or loading each one the table shows, on the same held-out faces,
 * what pairing and cycle consistency buy.
 */
import { useEffect } from 'react';
import { chooseModel, reset } from '../../ui/actions';
import { familyState } from '../../ui/store/familyState';
import { useAppStore } from '../../ui/store/store';
import { describeModel, type ExperimentKind } from '..';
import { type CopyBaseline, shownFigure, twoWayFigures } from './spec';

/** The translation families, in the order of the line of work (paired first). */
export const TRANSLATORS: readonly { readonly kind: ExperimentKind; readonly name: string }[] = [
  { kind: 'pix2pix', name: 'Pix2Pix (paired)' },
  { kind: 'cyclegan', name: 'CycleGAN' },
  { kind: 'unit', name: 'UNIT' },
];

/** The rows: every figure any of the three reports (Pix2Pix's are a subset), by name. */
const ROWS = twoWayFigures({ ab: 'A→B(a)', ba: 'B→A(b)' });

interface Measured {
  readonly step: number;
  readonly description: string;
  readonly figures: Readonly<Record<string, number>>;
  readonly baseline: CopyBaseline;
}

type Runs = Readonly<Record<string, Measured>>;

const STORAGE_KEY = 'gan-playground:translation-comparison';

/** The runs kept by an earlier visit; anything unreadable (or no storage) is an empty table. */
function storedRuns(): Runs {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '{}');
    if (typeof parsed !== 'object' || parsed === null) return {};
    return Object.fromEntries(
      Object.entries(parsed).filter(
        ([kind, run]) =>
          TRANSLATORS.some((t) => t.kind === kind) &&
          typeof (run as Measured).step === 'number' &&
          typeof (run as Measured).figures === 'object' &&
          typeof (run as Measured).baseline?.l1 === 'number',
      ),
    );
  } catch {
    return {};
  }
}

function storeRuns(runs: Runs): void {
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(runs));
  } catch {
    // Private modes may refuse storage: the table still works for this page.
  }
}

const comparison = familyState<{ readonly runs: Runs }>('translation-comparison', {
  runs: typeof localStorage === 'undefined' ? {} : storedRuns(),
});

function clearRuns(): void {
  comparison.set({ runs: {} });
  storeRuns({});
}

/** Keeps the current run's latest figures as its family's entry in the comparison. */
function useRecord(kind: ExperimentKind, baseline: CopyBaseline | null): void {
  useEffect(
    () =>
      useAppStore.subscribe((s, before) => {
        const { info, latestQuality } = s;
        if (latestQuality === before.latestQuality || !latestQuality || !baseline) return;
        if (info?.kind !== kind) return;
        const figures = Object.fromEntries(
          info.qualityNames.map((name, i) => [name, latestQuality[i]!] as const),
        );
        if (Object.values(figures).some(Number.isNaN)) return;
        const measured = {
          step: s.step,
          description: describeModel(s.experiment),
          figures,
          baseline,
        };
        const runs = { ...comparison.get().runs, [kind]: measured };
        comparison.set({ runs });
        storeRuns(runs);
      }),
    [kind, baseline],
  );
}

export function TranslationComparison({
  kind,
  baseline,
}: {
  readonly kind: ExperimentKind;
  readonly baseline: CopyBaseline | null;
}) {
  useRecord(kind, baseline);
  const runs = comparison.use((c) => c.runs);
  const copy = baseline ?? Object.values(runs)[0]?.baseline ?? null;
  return (
    <section className="comparison" aria-label="The three translators compared">
      <h3>Pix2Pix, CycleGAN and UNIT compared</h3>
      <p className="hint">
        The latest held-out figures of each translator run on this page (the same held-out faces for
        every run of one seed and size). Train or load each to fill its column.
      </p>
      <table className="figures" data-testid="translation-comparison">
        <thead>
          <tr>
            <th scope="col">Held-out figure</th>
            {TRANSLATORS.map((t) => (
              <th scope="col" key={t.kind} title={runs[t.kind]?.description}>
                {t.kind === kind ? (
                  t.name
                ) : (
                  <button
                    type="button"
                    className="link"
                    onClick={() => {
                      chooseModel(t.kind);
                      reset();
                    }}
                  >
                    {t.name}
                  </button>
                )}
              </th>
            ))}
            <th scope="col" title="What handing the input back unchanged scores">
              Copy
            </th>
          </tr>
        </thead>
        <tbody>
          {ROWS.map((figure) => (
            <tr key={figure.name}>
              <th scope="row" title={figure.title}>
                {figure.name}
              </th>
              {TRANSLATORS.map((t) => (
                <td key={t.kind} data-testid={`compare-${t.kind}`}>
                  {shownFigure(figure, runs[t.kind]?.figures[figure.name])}
                </td>
              ))}
              <td>{copy ? shownFigure(figure, figure.copy(copy)) : '–'}</td>
            </tr>
          ))}
          <tr>
            <th scope="row">At step</th>
            {TRANSLATORS.map((t) => (
              <td key={t.kind} data-testid={`compare-step-${t.kind}`}>
                {runs[t.kind]?.step ?? '–'}
              </td>
            ))}
            <td>
              <button type="button" className="link" onClick={clearRuns}>
                Clear
              </button>
            </td>
          </tr>
        </tbody>
      </table>
    </section>
  );
}
