/**
 * "Try a trained model": one click loads the chosen family's trained generator, shipped in
 * public/models/trained/ and fetched only then. Which file comes from the family's spec
 * (`trained`), so nothing here knows the families.
 */
import { familyFor } from '../../families';
import { importTrained } from '../runs';
import { useAppStore } from '../store/store';

export function TrainedModelButton() {
  const draft = useAppStore((s) => s.draft);
  const busy = useAppStore((s) => !s.ready || s.transfer !== null);
  const models = familyFor(draft).trained ?? [];
  const settings = draft.model as unknown as Record<string, unknown>;
  const model = models.find((m) => m.fits?.(settings) ?? true) ?? models[0];
  if (!model) return null;
  return (
    <div className="trained-model">
      <button
        type="button"
        disabled={busy}
        data-testid="try-trained"
        data-file={model.file}
        title={`${model.description} Measured: ${model.target.text}.`}
        onClick={() => void importTrained(model)}
      >
        Try a trained model
      </button>
      <p className="hint">
        Loads {model.title} (generator only; training goes on from it with a fresh D).
      </p>
    </div>
  );
}
