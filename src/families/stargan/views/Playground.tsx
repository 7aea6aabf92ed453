import { FaceThumb } from '../../../ui/components/common/FaceThumb';
import { ImageGridCanvas } from '../../../ui/components/common/ImageGridCanvas';
import { ImageUploadButton } from '../../../ui/components/common/ImageUpload';
import { renderVersions, useAppStore } from '../../../ui/store/store';
import type { LabelDomainInfo } from '../spec';
import {
  addUpload,
  MAX_INPUTS,
  playground,
  setActiveDomain,
  setOneHot,
  setSlider,
  toggleInput,
} from './state';

const THUMB = 44;
const OUTPUT = 96;

let uploads = 0;

function LabelSliders({ domain }: { readonly domain: LabelDomainInfo }) {
  const values = playground.use((s) => s.sliders[domain.name]);
  const active = playground.use((s) => s.activeDomain === domain.name);
  const oneOf = domain.group;
  return (
    <fieldset
      className={`sliders ${active ? 'active' : ''}`}
      data-testid={`sliders-${domain.name}`}
    >
      <legend>{domain.title}</legend>
      {oneOf.length > 0 && (
        <div className="one-hot">
          {oneOf.map((k) => (
            <button
              type="button"
              key={k}
              className={
                values[k] === 1 && oneOf.every((j) => j === k || values[j] === 0) ? 'on' : ''
              }
              onClick={() => setOneHot(domain.name, oneOf, k)}
            >
              {domain.labels[k]!.replace('_Hair', '')}
            </button>
          ))}
        </div>
      )}
      {domain.labels.map((label, k) => (
        <label key={label} className="slider">
          <span>{label.replaceAll('_', ' ')}</span>
          <input
            type="range"
            min={0}
            max={1}
            step={0.01}
            value={values[k] ?? 0}
            aria-label={label}
            data-testid={`slider-${label}`}
            onChange={(e) => setSlider(domain.name, k, Number(e.target.value))}
          />
          <output>{(values[k] ?? 0).toFixed(2)}</output>
        </label>
      ))}
    </fieldset>
  );
}

/** Pick faces, move label sliders, and see G's translation within one generator pass. */
export function Playground() {
  const info = useAppStore((s) => (s.info?.kind === 'stargan' ? s.info : null));
  const candidates = playground.use((s) => s.candidates);
  const selected = playground.use((s) => s.selected);
  const activeDomain = playground.use((s) => s.activeDomain);
  if (!info) return null;

  const picked = selected
    .map((key) => candidates.find((c) => c.key === key))
    .filter((c) => c !== undefined);

  return (
    <section className="playground" aria-label="Attribute sliders">
      <h2>Play with the generator</h2>
      <p className="hint">
        Pick up to {MAX_INPUTS} faces (held-out, never trained on) or upload your own, then move the
        sliders. The model was trained on labels of exactly 0 or 1: values in between, or two hair
        colours at once, are beyond what it was trained on, and what you see is its extrapolation.
        {info.imageSize === 128 &&
          ' At 128 px an uploaded photo is cropped as the reference tests CelebA: the centred 178 px square of a 178 × 218 photo (the same proportion of any other), resized to 128 px.'}
      </p>
      <div className="candidates" data-testid="face-picker">
        {candidates.map((c) => (
          <button
            type="button"
            key={c.key}
            title={c.caption}
            className={selected.includes(c.key) ? 'picked' : ''}
            aria-pressed={selected.includes(c.key)}
            onClick={() => toggleInput(c.key)}
            data-testid="face-candidate"
          >
            <FaceThumb pixels={c.pixels} cell={THUMB} />
            <small>{c.caption}</small>
          </button>
        ))}
        <ImageUploadButton
          size={info.imageSize}
          // A 128 px model is the reference's CelebA size: crop as its test transform does.
          crop={info.imageSize === 128 ? 'celeba' : 'square'}
          testId="upload-face"
          onImage={(pixels, caption) => addUpload({ key: `upload-${uploads++}`, caption, pixels })}
        />
      </div>
      {info.domains.length > 1 && (
        <div className="domain-choice" role="radiogroup" aria-label="Label set">
          {info.domains.map((d) => (
            <label key={d.name}>
              <input
                type="radio"
                name="domain"
                checked={activeDomain === d.name}
                onChange={() => setActiveDomain(d.name)}
              />{' '}
              {d.title} (mask = {d.name})
            </label>
          ))}
        </div>
      )}
      <div className="slider-groups">
        {info.domains.map((d) => (
          <LabelSliders key={d.name} domain={d} />
        ))}
      </div>
      <div className="outputs">
        <div className="output-row">
          {picked.map((c) => (
            <FaceThumb key={c.key} pixels={c.pixels} cell={OUTPUT} />
          ))}
        </div>
        <div className="output-row">
          <ImageGridCanvas
            select={(s) => s.rendered}
            cell={OUTPUT}
            gap={8}
            selectVersions={renderVersions}
            testId="slider-output"
            label="Generator output at the slider values"
          />
        </div>
      </div>
    </section>
  );
}
