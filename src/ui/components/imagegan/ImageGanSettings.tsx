import { FACE_SIZES } from '../../../data/faces';
import {
  IMAGE_GAN_TITLES,
  IMAGE_GAN_VARIANTS,
  type ImageGanConfig,
  withVariant,
} from '../../../models/imagegan.config';
import { editModel } from '../../engine';
import { useAppStore } from '../../store/store';
import { ChoiceField, NumberField } from '../common/NumberField';
import { uploadedId, uploadedKey, uploadedOptions } from '../data/uploadedChoices';

export function ImageGanSettings({ model: m }: { readonly model: ImageGanConfig }) {
  const edit = (change: Partial<ImageGanConfig>) => editModel('imagegan', change);
  const wasserstein = m.variant === 'wgan' || m.variant === 'wgan-gp';
  const datasets = useAppStore((s) => s.datasets);
  return (
    <>
      <ChoiceField
        label="Variant"
        value={m.variant}
        testId="variant"
        options={IMAGE_GAN_VARIANTS.map((v) => [v, IMAGE_GAN_TITLES[v]] as const)}
        onChange={(variant) => edit(withVariant(m, variant))}
      />
      <ChoiceField<string>
        label="Data"
        value={m.dataset === 'uploaded' ? uploadedKey(m.datasetId) : m.dataset}
        testId="image-dataset"
        options={[
          ['faces', 'Toy faces'],
          ['shapes', 'Coloured shapes'],
          ...uploadedOptions(datasets, m.datasetId),
        ]}
        onChange={(choice) => {
          const datasetId = uploadedId(choice);
          edit(
            datasetId
              ? { dataset: 'uploaded', datasetId }
              : { dataset: choice as ImageGanConfig['dataset'], datasetId: null },
          );
        }}
      />
      <ChoiceField
        label="Image size"
        value={m.imageSize}
        testId="imagegan-size"
        options={FACE_SIZES.map((s) => [s, `${s} px`] as const)}
        onChange={(imageSize) => edit({ imageSize })}
      />
      <NumberField
        label="Latent dimensions"
        value={m.zDim}
        min={4}
        max={256}
        integer
        testId="z-dim"
        onChange={(v) => edit({ zDim: v })}
      />
      <NumberField
        label="G width"
        value={m.gBase}
        min={2}
        max={128}
        integer
        testId="g-base"
        onChange={(v) => edit({ gBase: v })}
      />
      <NumberField
        label="D width"
        value={m.dBase}
        min={2}
        max={128}
        integer
        testId="d-base"
        onChange={(v) => edit({ dBase: v })}
      />
      <NumberField
        label="G learning rate"
        value={m.lrG}
        min={1e-6}
        max={1e-2}
        onChange={(v) => edit({ lrG: v })}
      />
      <NumberField
        label="D learning rate"
        value={m.lrD}
        min={1e-6}
        max={1e-2}
        onChange={(v) => edit({ lrD: v })}
      />
      {wasserstein && (
        <NumberField
          label="Critic steps per G step"
          value={m.nCritic}
          min={1}
          max={20}
          integer
          onChange={(v) => edit({ nCritic: v })}
        />
      )}
      {m.variant === 'wgan' && (
        <NumberField
          label="Weight clip c"
          value={m.clip}
          min={1e-4}
          max={1}
          onChange={(v) => edit({ clip: v })}
        />
      )}
      {m.variant === 'wgan-gp' && (
        <NumberField
          label="λ gp"
          value={m.lambdaGp}
          min={0}
          max={100}
          onChange={(v) => edit({ lambdaGp: v })}
        />
      )}
      <NumberField
        label="Batch size"
        value={m.batchSize}
        min={2}
        max={256}
        integer
        testId="imagegan-batch"
        onChange={(v) => edit({ batchSize: v })}
      />
      {m.dataset !== 'uploaded' && (
        <NumberField
          label="Images in the data set"
          value={m.datasetSize}
          min={16}
          max={20_000}
          integer
          testId="imagegan-dataset-size"
          onChange={(v) => edit({ datasetSize: v })}
        />
      )}
      {m.variant === 'wgan' && (
        <p className="hint">
          As in the reference, the critic trains 100 times per G step for the first 25 G steps and
          every 500th, so those steps are slow.
        </p>
      )}
    </>
  );
}
