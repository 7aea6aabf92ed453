/**
 * A family's settings, drawn from its field table: each field with its label, its allowed
 * range and its help text, grouped as the table groups them. The data choice of a family that
 * trains on uploads also lists this browser's uploaded sets.
 */
import { Fragment } from 'react';
import { type ExperimentConfig, familyFor } from '../../families';
import { describeRange, fieldEntries } from '../../families/fields';
import type { ChoiceFieldSpec, NumberFieldSpec } from '../../families/types';
import { editModel, reset } from '../actions';
import { useAppStore } from '../store/store';
import { ChoiceField, NumberField } from './common/NumberField';
import { uploadedId, uploadedKey, uploadedOptions } from './data/uploadedChoices';

type Model = Record<string, unknown>;
type Row = { key: string; field: NumberFieldSpec<Model> | ChoiceFieldSpec<Model, string | number> };

export function FamilyForm({ draft }: { readonly draft: ExperimentConfig }) {
  const family = familyFor(draft);
  const model = draft.model as unknown as Model;
  const datasets = useAppStore((s) => s.datasets);
  const rows: Row[] = fieldEntries(family.fields)
    .filter(([, field]) => field.type !== 'datasetId')
    .map(([key, field]) => ({ key, field: field as Row['field'] }))
    .filter(({ field }) => field.visible?.(model) ?? true);

  const input = ({ key, field }: Row) => {
    const help = `${field.help} Allowed: ${describeRange(field)}.`;
    if (field.type !== 'choice') {
      return (
        <NumberField
          key={key}
          label={field.label}
          value={model[key] as number}
          min={field.min}
          max={field.max}
          integer={field.type === 'int'}
          unit={field.unit}
          help={help}
          testId={field.testId}
          onChange={(value) => editModel({ [key]: value })}
        />
      );
    }
    const uploaded = family.uploaded?.field === key ? family.uploaded : null;
    if (uploaded) {
      const usable = uploaded.needsLabels
        ? datasets.filter((d) => d.labelNames.length > 0)
        : datasets;
      const datasetId = model.datasetId as string | null;
      return (
        <ChoiceField<string>
          key={key}
          label={field.label}
          help={field.help}
          value={model[key] === 'uploaded' ? uploadedKey(datasetId) : String(model[key])}
          testId={field.testId}
          options={[
            ...field.options
              .filter(([value]) => value !== 'uploaded')
              .map(([value, text]) => [String(value), text] as const),
            ...uploadedOptions(usable, datasetId),
          ]}
          onChange={(choice) => {
            const id = uploadedId(choice);
            editModel(
              id ? { [key]: 'uploaded', datasetId: id } : { [key]: choice, datasetId: null },
            );
          }}
        />
      );
    }
    return (
      <ChoiceField<string | number>
        key={key}
        label={field.label}
        help={field.help}
        value={model[key] as string | number}
        testId={field.testId}
        options={field.options}
        onChange={(value) => {
          editModel({ [key]: value, ...field.apply?.(model, value) });
          if (field.immediate) reset();
        }}
      />
    );
  };

  // Fields without a group stand alone; a group's fields share one fieldset, placed where
  // the group's first field is.
  const groups = new Map<string, Row[]>();
  for (const row of rows) {
    if (row.field.group) groups.set(row.field.group, [...(groups.get(row.field.group) ?? []), row]);
  }
  const hint = family.hint?.(model) ?? null;
  return (
    <>
      {rows.map((row) => {
        const { group } = row.field;
        if (!group) return input(row);
        if (groups.get(group)![0] !== row) return null;
        return (
          <Fragment key={group}>
            <fieldset>
              <legend>{group}</legend>
              {groups.get(group)!.map(input)}
            </fieldset>
          </Fragment>
        );
      })}
      {hint && <p className="hint">{hint}</p>}
    </>
  );
}
