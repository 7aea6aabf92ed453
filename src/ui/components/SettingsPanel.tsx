import { FAMILIES, SEED_RANGE } from '../../families';
import { chooseModel, editDraft, reset } from '../actions';
import { useAppStore } from '../store/store';
import { ChoiceField, NumberField } from './common/NumberField';
import { FamilyForm } from './FamilyForm';
import { TrainedModelButton } from './TrainedModelButton';

const MODELS = FAMILIES.map((family) => [family.kind, family.title] as const);

export function SettingsPanel() {
  const draft = useAppStore((s) => s.draft);
  const pending = useAppStore((s) => JSON.stringify(s.draft) !== JSON.stringify(s.experiment));
  const ready = useAppStore((s) => s.ready);
  const description = FAMILIES.find((family) => family.kind === draft.kind)?.description;

  return (
    <section className="settings" aria-label="Model and data settings">
      <ChoiceField
        label="Model"
        value={draft.kind}
        options={MODELS}
        testId="model"
        onChange={(kind) => {
          // Another model is another page: it shows at once, with its own views and data.
          chooseModel(kind);
          reset();
        }}
      />
      {description && <p className="hint">{description}</p>}
      <TrainedModelButton />
      <FamilyForm draft={draft} />
      <NumberField
        label="Seed"
        testId="seed"
        value={draft.seed}
        min={SEED_RANGE.min}
        max={SEED_RANGE.max}
        integer
        help="The same seed gives the same weights, data and noise."
        onChange={(seed) => editDraft((d) => ({ ...d, seed }))}
      />
      <div className={pending ? 'apply-bar pending' : 'apply-bar'}>
        <button type="button" disabled={!ready || !pending} onClick={reset} data-testid="apply">
          {pending ? 'Apply and reset' : 'Settings applied'}
        </button>
        {pending && <p className="hint">Changes take effect when the run restarts from step 0.</p>}
      </div>
    </section>
  );
}
