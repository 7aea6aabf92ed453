import { ImageGridCanvas } from '../../../ui/components/common/ImageGridCanvas';
import { LossChart } from '../../../ui/components/common/LiveChart';
import { useAppStore } from '../../../ui/store/store';
import type { FamilyViews } from '../../views';
import { Playground, StageHeads } from './Playground';
import { StackGanQuality } from './Quality';
import { onExperiment, renderRequest } from './state';

/** A constant empty list: a selector must not return a new array each call. */
const NONE: readonly never[] = [];

/** The run's fixed captions and latents at every stage, redrawn as it trains. */
function StageGrid() {
  const step = useAppStore((s) => (s.frame?.kind === 'stackgan' ? s.frame.step : null));
  const captions = useAppStore((s) => (s.info?.kind === 'stackgan' ? s.info.gridCaptions : NONE));
  return (
    <figure className="translation-grid">
      <figcaption>
        Fixed {captions.length > 0 ? 'captions' : 'latents'}, every stage
        {step !== null && `, step ${step}`}
      </figcaption>
      <StageHeads cell={64} gap={4} />
      <ImageGridCanvas
        select={(s) => (s.frame?.kind === 'stackgan' ? s.frame.grid : null)}
        selectStep={(s) => s.frame?.step ?? null}
        cell={64}
        gap={4}
        testId="stage-grid"
        label="Samples of the weight-averaged G at every stage"
      />
      {captions.length > 0 && (
        <ol className="hint">
          {captions.map((c) => (
            <li key={c}>{c}</li>
          ))}
        </ol>
      )}
    </figure>
  );
}

function Views() {
  return (
    <section className="views stargan">
      <div className="column">
        <StageGrid />
        <Playground />
      </div>
      <div className="charts">
        <LossChart />
        <StackGanQuality />
      </div>
    </section>
  );
}

export const stackganViews: FamilyViews<'stackgan'> = { Views, onExperiment, renderRequest };
