import { QualityChart } from '../../../ui/components/common/LiveChart';
import { useAppStore } from '../../../ui/store/store';

const percent = (v: number) => `${Math.round(v * 100)}%`;

export function Gan2dQuality() {
  // The quality row: [JS divergence, high-quality share, modes covered / modes].
  const quality = useAppStore((s) => s.latestQuality);
  const modesTotal = useAppStore((s) => (s.info?.kind === 'gan2d' ? s.info.modesTotal : null));
  const [js, highQuality, modeShare] = quality ?? [];
  return (
    <section className="quality" aria-label="Sample quality">
      <dl className="stats">
        {modesTotal !== null && modeShare !== undefined && (
          <>
            <dt title="Modes holding at least a fifth of their fair share of high-quality samples">
              Modes covered
            </dt>
            <dd data-testid="modes-covered">
              {Math.round(modeShare * modesTotal)} / {modesTotal}
            </dd>
            <dt title="Generated points within 3 standard deviations of a mode">High quality</dt>
            <dd>{percent(highQuality ?? 0)}</dd>
          </>
        )}
        <dt title="Jensen-Shannon divergence between real and generated histograms, in bits (0 = same, 1 = disjoint)">
          JS divergence
        </dt>
        <dd data-testid="js-divergence">{js !== undefined ? js.toFixed(3) : '–'}</dd>
      </dl>
      <QualityChart yRange={[0, 1]} />
    </section>
  );
}
