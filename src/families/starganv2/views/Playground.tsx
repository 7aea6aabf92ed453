import { FaceThumb } from '../../../ui/components/common/FaceThumb';
import { ImageGridCanvas } from '../../../ui/components/common/ImageGridCanvas';
import { ImageUploadButton } from '../../../ui/components/common/ImageUpload';
import { type AppState, renderVersions, useAppStore } from '../../../ui/store/store';
import type { ImageGrid } from '../../types';
import type { InfoStarGanV2, StyleChoice } from '../spec';
import {
  addUpload,
  MAX_REFERENCES,
  MAX_SOURCES,
  newStyles,
  playground,
  STYLES_PER_DOMAIN,
  setDomain,
  setEnd,
  setPsi,
  setT,
  toggle,
} from './state';

const THUMB = 40;
const CELL = 64;
let uploads = 0;

/** Part of the rendered images as a grid, the same object for the same render (no redraws). */
const slices = new WeakMap<ImageGrid, Map<string, ImageGrid>>();
function slice(grid: ImageGrid | null, start: number, rows: number, cols: number, total: number) {
  // A render of an older request (other counts) is not sliced until its successor arrives.
  if (!grid || grid.cols !== total || rows * cols === 0) return null;
  const byKey = slices.get(grid) ?? new Map<string, ImageGrid>();
  slices.set(grid, byKey);
  const key = `${start}/${rows}/${cols}`;
  let part = byKey.get(key);
  if (!part) {
    const bytes = grid.size * grid.size * 4;
    part = {
      rows,
      cols,
      size: grid.size,
      pixels: grid.pixels.slice(start * bytes, (start + rows * cols) * bytes),
    };
    byKey.set(key, part);
  }
  return part;
}

/** Where each part of the playground's render starts (see StylesRequest). */
function layout(domains: number) {
  const { sources, references, a, b } = playground.get();
  const latent = sources.length * domains * STYLES_PER_DOMAIN;
  const reference = sources.length > 0 ? sources.length * references.length : 0;
  const interpolation = a && b && sources.length > 0 ? 1 : 0;
  return {
    sources: sources.length,
    references: references.length,
    latent,
    reference,
    total: latent + reference + interpolation,
  };
}

function Output({
  part,
  testId,
  label,
  domains,
}: {
  part: 'latent' | 'reference' | 'interpolation';
  testId: string;
  label: string;
  domains: number;
}) {
  const select = (s: AppState) => {
    const l = layout(domains);
    if (part === 'latent')
      return slice(s.rendered, 0, l.sources * domains, STYLES_PER_DOMAIN, l.total);
    if (part === 'reference') return slice(s.rendered, l.latent, l.sources, l.references, l.total);
    return slice(s.rendered, l.latent + l.reference, 1, 1, l.total);
  };
  return (
    <ImageGridCanvas
      select={select}
      cell={part === 'interpolation' ? 2 * CELL : CELL}
      gap={4}
      selectVersions={renderVersions}
      testId={testId}
      label={label}
    />
  );
}

function styleLabel(choice: StyleChoice, info: InfoStarGanV2): string {
  return choice.kind === 'latent'
    ? `latent ${choice.index + 1} as ${info.domains[choice.domain]}`
    : `reference ${choice.key} as ${info.domains[choice.domain]}`;
}

function StyleSelect({ end, info }: { end: 'a' | 'b'; info: InfoStarGanV2 }) {
  const value = playground.use((s) => s[end]);
  const references = playground.use((s) => s.references);
  const candidates = playground.use((s) => s.candidates);
  const options: StyleChoice[] = [
    ...info.domains.flatMap((_, domain) =>
      Array.from(
        { length: STYLES_PER_DOMAIN },
        (_, index) => ({ kind: 'latent', domain, index }) as const,
      ),
    ),
    ...references.map(
      (key) =>
        ({
          kind: 'reference',
          key,
          domain: candidates.find((c) => c.key === key)?.domain ?? 0,
        }) as const,
    ),
  ];
  const id = (c: StyleChoice) => JSON.stringify(c);
  return (
    <label>
      {end === 'a' ? 'From' : 'To'}{' '}
      <select
        data-testid={`style-${end}`}
        value={value ? id(value) : ''}
        onChange={(e) => setEnd(end, JSON.parse(e.target.value) as StyleChoice)}
      >
        {options.map((o) => (
          <option key={id(o)} value={id(o)}>
            {styleLabel(o, info)}
          </option>
        ))}
      </select>
    </label>
  );
}

