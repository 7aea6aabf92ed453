/**
 * The field table read three ways: as a zod schema (bundles, links), as a form (settings panel)
 * and as query parameters (share links). Ranges live in the table only.
 */
import { z } from 'zod';
import type { FieldTable } from './types';

/** What the schema, the range text and the form read of any field. */
export type FieldShape =
  | { readonly type: 'int' | 'float'; readonly min: number; readonly max: number }
  | { readonly type: 'choice'; readonly options: readonly (readonly [string | number, string])[] }
  | { readonly type: 'datasetId' };
type AnyField = FieldShape;

/** The table's entries with their keys, in declaration (form) order. */
export function fieldEntries<C>(table: FieldTable<C>): [keyof C & string, AnyField][] {
  return Object.entries(table) as [keyof C & string, AnyField][];
}

export function fieldSchema(field: AnyField): z.ZodType {
  switch (field.type) {
    case 'int':
      return z.number().int().min(field.min).max(field.max);
    case 'float':
      return z.number().min(field.min).max(field.max);
    case 'choice': {
      const values = field.options.map(([value]) => z.literal(value));
      return values.length === 1 ? values[0]! : z.union(values);
    }
    case 'datasetId':
      return z.string().min(1).max(64).nullable();
  }
}

/** A strict object schema of the whole table: unknown keys and wrong types are refused. */
export function tableSchema<C>(table: FieldTable<C>): z.ZodType<C> {
  const shape = Object.fromEntries(
    fieldEntries(table).map(([key, field]) => [key, fieldSchema(field)]),
  );
  return z.strictObject(shape) as unknown as z.ZodType<C>;
}

/** "from 1 to 10", "whole number from 2 to 64", or the choices: the allowed values, in words. */
export function describeRange(field: AnyField): string {
  switch (field.type) {
    case 'int':
      return `a whole number from ${field.min} to ${field.max}`;
    case 'float':
      return `a number from ${field.min} to ${field.max}`;
    case 'choice':
      return `one of ${field.options.map(([value]) => String(value)).join(', ')}`;
    case 'datasetId':
      return 'an uploaded data set';
  }
}

/** Whether a number typed into the form fits the field (the same rule as the schema's). */
export function numberFits(field: { type: 'int' | 'float'; min: number; max: number }, v: number) {
  return (
    Number.isFinite(v) &&
    v >= field.min &&
    v <= field.max &&
    (field.type === 'float' || Number.isInteger(v))
  );
}

/** A query value as the JSON type the schemas expect: numbers where they parse, else text. */
export const typedQueryValue = (value: string): string | number =>
  value.trim() !== '' && Number.isFinite(Number(value)) ? Number(value) : value;
