import { DATASETS_2D, DISTRIBUTIONS_2D } from '../../data/toy2d';
import type { Gan2dConfig } from '../../models/gan2d.config';
import { editDraft, reset } from '../engine';
import { useAppStore } from '../store/store';

interface NumberFieldProps {
  readonly label: string;
  readonly value: number;
  readonly min: number;
  readonly max: number;
  readonly step?: number;
  readonly integer?: boolean;
  readonly onChange: (value: number) => void;
}

/** Only values inside [min, max] reach the draft; the field shows what was typed meanwhile. */
function NumberField({ label, value, min, max, step, integer, onChange }: NumberFieldProps) {
  return (
    <label className="field">
      <span>{label}</span>
      <input
        type="number"
        min={min}
        max={max}
        step={step ?? (integer ? 1 : 'any')}
        defaultValue={value}
        key={value}
        onChange={(e) => {
          const v = Number(e.target.value);
          const valid =
            e.target.value !== '' && v >= min && v <= max && (!integer || Number.isInteger(v));
          e.target.setCustomValidity(
            valid ? '' : `Enter ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}`,
          );
          if (valid) onChange(v);
        }}
      />
    </label>
  );
}

function editModel(change: Partial<Gan2dConfig>): void {
  editDraft((draft) => ({ ...draft, model: { ...draft.model, ...change } }));
}

export function SettingsPanel() {
  const draft = useAppStore((s) => s.draft);
  const pending = useAppStore((s) => JSON.stringify(s.draft) !== JSON.stringify(s.experiment));
  const ready = useAppStore((s) => s.ready);
  const m = draft.model;

  return (
    <section className="settings" aria-label="Model and data settings">
      <h2>Vanilla GAN on 2D data</h2>
      <label className="field">
        <span>Data</span>
        <select
          value={m.dataset}
          onChange={(e) => editModel({ dataset: e.target.value as Gan2dConfig['dataset'] })}
          data-testid="dataset"
        >
          {DATASETS_2D.map((name) => (
            <option key={name} value={name}>
              {DISTRIBUTIONS_2D[name].label}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>Loss</span>
        <select
          value={m.loss}
          onChange={(e) => editModel({ loss: e.target.value as Gan2dConfig['loss'] })}
        >
          <option value="nonSaturating">Log loss (non-saturating G)</option>
          <option value="leastSquares">Least squares (LSGAN)</option>
        </select>
      </label>
      <label className="field">
        <span>Optimiser</span>
        <select
          value={m.optimizer}
          onChange={(e) => editModel({ optimizer: e.target.value as Gan2dConfig['optimizer'] })}
        >
          <option value="adam">Adam (β1 0.5, β2 0.999)</option>
          <option value="sgd">SGD</option>
        </select>
      </label>
      <fieldset>
        <legend>Generator</legend>
        <NumberField
          label="Hidden layers"
          value={m.gLayers}
          min={0}
          max={5}
          integer
          onChange={(v) => editModel({ gLayers: v })}
        />
        <NumberField
          label="Units per layer"
          value={m.gWidth}
          min={1}
          max={128}
          integer
          onChange={(v) => editModel({ gWidth: v })}
        />
        <NumberField
          label="Noise dimensions"
          value={m.noiseDim}
          min={1}
          max={16}
          integer
          onChange={(v) => editModel({ noiseDim: v })}
        />
        <NumberField
          label="Learning rate"
          value={m.lrG}
          min={1e-6}
          max={1}
          onChange={(v) => editModel({ lrG: v })}
        />
        <NumberField
          label="G steps per step (k_G)"
          value={m.kG}
          min={1}
          max={10}
          integer
          onChange={(v) => editModel({ kG: v })}
        />
      </fieldset>
      <fieldset>
        <legend>Discriminator</legend>
        <NumberField
          label="Hidden layers"
          value={m.dLayers}
          min={0}
          max={5}
          integer
          onChange={(v) => editModel({ dLayers: v })}
        />
        <NumberField
          label="Units per layer"
          value={m.dWidth}
          min={1}
          max={128}
          integer
          onChange={(v) => editModel({ dWidth: v })}
        />
        <NumberField
          label="Learning rate"
          value={m.lrD}
          min={1e-6}
          max={1}
          onChange={(v) => editModel({ lrD: v })}
        />
        <NumberField
          label="D steps per step (k_D)"
          value={m.kD}
          min={1}
          max={10}
          integer
          onChange={(v) => editModel({ kD: v })}
        />
      </fieldset>
      <NumberField
        label="Batch size"
        value={m.batchSize}
        min={1}
        max={1024}
        integer
        onChange={(v) => editModel({ batchSize: v })}
      />
      <NumberField
        label="Seed"
        value={draft.seed}
        min={0}
        max={2 ** 31 - 1}
        integer
        onChange={(seed) => editDraft((d) => ({ ...d, seed }))}
      />
      <button type="button" disabled={!ready || !pending} onClick={reset} data-testid="apply">
        {pending ? 'Apply and reset' : 'Settings applied'}
      </button>
      {pending && <p className="hint">Changes take effect when the run restarts from step 0.</p>}
    </section>
  );
}
