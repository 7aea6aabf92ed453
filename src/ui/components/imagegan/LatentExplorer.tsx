import { explorerLatents, newLatents, setLatent, setLatentDimension } from '../../engine';
import { LATENT_SAMPLES, LATENT_SLIDERS, renderVersions, useAppStore } from '../../store/store';
import { ImageGridCanvas } from '../common/ImageGridCanvas';

const CELL = 64;
const GAP = 6;
const SLOTS = Array.from({ length: LATENT_SAMPLES }, (_, i) => ({ index: i, key: `sample-${i}` }));
const DIMENSIONS = Array.from({ length: LATENT_SLIDERS }, (_, i) => ({ index: i, key: `z-${i}` }));

/** Samples at seeded latents, sliders on sample A's first dimensions, and A-to-B interpolation. */
export function LatentExplorer() {
  const zDim = useAppStore((s) => (s.info?.kind === 'imagegan' ? s.info.zDim : 0));
  const a = useAppStore((s) => s.latentA);
  const b = useAppStore((s) => s.latentB);
  const interpolation = useAppStore((s) => s.interpolation);
  const edits = useAppStore((s) => s.latentEdits);
  // The slider values below derive from the latents of this seed: redraw when it changes.
  useAppStore((s) => s.latentSeed);
  if (zDim === 0) return null;
  const values =
    edits ?? Array.from(explorerLatents(useAppStore.getState(), zDim)[a]!.slice(0, LATENT_SLIDERS));

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
