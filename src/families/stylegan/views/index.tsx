import { ImageGridCanvas } from '../../../ui/components/common/ImageGridCanvas';
import { LossChart } from '../../../ui/components/common/LiveChart';
import { useAppStore } from '../../../ui/store/store';
import { ImageGanQuality } from '../../imagegan/views/SampleViews';
import type { FamilyViews } from '../../views';
import { Playground } from './Playground';
import { onExperiment, renderRequest } from './state';

/** G_ema's samples from the run's fixed latents and noise, redrawn as it trains. */
function SampleGrid() {
  const step = useAppStore((s) => (s.frame?.kind === 'stylegan' ? s.frame.step : null));
  return (
    <figure className="translation-grid">
      <figcaption>G_ema samples from fixed latents{step !== null && `, step ${step}`}</figcaption>
      <ImageGridCanvas
        select={(s) => (s.frame?.kind === 'stylegan' ? s.frame.grid : null)}
        selectStep={(s) => s.frame?.step ?? null}
        cell={64}
        gap={4}
        testId="sample-grid"
        label="Generated samples"
      />
    </figure>
  );
}

function Views() {
  return (
    <section className="views stargan stylegan">
      <div className="column">
        <SampleGrid />
        <Playground />
      </div>
      <div className="charts">
        <LossChart />
        {/* The image GANs' figure: Fréchet distance on the face classifier's features. */}
        <ImageGanQuality />
      </div>
    </section>
  );
}

export const styleganViews: FamilyViews<'stylegan'> = { Views, onExperiment, renderRequest };
