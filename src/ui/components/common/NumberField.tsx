import { useId } from 'react';

interface NumberFieldProps {
  readonly label: string;
  readonly value: number;
  readonly min: number;
  readonly max: number;
  readonly integer?: boolean;
  readonly unit?: string;
  /** What the setting does; shown as the field's tooltip and description. */
  readonly help?: string;
  readonly testId?: string;
  readonly onChange: (value: number) => void;
}

/**
 * Only values inside [min, max] reach the draft. The allowed range is always shown; an entry
 * outside it is marked with a message and, when the field loses focus, put back to the last
 * valid value, so what the form shows is always what the run will use.
 */
export function NumberField({
  label,
  value,
  min,
  max,
  integer,
  unit,
  help,
  testId,
  onChange,
}: NumberFieldProps) {
  const rangeId = useId();
  const range = `${integer ? 'whole number, ' : ''}${min}–${max}${unit ? ` ${unit}` : ''}`;
  const fits = (text: string) => {
    const v = Number(text);
    return text.trim() !== '' && v >= min && v <= max && (!integer || Number.isInteger(v));
  };
  return (
    <label className="field" title={help}>
      <span>{label}</span>
      <input
        type="number"
        min={min}
        max={max}
        step={integer ? 1 : 'any'}
        defaultValue={value}
        key={value}
        aria-describedby={rangeId}
        data-testid={testId}
        onChange={(e) => {
          const valid = fits(e.target.value);
          e.target.setCustomValidity(
            valid ? '' : `Enter ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}`,
          );
          if (valid) onChange(Number(e.target.value));
        }}
        onBlur={(e) => {
          if (fits(e.target.value)) return;
          e.target.value = String(value);
          e.target.setCustomValidity('');
        }}
      />
      <small className="range" id={rangeId}>
        {range}
      </small>
    </label>
  );
}

interface ChoiceFieldProps<T extends string | number> {
  readonly label: string;
  readonly value: T;
  readonly options: readonly (readonly [T, string])[];
  readonly help?: string;
  readonly testId?: string;
  readonly onChange: (value: T) => void;
}

export function ChoiceField<T extends string | number>({
  label,
  value,
  options,
  help,
  testId,
  onChange,
}: ChoiceFieldProps<T>) {
  return (
    <label className="field" title={help}>
      <span>{label}</span>
      <select
        value={String(value)}
        data-testid={testId}
        onChange={(e) => {
          const chosen = options.find(([option]) => String(option) === e.target.value);
          if (chosen) onChange(chosen[0]);
        }}
      >
        {options.map(([option, text]) => (
          <option key={String(option)} value={String(option)}>
            {text}
          </option>
        ))}
      </select>
    </label>
  );
}
