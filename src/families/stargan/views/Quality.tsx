import { QualityChart } from '../../../ui/components/common/LiveChart';
import { useAppStore } from '../../../ui/store/store';

const percent = (v: number | null) => (v === null ? '–' : `${Math.round(v * 100)}%`);

export function StarGanQuality() {
  // The quality row: [attribute transfer, expression transfer, preservation L1].
  const quality = useAppStore((s) => s.latestQuality);
  const figure = (k: number) => {
    const value = quality?.[k];
    return value === undefined || Number.isNaN(value) ? null : value;
  };
  const uploaded = useAppStore(
    (s) => s.experiment.kind === 'stargan' && s.experiment.model.data === 'uploaded',
  );
  const classifier = useAppStore((s) =>
    s.info?.kind === 'stargan' ? s.info.classifierAccuracy : null,
  );
  const size = useAppStore((s) => (s.info?.kind === 'stargan' ? s.info.imageSize : 0));
  return (
    <section className="quality" aria-label="Translation quality">
      {classifier === null ? (
        <p className="hint">
          {uploaded
            ? 'The face classifier knows the toy faces only, so uploaded data has no quality figures; judge by the translation grid.'
            : 'The face classifier is not loaded, so there are no quality figures.'}
        </p>
      ) : (
        <dl className="stats">
          <dt title="Share of target attribute groups (hair colour, Male, Young) that a separately trained classifier reads in G(x, c), over 16 held-out faces with random targets">
            Attribute transfer
          </dt>
          <dd data-testid="attribute-accuracy">{percent(figure(0))}</dd>
          <dt title="Share of target expressions the classifier reads in G(x, c)">
            Expression transfer
          </dt>
          <dd>{percent(figure(1))}</dd>
          <dt title="Mean |G(x, c_org) - x| on pixels in [-1, 1]: how much G changes a face asked to keep its own labels (0 is perfect)">
            Preservation L1
          </dt>
          <dd data-testid="preservation">{figure(2)?.toFixed(3) ?? '–'}</dd>
        </dl>
      )}
      {classifier && (
        <p className="hint">
          The classifier reads real held-out faces at {size} px with{' '}
          {percent(classifier[`attributes@${size}px`] ?? null)} attribute and{' '}
          {percent(classifier[`expressions@${size}px`] ?? null)} expression accuracy.
        </p>
      )}
      <QualityChart yRange={[0, 1]} />
    </section>
  );
}
