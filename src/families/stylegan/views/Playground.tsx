import { ImageGridCanvas } from '../../../ui/components/common/ImageGridCanvas';
import { renderVersions, useAppStore } from '../../../ui/store/store';
import { WALK } from '../spec';
import {
  crossoverPresets,
  mixingFigure,
  newFaces,
  OFFSETS,
  playground,
  resampleNoise,
  setCrossover,
  setNoiseLayer,
  setNoiseStrength,
  setPsi,
  setTruncRange,
  slice,
} from './state';

const CELL = 64;
const resolution = (layer: number) => 4 * 2 ** Math.floor(layer / 2);
const layerName = (i: number) => `${i + 1} (${resolution(i)} px)`;

function MixingGrid({ layers }: { layers: number }) {
  const crossover = playground.use((s) => s.crossover);
  return (
    <section className="playground" aria-label="Style mixing">
      <h2>Style mixing</h2>
      <p className="hint">
        Each cell takes the styles of layers 1–{crossover} ({resolution(crossover - 1)} px and
        coarser) from its row's source A and the rest from its column's source B.
      </p>
      <ImageGridCanvas
        select={(s) => mixingFigure(s.rendered)}
        selectVersions={renderVersions}
        cell={CELL}
        gap={6}
        testId="mixing-grid"
        label="Style mixing: sources B across the top, sources A down the side"
      />
      <div className="buttons">
        {crossoverPresets(layers).map(([name, value]) => (
          <button
            type="button"
            key={name}
            aria-pressed={crossover === value}
            onClick={() => setCrossover(value)}
            data-testid={`crossover-${name}`}
          >
            A's {name}
          </button>
        ))}
        <label className="slider">
          <span>Crossover layer</span>
          <input
            type="range"
            min={1}
            max={layers - 1}
            step={1}
            value={crossover}
            data-testid="crossover"
            onChange={(e) => setCrossover(Number(e.target.value))}
          />
          <output>{crossover}</output>
        </label>
        <button type="button" onClick={newFaces} data-testid="new-faces">
          New faces
        </button>
      </div>
    </section>
  );
}

function Truncation({ layers }: { layers: number }) {
  const psi = playground.use((s) => s.psi);
  const from = playground.use((s) => s.truncFrom);
  const to = playground.use((s) => s.truncTo);
  const options = Array.from({ length: layers + 1 }, (_, i) => i);
  return (
    <section className="playground" aria-label="Truncation">
      <h2>Truncation</h2>
      <p className="hint">
        w' = w̄ + ψ (w − w̄) on layers {from + 1}–{to}: ψ 0 gives the tracked mean face, ψ 1 the
        untouched samples.
      </p>
      <ImageGridCanvas
        select={(s) => slice(s.rendered, OFFSETS.truncation, 1, WALK)}
        selectVersions={renderVersions}
        cell={CELL}
        gap={6}
        testId="truncation-output"
        label="Samples truncated toward the mean w"
      />
      <div className="buttons">
        <label className="slider">
          <span>ψ</span>
          <input
            type="range"
            min={0}
            max={1}
            step={0.05}
            value={psi}
            data-testid="truncation-psi"
            onChange={(e) => setPsi(Number(e.target.value))}
          />
          <output>{psi.toFixed(2)}</output>
        </label>
        <label>
          from layer{' '}
          <select
            value={from}
            onChange={(e) => setTruncRange(Number(e.target.value), to)}
            data-testid="truncation-from"
          >
            {options.slice(0, -1).map((i) => (
              <option key={i} value={i}>
                {i + 1}
              </option>
            ))}
          </select>
        </label>
        <label>
          to{' '}
          <select
            value={to}
            onChange={(e) => setTruncRange(from, Number(e.target.value))}
            data-testid="truncation-to"
          >
            {options.slice(1).map((i) => (
              <option key={i} value={i}>
                {i}
              </option>
            ))}
          </select>
        </label>
      </div>
    </section>
  );
}

function Noise({ layers }: { layers: number }) {
  const layer = playground.use((s) => s.noiseLayer);
  const strength = playground.use((s) => s.noiseStrength);
  return (
    <section className="playground" aria-label="Noise">
      <h2>Noise</h2>
      <p className="hint">
        One face, the same face with layer {layerName(layer)}'s noise redrawn, and what changed
        (amplified 4x).
      </p>
      <ImageGridCanvas
        select={(s) => slice(s.rendered, OFFSETS.noise, 1, 3)}
        selectVersions={renderVersions}
        cell={CELL}
        gap={6}
        testId="noise-output"
        label="With noise, noise of one layer resampled, their difference"
      />
      <div className="buttons">
        <label>
          Layer{' '}
          <select
            value={layer}
            onChange={(e) => setNoiseLayer(Number(e.target.value))}
            data-testid="noise-layer"
          >
            {Array.from({ length: layers }, (_, i) => (
              <option key={layerName(i)} value={i}>
                {layerName(i)}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={resampleNoise} data-testid="resample-noise">
          Resample
        </button>
      </div>
      <fieldset className="sliders active">
        <legend>Noise strength per layer</legend>
        {(strength ?? []).map((value, i) => (
          <label key={layerName(i)} className="slider">
            <span>{layerName(i)}</span>
            <input
              type="range"
              min={0}
              max={2}
              step={0.1}
              value={value}
              aria-label={`Noise strength of layer ${i + 1}`}
              onChange={(e) => setNoiseStrength(i, Number(e.target.value))}
            />
            <output>{value.toFixed(1)}</output>
          </label>
        ))}
      </fieldset>
    </section>
  );
}

function Walks() {
  return (
    <section className="playground" aria-label="Latent walks">
      <h2>Walks in Z and in W</h2>
      <p className="hint">
        The same two faces joined by a straight line in Z (top) and in W (bottom): the paper's
        perceptual path length is lower in W, where steps change the face more evenly.
      </p>
      <ImageGridCanvas
        select={(s) => slice(s.rendered, OFFSETS.walkZ, 2, WALK)}
        selectVersions={renderVersions}
        cell={CELL}
        gap={6}
        testId="walk-output"
        label="A walk in Z (top) and in W (bottom)"
      />
    </section>
  );
}

export function Playground() {
  const layers = useAppStore((s) => (s.info?.kind === 'stylegan' ? s.info.layers : 0));
  if (layers === 0) return null;
  return (
    <>
      <MixingGrid layers={layers} />
      <Truncation layers={layers} />
      <Noise layers={layers} />
      <Walks />
    </>
  );
}
