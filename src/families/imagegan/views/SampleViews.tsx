import { ImageGridCanvas } from '../../../ui/components/common/ImageGridCanvas';
import { QualityChart } from '../../../ui/components/common/LiveChart';
import { useAppStore } from '../../../ui/store/store';

/** The 4 x 4 samples from the run's fixed latents, redrawn as it trains. */
export function SampleGrid() {
  const step = useAppStore((s) => (s.frame?.kind === 'imagegan' ? s.frame.step : null));
  return (
    <figure className="translation-grid">
      <figcaption>Samples from fixed latents{step !== null && `, step ${step}`}</figcaption>
      <ImageGridCanvas
        select={(s) => (s.frame?.kind === 'imagegan' ? s.frame.grid : null)}
        selectStep={(s) => s.frame?.step ?? null}
        cell={64}
        gap={4}
        testId="sample-grid"
        label="Generated samples"
      />
    </figure>
  );
}

export function ImageGanQuality() {
  // The quality row: [Fréchet distance, real-vs-real floor].
  const quality = useAppStore((s) => s.latestQuality);
  const figure = (k: number) => {
    const value = quality?.[k];
    return value === undefined || Number.isNaN(value) ? '–' : value.toFixed(2);
  };
  return (
    <section className="quality" aria-label="Sample quality">
      <dl className="stats">
        <dt title="Fréchet distance between Gaussians fitted to the face classifier's 64 features of 128 real and 128 generated images">
          Fréchet distance
        </dt>
        <dd data-testid="frechet">{figure(0)}</dd>
        <dt title="The same distance between two batches of real images: what sample noise alone gives">
          Real vs real
        </dt>
        <dd>{figure(1)}</dd>
      </dl>
      <p className="hint">
        Computed on the features of our small face classifier, not Inception: comparable between
        runs here, not with published FIDs. Lower is better; the real-vs-real figure is the floor.
      </p>
      <QualityChart title="Fréchet distance" />
    </section>
  );
}
