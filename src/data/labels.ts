/**
 * Label files for uploaded images, parsed into one table: file name → 0/1 per label.
 *   - CelebA's list_attr_celeba.txt: a count line, a line of attribute names, then
 *     `filename v1 v2 …` with 1 / -1, separated by any run of spaces.
 *   - CSV with a header `filename,attr1,…`: values 0/1 or -1/1, or one categorical column
 *     (any other values) that becomes one-hot labels, one per category.
 * Every problem is an error naming its line, so a user can fix the file.
 */

export interface LabelTable {
  /** Label names in column order (categories of a categorical column, in first-seen order). */
  readonly names: readonly string[];
  /** 0/1 per name, by file name. */
  readonly rows: ReadonlyMap<string, readonly number[]>;
  /** The labels form one one-hot group (a categorical column, or folders). */
  readonly oneOf: boolean;
  /** The line of each file name, for messages. */
  readonly lineOf: ReadonlyMap<string, number>;
}

export class LabelFileError extends Error {
  override readonly name = 'LabelFileError';
}

const fail = (file: string, line: number, message: string): never => {
  throw new LabelFileError(`${file}, line ${line}: ${message}`);
};

const lines = (text: string) => text.replace(/^\uFEFF/, '').split(/\r?\n/);

function binary(value: string): number | null {
  if (value === '1') return 1;
  if (value === '0' || value === '-1') return 0;
  return null;
}

export function parseCelebaAttributes(text: string, file = 'list_attr_celeba.txt'): LabelTable {
  const all = lines(text);
  const declared = Number(all[0]?.trim());
  if (!Number.isInteger(declared) || declared < 0) {
    fail(file, 1, `expected the number of images, found "${all[0]?.trim() ?? ''}"`);
  }
  const names = (all[1] ?? '').trim().split(/\s+/).filter(Boolean);
  if (names.length === 0) fail(file, 2, 'expected the attribute names');
  const duplicate = names.find((name, i) => names.indexOf(name) !== i);
  if (duplicate) fail(file, 2, `attribute "${duplicate}" is named twice`);
  const rows = new Map<string, number[]>();
  const lineOf = new Map<string, number>();
  for (let i = 2; i < all.length; i++) {
    const fields = all[i]!.trim().split(/\s+/).filter(Boolean);
    if (fields.length === 0) continue;
    const [fileName, ...values] = fields;
    if (values.length !== names.length) {
      fail(
        file,
        i + 1,
        `expected a file name and ${names.length} values, found ${values.length} values`,
      );
    }
    const row = values.map((value, k) => {
      const parsed = binary(value);
      if (parsed === null || value === '0') {
        fail(file, i + 1, `value "${value}" for ${names[k]} is not 1 or -1`);
      }
      return parsed!;
    });
    if (rows.has(fileName!)) fail(file, i + 1, `${fileName} is listed twice`);
    rows.set(fileName!, row);
    lineOf.set(fileName!, i + 1);
  }
  if (rows.size !== declared) {
    fail(file, 1, `says ${declared} images but lists ${rows.size}`);
  }
  return { names, rows, oneOf: false, lineOf };
}

/** Splits one CSV line, with double-quoted fields ("a, b" and "" for a quote). */
function csvFields(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') {
        quoted = false;
      } else {
        field += ch;
      }
    } else if (ch === '"') {
      quoted = true;
    } else if (ch === ',') {
      fields.push(field.trim());
      field = '';
    } else {
      field += ch;
    }
  }
  fields.push(field.trim());
  return fields;
}

export function parseCsvLabels(text: string, file = 'labels.csv'): LabelTable {
  const all = lines(text);
  const header = csvFields(all[0] ?? '');
  if (header.length < 2 || header.some((name) => name === '')) {
    fail(file, 1, 'expected a header: filename, then one name per label column');
  }
  const columns = header.slice(1);
  const duplicate = columns.find((name, i) => columns.indexOf(name) !== i);
  if (duplicate) fail(file, 1, `column "${duplicate}" is named twice`);
  const records: { line: number; name: string; values: string[] }[] = [];
  const seen = new Set<string>();
  for (let i = 1; i < all.length; i++) {
    if (all[i]!.trim() === '') continue;
    const [name, ...values] = csvFields(all[i]!);
    if (values.length !== columns.length) {
      fail(file, i + 1, `expected ${header.length} fields, found ${values.length + 1}`);
    }
    if (!name) fail(file, i + 1, 'the file name is empty');
    if (seen.has(name!)) fail(file, i + 1, `${name} is listed twice`);
    seen.add(name!);
    records.push({ line: i + 1, name: name!, values });
  }
  // A column is binary when every value is 0/1 or every value is -1/1; otherwise categorical.
  const kinds = columns.map((_, k) => {
    const values = new Set(records.map((r) => r.values[k]!));
    const isBinary =
      [...values].every((v) => v === '1' || v === '0') ||
      [...values].every((v) => v === '1' || v === '-1');
    return isBinary ? 'binary' : 'categorical';
  });
  const categorical = kinds.flatMap((kind, k) => (kind === 'categorical' ? [k] : []));
  if (categorical.length > 1 || (categorical.length === 1 && columns.length > 1)) {
    const k = categorical[0]!;
    const bad = records.find((r) => binary(r.values[k]!) === null)!;
    fail(
      file,
      bad.line,
      `value "${bad.values[k]}" for ${columns[k]} is not 0/1 or -1/1 (a categorical column must be the only label column)`,
    );
  }
  const rows = new Map<string, number[]>();
  const lineOf = new Map(records.map((r) => [r.name, r.line]));
  if (categorical.length === 1) {
    const categories = [...new Set(records.map((r) => r.values[0]!))];
    const empty = records.find((r) => r.values[0] === '');
    if (empty) fail(file, empty.line, `no value for ${columns[0]}`);
    for (const r of records)
      rows.set(
        r.name,
        categories.map((c) => Number(c === r.values[0])),
      );
    return { names: categories, rows, oneOf: true, lineOf };
  }
  for (const r of records)
    rows.set(
      r.name,
      r.values.map((v) => binary(v)!),
    );
  return { names: columns, rows, oneOf: false, lineOf };
}

/** The label file a folder or zip holds, by name: CelebA's, or the first CSV. */
export function isLabelFile(name: string): boolean {
  const base = name.split('/').pop()!.toLowerCase();
  return base === 'list_attr_celeba.txt' || base.endsWith('.csv');
}

export function parseLabelFile(name: string, text: string): LabelTable {
  const base = name.split('/').pop()!;
  return base.toLowerCase().endsWith('.csv')
    ? parseCsvLabels(text, base)
    : parseCelebaAttributes(text, base);
}

/** One-hot labels from folder names (one folder per domain), categories in sorted order. */
export function folderLabels(paths: readonly string[]): LabelTable {
  const domainOf = (path: string) => {
    const parts = path.split('/');
    return parts.length >= 2 ? parts[parts.length - 2]! : '';
  };
  const names = [...new Set(paths.map(domainOf))].sort();
  const rows = new Map(paths.map((p) => [p, names.map((n) => Number(n === domainOf(p)))]));
  return { names, rows, oneOf: true, lineOf: new Map() };
}

/** StarGAN's CelebA attributes, the default choice when a label file has them. */
export const STARGAN_ATTRIBUTES = ['Black_Hair', 'Blond_Hair', 'Brown_Hair', 'Male', 'Young'];
