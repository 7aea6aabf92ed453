import { ImageGridCanvas } from '../../../ui/components/common/ImageGridCanvas';
import { renderVersions, useAppStore } from '../../../ui/store/store';
import {
  explorer,
  LATENT_SAMPLES,
  LATENT_SLIDERS,
  newLatents,
  setLatent,
  setLatentDimension,
  sliderValues,
} from './state';

const CELL = 64;
const GAP = 6;
const SLOTS = Array.from({ length: LATENT_SAMPLES }, (_, i) => ({ index: i, key: `sample-${i}` }));
const DIMENSIONS = Array.from({ length: LATENT_SLIDERS }, (_, i) => ({ index: i, key: `z-${i}` }));

/** Samples at seeded latents, sliders on sample A's first dimensions, and A-to-B interpolation. */
export function LatentExplorer() {
  const zDim = useAppStore((s) => (s.info?.kind === 'imagegan' ? s.info.zDim : 0));
  const a = explorer.use((s) => s.latentA);
  const b = explorer.use((s) => s.latentB);
  const interpolation = explorer.use((s) => s.interpolation);
  const edits = explorer.use((s) => s.latentEdits);
  const seed = explorer.use((s) => s.latentSeed);
  if (zDim === 0) return null;
  const values = sliderValues(
    { latentSeed: seed, latentA: a, latentB: b, latentEdits: edits, interpolation },
    zDim,
  );

  return (
    <section className="playground" aria-label="Latent explorer">
      <h2>Explore the latent space</h2>
      <p className="hint">
        Click a sample to make it A (the sliders move its first {LATENT_SLIDERS} of {zDim} latent
        dimensions); shift-click to make it B. The lower row walks from A to B.
      </p>
      <div className="latent-picks">
        {SLOTS.map(({ index: i, key }) => (
          <button
            type="button"
            key={key}
            style={{ width: CELL }}
            className={i === a ? 'picked' : i === b ? 'picked-b' : ''}
            aria-pressed={i === a || i === b}
            onClick={(e) => setLatent(e.shiftKey ? { latentB: i } : { latentA: i })}
            data-testid="latent-pick"
          >
            {i === a ? 'A' : i === b ? 'B' : i + 1}
          </button>
        ))}
      </div>
      <div className="output-row">
        <ImageGridCanvas
          select={(s) => (s.rendered ? { ...s.rendered, rows: 2, cols: LATENT_SAMPLES } : null)}
          cell={CELL}
          gap={GAP}
          selectVersions={renderVersions}
          testId="latent-output"
          label="Samples (top) and the interpolation from A to B (bottom)"
        />
      </div>
      <fieldset className="sliders active">
        <legend>Sample A, dimensions 1 to {LATENT_SLIDERS}</legend>
        {DIMENSIONS.map(({ index: i, key }) => (
          <label key={key} className="slider">
            <span>z[{i + 1}]</span>
            <input
              type="range"
              min={-3}
              max={3}
              step={0.01}
              value={values[i] ?? 0}
              aria-label={`Latent dimension ${i + 1}`}
              data-testid={`latent-slider-${i}`}
              onChange={(e) => setLatentDimension(i, Number(e.target.value))}
            />
            <output>{(values[i] ?? 0).toFixed(2)}</output>
          </label>
        ))}
      </fieldset>
      <div className="buttons">
        <label>
          <input
            type="radio"
            checked={interpolation === 'spherical'}
            onChange={() => setLatent({ interpolation: 'spherical' })}
          />{' '}
          Spherical
        </label>
        <label>
          <input
            type="radio"
            checked={interpolation === 'linear'}
            onChange={() => setLatent({ interpolation: 'linear' })}
          />{' '}
          Linear
        </label>
        <button type="button" onClick={newLatents} data-testid="new-latents">
          New latents
        </button>
      </div>
    </section>
  );
}
