import { useId } from 'react';
import { HAIR_WORDS, unknownWords } from '../../../data/captions';
import { ImageGridCanvas } from '../../../ui/components/common/ImageGridCanvas';
import { renderVersions, useAppStore } from '../../../ui/store/store';
import {
  newLatents,
  PLAYGROUND_ROWS,
  playground,
  setAttribute,
  setCaption,
  toggleValues,
} from './state';

/** A constant empty list: a selector must not return a new array each call. */
const NONE: readonly never[] = [];

const CELL = 96;
const GAP = 6;

/** The stages' sizes as column heads over a grid of `cell`-wide images. */
export function StageHeads({ cell, gap }: { readonly cell: number; readonly gap: number }) {
  const sizes = useAppStore((s) => (s.info?.kind === 'stackgan' ? s.info.sizes : NONE));
  return (
    <div className="stage-heads">
      {sizes.map((size, i) => (
        <span key={size} style={{ width: cell + gap }} title={`Stage ${i + 1}: ${size} px`}>
          {cell >= 96 ? `Stage ${i + 1}: ` : ''}
          {size} px
        </span>
      ))}
    </div>
  );
}

function Toggle({
  on,
  label,
  onClick,
  testId,
}: {
  readonly on: boolean;
  readonly label: string;
  readonly onClick: () => void;
  readonly testId: string;
}) {
  return (
    <button
      type="button"
      className={on ? 'on' : ''}
      aria-pressed={on}
      onClick={onClick}
      data-testid={testId}
    >
      {label}
    </button>
  );
}

function AttributeToggles({ caption }: { readonly caption: string }) {
  const a = toggleValues(caption);
  return (
    <fieldset className="sliders active">
      <legend>Attributes (rewrite the caption)</legend>
      <div className="one-hot">
        {HAIR_WORDS.map((word, k) => (
          <Toggle
            key={word}
            on={a.hair === k}
            label={word}
            onClick={() => setAttribute({ hair: k })}
            testId={`toggle-hair-${word}`}
          />
        ))}
      </div>
      <div className="one-hot">
        <Toggle
          on={!a.male}
          label="woman"
          onClick={() => setAttribute({ male: false })}
          testId="toggle-woman"
        />
        <Toggle
          on={a.male}
          label="man"
          onClick={() => setAttribute({ male: true })}
          testId="toggle-man"
        />
        <Toggle
          on={a.young}
          label="young"
          onClick={() => setAttribute({ young: true })}
          testId="toggle-young"
        />
        <Toggle
          on={!a.young}
          label="old"
          onClick={() => setAttribute({ young: false })}
          testId="toggle-old"
        />
        <Toggle
          on={a.smiling}
          label="smiling"
          onClick={() => setAttribute({ smiling: true })}
          testId="toggle-smiling"
        />
        <Toggle
          on={!a.smiling}
          label="serious"
          onClick={() => setAttribute({ smiling: false })}
          testId="toggle-serious"
        />
      </div>
    </fieldset>
  );
}

/** A caption (typed or toggled) drawn at a few latents, every stage side by side. */
export function Playground() {
  const text = useAppStore((s) => s.info?.kind === 'stackgan' && s.info.mode === 'text');
  const caption = playground.use((s) => s.caption);
  const unknown = unknownWords(caption);
  const inputId = useId();
  return (
    <section className="playground" aria-label="Caption to image">
      <h2>{text ? 'Describe a face' : 'Samples at every stage'}</h2>
      {text && (
        <div className="caption-box">
          <label htmlFor={inputId}>Caption</label>
          <input
            id={inputId}
            type="text"
            value={caption}
            className={unknown.length > 0 ? 'has-unknown' : ''}
            aria-invalid={unknown.length > 0}
            onChange={(e) => setCaption(e.target.value)}
            data-testid="caption-input"
          />
          <p className="hint unknown-words" data-testid="unknown-words" data-count={unknown.length}>
            {unknown.length === 0 ? (
              'Every word is in the vocabulary.'
            ) : (
              <>
                Not in the vocabulary, so not read:{' '}
                {unknown.map((w, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: a word may repeat.
                  <mark key={`${w}-${i}`}>{w}</mark>
                ))}
              </>
            )}
          </p>
          <AttributeToggles caption={caption} />
        </div>
      )}
      <p className="hint">
        {PLAYGROUND_ROWS} latents (rows), each stage of the tree (columns) scaled to the finest
        size: the same latent under an edited caption changes only what the caption says.
      </p>
      <StageHeads cell={CELL} gap={GAP} />
      <div className="output-row">
        <ImageGridCanvas
          select={(s) =>
            s.rendered && s.info?.kind === 'stackgan'
              ? { ...s.rendered, rows: PLAYGROUND_ROWS, cols: s.info.sizes.length }
              : null
          }
          cell={CELL}
          gap={GAP}
          selectVersions={renderVersions}
          testId="stages-output"
          label="The caption drawn by every stage"
        />
      </div>
      <div className="buttons">
        <button type="button" onClick={newLatents} data-testid="new-latents">
          New latents
        </button>
      </div>
    </section>
  );
}
