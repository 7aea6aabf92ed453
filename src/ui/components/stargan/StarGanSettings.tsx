import { FACE_SIZES } from '../../../data/faces';
import type { StarGanConfig } from '../../../models/stargan.config';
import { editModel } from '../../engine';
import { useAppStore } from '../../store/store';
import { ChoiceField, NumberField } from '../common/NumberField';
import { uploadedId, uploadedKey, uploadedOptions } from '../data/uploadedChoices';

export function StarGanSettings({ model: m }: { readonly model: StarGanConfig }) {
  const edit = (change: Partial<StarGanConfig>) => editModel('stargan', change);
  const maxRepeat = Math.log2(m.imageSize);
  const datasets = useAppStore((s) => s.datasets);
  const labelled = datasets.filter((d) => d.labelNames.length > 0);
  return (
    <>
      <ChoiceField<string>
        label="Data"
        value={m.data === 'uploaded' ? uploadedKey(m.datasetId) : m.data}
        testId="stargan-data"
        options={[
          ['celeba', 'Toy faces, 5 attributes'],
          ['rafd', 'Toy faces, 5 expressions'],
          ['both', 'Both (mask vector)'],
          ...uploadedOptions(labelled, m.datasetId),
        ]}
        onChange={(choice) => {
          const datasetId = uploadedId(choice);
          edit(
            datasetId
              ? { data: 'uploaded', datasetId }
              : { data: choice as StarGanConfig['data'], datasetId: null },
          );
        }}
      />
      <ChoiceField
        label="Image size"
        value={m.imageSize}
        testId="image-size"
        options={FACE_SIZES.map((s) => [s, `${s} px`] as const)}
        onChange={(imageSize) =>
          edit({ imageSize, dRepeat: Math.min(m.dRepeat, Math.log2(imageSize)) })
        }
      />
      <fieldset>
        <legend>Generator</legend>
        <NumberField
          label="Base channels"
          value={m.gConvDim}
          min={2}
          max={64}
          integer
          testId="g-conv-dim"
          onChange={(v) => edit({ gConvDim: v })}
        />
        <NumberField
          label="Residual blocks"
          value={m.gRepeat}
          min={0}
          max={9}
          integer
          testId="g-repeat"
          onChange={(v) => edit({ gRepeat: v })}
        />
        <NumberField
          label="Learning rate"
          value={m.lrG}
          min={1e-6}
          max={1e-2}
          onChange={(v) => edit({ lrG: v })}
        />
      </fieldset>
      <fieldset>
        <legend>Discriminator</legend>
        <NumberField
          label="Base channels"
          value={m.dConvDim}
          min={2}
          max={64}
          integer
          testId="d-conv-dim"
          onChange={(v) => edit({ dConvDim: v })}
        />
        <NumberField
          label="Down-samplings"
          value={m.dRepeat}
          min={1}
          max={maxRepeat}
          integer
          testId="d-repeat"
          onChange={(v) => edit({ dRepeat: v })}
        />
        <NumberField
          label="Learning rate"
          value={m.lrD}
          min={1e-6}
          max={1e-2}
          onChange={(v) => edit({ lrD: v })}
        />
        <NumberField
          label="D steps per G step"
          value={m.nCritic}
          min={1}
          max={10}
          integer
          onChange={(v) => edit({ nCritic: v })}
        />
      </fieldset>
      <fieldset>
        <legend>Loss weights</legend>
        <NumberField
          label="λ cls"
          value={m.lambdaCls}
          min={0}
          max={100}
          onChange={(v) => edit({ lambdaCls: v })}
        />
        <NumberField
          label="λ rec"
          value={m.lambdaRec}
          min={0}
          max={100}
          onChange={(v) => edit({ lambdaRec: v })}
        />
        <NumberField
          label="λ gp"
          value={m.lambdaGp}
          min={0}
          max={100}
          onChange={(v) => edit({ lambdaGp: v })}
        />
      </fieldset>
      <NumberField
        label="Batch size"
        value={m.batchSize}
        min={2}
        max={64}
        integer
        testId="batch-size"
        onChange={(v) => edit({ batchSize: v })}
      />
      <NumberField
        label="Run length (lr decays over 2nd half)"
        value={m.numIters}
        min={10}
        max={1_000_000}
        integer
        onChange={(v) => edit({ numIters: v })}
      />
      {m.data !== 'uploaded' && (
        <NumberField
          label="Faces per data set"
          value={m.datasetSize}
          min={16}
          max={20_000}
          integer
          testId="dataset-size"
          onChange={(v) => edit({ datasetSize: v })}
        />
      )}
    </>
  );
}
