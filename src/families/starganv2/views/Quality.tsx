import { QualityChart } from '../../../ui/components/common/LiveChart';
import { useAppStore } from '../../../ui/store/store';

const percent = (v: number | null) => (v === null ? '–' : `${Math.round(v * 100)}%`);
const fixed = (v: number | null) => (v === null ? '–' : v.toFixed(3));

export function StarGanV2Quality() {
  // [domain accuracy, diversity L1, content error, reference fur error]
  const quality = useAppStore((s) => s.latestQuality);
  const reader = useAppStore((s) => (s.info?.kind === 'starganv2' ? s.info.readerAccuracy : null));
  const figure = (k: number) => {
    const value = quality?.[k];
    return value === undefined || Number.isNaN(value) ? null : value;
  };
  return (
    <section className="quality" aria-label="Translation quality">
      <dl className="stats">
        <dt title="Share of outputs (latent- and reference-guided, 12 held-out sources to every domain) whose domain the attribute reader reads as the target">
          Domain accuracy
        </dt>
        <dd data-testid="domain-accuracy">{percent(figure(0))}</dd>
        <dt title="Mean L1 (pixels in [-1, 1]) between two outputs of the same source and domain under two random styles: 0 means the style is ignored">
          Diversity (L1)
        </dt>
        <dd data-testid="diversity">{fixed(figure(1))}</dd>
        <dt title="Mean |position x, y, size| the reader reads in the output minus the source's true ones, in image sides: how well the content is kept">
          Content error
        </dt>
        <dd>{fixed(figure(2))}</dd>
        <dt title="Mean |fur RGB| the reader reads in reference-guided outputs minus the reference's true fur, RGB in [-1, 1]: how well the reference's style is kept">
          Reference fur error
        </dt>
        <dd>{fixed(figure(3))}</dd>
      </dl>
      {reader ? (
        <p className="hint">
          The reader (a ridge regression fitted apart on real animals) reads held-out real animals
          with {percent(reader.domain)} domain accuracy, content error {reader.content.toFixed(3)}{' '}
          and fur error {reader.fur.toFixed(3)}.
        </p>
      ) : (
        <p className="hint">
          The attribute reader knows the toy animals only: uploaded data has diversity alone.
        </p>
      )}
      <QualityChart yRange={[0, 1]} />
    </section>
  );
}
