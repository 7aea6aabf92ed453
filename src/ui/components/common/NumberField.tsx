interface NumberFieldProps {
  readonly label: string;
  readonly value: number;
  readonly min: number;
  readonly max: number;
  readonly integer?: boolean;
  readonly testId?: string;
  readonly onChange: (value: number) => void;
}

/** Only values inside [min, max] reach the draft; an invalid entry is marked and explained. */
export function NumberField({
  label,
  value,
  min,
  max,
  integer,
  testId,
  onChange,
}: NumberFieldProps) {
  return (
    <label className="field">
      <span>{label}</span>
      <input
        type="number"
        min={min}
        max={max}
        step={integer ? 1 : 'any'}
        defaultValue={value}
        key={value}
        data-testid={testId}
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

interface ChoiceFieldProps<T extends string | number> {
  readonly label: string;
  readonly value: T;
  readonly options: readonly (readonly [T, string])[];
  readonly testId?: string;
  readonly onChange: (value: T) => void;
}

export function ChoiceField<T extends string | number>({
  label,
  value,
  options,
  testId,
  onChange,
}: ChoiceFieldProps<T>) {
  return (
    <label className="field">
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
