import { DATASETS_2D, DISTRIBUTIONS_2D } from '../../../data/toy2d';
import { GAN2D_LOSS_PRESETS, type Gan2dConfig } from '../../../models/gan2d.config';
import { editModel } from '../../engine';
import { ChoiceField, NumberField } from '../common/NumberField';

export function Gan2dSettings({ model: m }: { readonly model: Gan2dConfig }) {
  const edit = (change: Partial<Gan2dConfig>) => editModel('gan2d', change);
  return (
    <>
      <ChoiceField
        label="Data"
        value={m.dataset}
        testId="dataset"
        options={DATASETS_2D.map((name) => [name, DISTRIBUTIONS_2D[name].label] as const)}
        onChange={(dataset) => edit({ dataset })}
      />
      <ChoiceField
        label="Loss"
        value={m.loss}
        testId="loss"
        options={[
          ['nonSaturating', 'Log loss (non-saturating G)'],
          ['leastSquares', 'Least squares (LSGAN)'],
          ['wasserstein', 'Wasserstein, clipped critic (WGAN)'],
          ['wassersteinGp', 'Wasserstein, gradient penalty (WGAN-GP)'],
        ]}
        onChange={(loss) => edit({ loss, ...GAN2D_LOSS_PRESETS[loss] })}
      />
      <ChoiceField
        label="Optimiser"
        value={m.optimizer}
        options={[
          [
            'adam',
            m.loss === 'wassersteinGp' ? 'Adam (β1 0.5, β2 0.9)' : 'Adam (β1 0.5, β2 0.999)',
          ],
          ['rmsprop', 'RMSprop'],
          ['sgd', 'SGD'],
        ]}
        onChange={(optimizer) => edit({ optimizer })}
      />
      <fieldset>
        <legend>Generator</legend>
        <NumberField
          label="Hidden layers"
          value={m.gLayers}
          min={0}
          max={5}
          integer
          onChange={(v) => edit({ gLayers: v })}
        />
        <NumberField
          label="Units per layer"
          value={m.gWidth}
          min={1}
          max={128}
          integer
          onChange={(v) => edit({ gWidth: v })}
        />
        <NumberField
          label="Noise dimensions"
          value={m.noiseDim}
          min={1}
          max={16}
          integer
          onChange={(v) => edit({ noiseDim: v })}
        />
        <NumberField
          label="Learning rate"
          value={m.lrG}
          min={1e-6}
          max={1}
          onChange={(v) => edit({ lrG: v })}
        />
        <NumberField
          label="G steps per step (k_G)"
          value={m.kG}
          min={1}
          max={10}
          integer
          onChange={(v) => edit({ kG: v })}
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
          onChange={(v) => edit({ dLayers: v })}
        />
        <NumberField
          label="Units per layer"
          value={m.dWidth}
          min={1}
          max={128}
          integer
          onChange={(v) => edit({ dWidth: v })}
        />
        <NumberField
          label="Learning rate"
          value={m.lrD}
          min={1e-6}
          max={1}
          onChange={(v) => edit({ lrD: v })}
        />
        <NumberField
          label="D steps per step (k_D)"
          value={m.kD}
          min={1}
          max={10}
          integer
          onChange={(v) => edit({ kD: v })}
        />
      </fieldset>
      <NumberField
        label="Batch size"
        value={m.batchSize}
        min={1}
        max={1024}
        integer
        onChange={(v) => edit({ batchSize: v })}
      />
    </>
  );
}
