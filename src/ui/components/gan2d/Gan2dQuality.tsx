import { useAppStore } from '../../store/store';
import { LiveChart } from '../common/LiveChart';

const percent = (v: number) => `${Math.round(v * 100)}%`;

export function Gan2dQuality() {
  const quality = useAppStore((s) => (s.frame?.kind === 'gan2d' ? s.frame.quality : null));
  return (
    <section className="quality" aria-label="Sample quality">
      <dl className="stats">
        {quality?.modesCovered != null && (
          <>
            <dt title="Modes holding at least a fifth of their fair share of high-quality samples">
              Modes covered
            </dt>
            <dd data-testid="modes-covered">
              {quality.modesCovered} / {quality.modesTotal}
            </dd>
            <dt title="Generated points within 3 standard deviations of a mode">High quality</dt>
            <dd>{percent(quality.highQualityShare ?? 0)}</dd>
          </>
        )}
        <dt title="Jensen-Shannon divergence between real and generated histograms, in bits (0 = same, 1 = disjoint)">
          JS divergence
        </dt>
        <dd data-testid="js-divergence">{quality ? quality.jsDivergence.toFixed(3) : '–'}</dd>
      </dl>
      <LiveChart
        title="Quality"
        select={(s) => s.quality}
        testId="quality-chart"
        yRange={[0, 1]}
        height={180}
      />
    </section>
  );
}