/** Sources, references and styles: latent rows, the reference grid and the style slider. */
export function Playground() {
  const info = useAppStore((s) => (s.info?.kind === 'starganv2' ? s.info : null));
  const candidates = playground.use((s) => s.candidates);
  const sources = playground.use((s) => s.sources);
  const references = playground.use((s) => s.references);
  const psi = playground.use((s) => s.psi);
  const t = playground.use((s) => s.t);
  if (!info) return null;
  const domains = info.domains.length;

  return (
    <section className="playground" aria-label="Style playground">
      <h2>Play with styles</h2>
      <p className="hint">
        Pick up to {MAX_SOURCES} sources (S) and {MAX_REFERENCES} references (R) among held-out
        images, or upload your own and say which domain each is. Every image here comes from the
        moving averages of G, F and E, as the reference samples.
      </p>
      <div className="candidates" data-testid="image-picker">
        {candidates.map((c) => (
          <div key={c.key} className="candidate" title={c.caption}>
            <FaceThumb pixels={c.pixels} cell={THUMB} />
            <small>{c.caption}</small>
            <span>
              <button
                type="button"
                aria-pressed={sources.includes(c.key)}
                className={sources.includes(c.key) ? 'picked' : ''}
                onClick={() => toggle('sources', c.key)}
                data-testid="pick-source"
              >
                S
              </button>
              <button
                type="button"
                aria-pressed={references.includes(c.key)}
                className={references.includes(c.key) ? 'picked' : ''}
                onClick={() => toggle('references', c.key)}
                data-testid="pick-reference"
              >
                R
              </button>
            </span>
            {c.key.startsWith('upload-') && (
              <select
                aria-label={`Domain of ${c.caption}`}
                value={c.domain}
                onChange={(e) => setDomain(c.key, Number(e.target.value))}
              >
                {info.domains.map((d, k) => (
                  <option key={d} value={k}>
                    {d}
                  </option>
                ))}
              </select>
            )}
          </div>
        ))}
        <ImageUploadButton
          size={info.imageSize}
          testId="upload-image"
          onImage={(pixels, caption) =>
            addUpload({ key: `upload-${uploads++}`, caption, domain: 0, pixels })
          }
        />
      </div>

      <h3>Latent-guided</h3>
      <p className="hint">
        Each row: a source painted as one domain ({info.domains.join(', ')} in turn), in{' '}
        {STYLES_PER_DOMAIN} random styles s = F(z, y).
      </p>
      <div className="controls">
        <button type="button" onClick={newStyles} data-testid="new-styles">
          New styles
        </button>
        <label className="slider">
          <span>Truncation ψ</span>
          <input
            type="range"
            min={0}
            max={1}
            step={0.05}
            value={psi}
            data-testid="psi"
            aria-label="Truncation psi"
            onChange={(e) => setPsi(Number(e.target.value))}
          />
          <output>{psi.toFixed(2)}</output>
        </label>
      </div>
      <Output
        part="latent"
        testId="latent-output"
        label="Latent-guided outputs"
        domains={domains}
      />

      <h3>Reference-guided</h3>
      <p className="hint">Sources down, references across: each cell is G(source, E(reference)).</p>
      <div className="reference-grid">
        <div className="reference-sources">
          {/* A blank corner over the sources, as in the paper's grid. */}
          <span style={{ height: CELL }} />
          {sources.map((key) => (
            <FaceThumb
              key={key}
              pixels={candidates.find((c) => c.key === key)!.pixels}
              cell={CELL}
            />
          ))}
        </div>
        <div>
          <div className="output-row">
            {references.map((key) => (
              <FaceThumb
                key={key}
                pixels={candidates.find((c) => c.key === key)!.pixels}
                cell={CELL}
              />
            ))}
          </div>
          <Output
            part="reference"
            testId="reference-output"
            label="Reference-guided outputs"
            domains={domains}
          />
        </div>
      </div>

      <h3>Style interpolation</h3>
      <p className="hint">The first source, with the style s = (1 - t) s_from + t s_to.</p>
      <div className="controls">
        <StyleSelect end="a" info={info} />
        <StyleSelect end="b" info={info} />
        <label className="slider">
          <span>t</span>
          <input
            type="range"
            min={0}
            max={1}
            step={0.05}
            value={t}
            data-testid="interpolation"
            aria-label="Interpolation"
            onChange={(e) => setT(Number(e.target.value))}
          />
          <output>{t.toFixed(2)}</output>
        </label>
      </div>
      <Output
        part="interpolation"
        testId="interpolation-output"
        label="Interpolated style"
        domains={domains}
      />
    </section>
  );
}
