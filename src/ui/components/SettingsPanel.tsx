import type { ExperimentKind } from '../../protocol/messages';
import { chooseModel, editDraft, reset } from '../engine';
import { useAppStore } from '../store/store';
import { ChoiceField, NumberField } from './common/NumberField';
import { Gan2dSettings } from './gan2d/Gan2dSettings';
import { ImageGanSettings } from './imagegan/ImageGanSettings';
import { StarGanSettings } from './stargan/StarGanSettings';

const MODELS: readonly (readonly [ExperimentKind, string])[] = [
  ['gan2d', 'Vanilla GAN on 2D points'],
  ['imagegan', 'Image GANs: GAN, DCGAN, WGAN, WGAN-GP'],
  ['stargan', 'StarGAN v1 on toy faces'],
];

export function SettingsPanel() {
  const draft = useAppStore((s) => s.draft);
  const pending = useAppStore((s) => JSON.stringify(s.draft) !== JSON.stringify(s.experiment));
  const ready = useAppStore((s) => s.ready);

  return (
    <section className="settings" aria-label="Model and data settings">
      <ChoiceField
        label="Model"
        value={draft.kind}
        options={MODELS}
        testId="model"
        onChange={chooseModel}
      />
      {draft.kind === 'gan2d' && <Gan2dSettings model={draft.model} />}
      {draft.kind === 'imagegan' && <ImageGanSettings model={draft.model} />}
      {draft.kind === 'stargan' && <StarGanSettings model={draft.model} />}
      <NumberField
        label="Seed"
        testId="seed"
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
