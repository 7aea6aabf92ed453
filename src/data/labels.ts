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

/** Bounds on what a label file may hold, each named in the error that enforces it. */
export const LABEL_LIMITS = {
  /** CelebA's list_attr_celeba.txt is 26 MB. */
  bytes: 64 * 1024 * 1024,
  lineChars: 16 * 1024,
  /** Label columns (CelebA has 40). */
  columns: 256,
  /** Categories of a categorical column, each a domain. */
  domains: 64,
  /** Rows (CelebA has 202,599). */
  rows: 1_000_000,
} as const;

const fail = (file: string, line: number, message: string): never => {
  throw new LabelFileError(`${file}, line ${line}: ${message}`);
};

/**
 * A path or file name as uploads are matched: Unicode NFC (macOS writes NFD), "/" for the
 * "\" of Windows zips, no leading "./" or "/".
 */
export function normalisePath(path: string): string {
  return path
    .normalize('NFC')
    .replaceAll('\\', '/')
    .replace(/^(\.?\/)+/, '');
}

/** Files an OS adds to zips and folders (AppleDouble "._x", __MACOSX/, .DS_Store): never data. */
export function isJunk(path: string): boolean {
  return normalisePath(path)
    .split('/')
    .some((part) => part.startsWith('.') || part === '__MACOSX');
}

/** Lines ending in \n, \r\n or \r, each no longer than LABEL_LIMITS.lineChars. */
function lines(text: string, file: string): string[] {
  if (text.length > LABEL_LIMITS.bytes) {
    fail(file, 1, `the file is over ${LABEL_LIMITS.bytes / 1024 / 1024} MB, the most read`);
  }
  const all = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  const long = all.findIndex((line) => line.length > LABEL_LIMITS.lineChars);
  if (long >= 0) {
    fail(
      file,
      long + 1,
      `the line is ${all[long]!.length} characters long; at most ${LABEL_LIMITS.lineChars} are read`,
    );
  }
  return all;
}

/** The first name that occurs twice, found in linear time. */
function repeated(names: readonly string[]): string | undefined {
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) return name;
    seen.add(name);
  }
  return undefined;
}

function checkColumns(file: string, line: number, count: number): void {
  if (count > LABEL_LIMITS.columns) {
    fail(file, line, `${count} label columns; at most ${LABEL_LIMITS.columns} are read`);
  }
}

function checkRows(file: string, line: number, count: number): void {
  if (count > LABEL_LIMITS.rows) {
    fail(file, line, `more than ${LABEL_LIMITS.rows} rows; at most ${LABEL_LIMITS.rows} are read`);
  }
}

function binary(value: string): number | null {
  if (value === '1') return 1;
  if (value === '0' || value === '-1') return 0;
  return null;
}

export function parseCelebaAttributes(text: string, file = 'list_attr_celeba.txt'): LabelTable {
  const all = lines(text.normalize('NFC'), file);
  const declared = Number(all[0]?.trim());
  if (!Number.isInteger(declared) || declared < 0) {
    fail(file, 1, `expected the number of images, found "${all[0]?.trim() ?? ''}"`);
  }
  const names = (all[1] ?? '').trim().split(/\s+/).filter(Boolean);
  if (names.length === 0) fail(file, 2, 'expected the attribute names');
  checkColumns(file, 2, names.length);
  const duplicate = repeated(names);
  if (duplicate !== undefined) fail(file, 2, `attribute "${duplicate}" is named twice`);
  const rows = new Map<string, number[]>();
  const lineOf = new Map<string, number>();
  for (let i = 2; i < all.length; i++) {
    const fields = all[i]!.trim().split(/\s+/).filter(Boolean);
    if (fields.length === 0) continue;
    const [rawName, ...values] = fields;
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
    const fileName = normalisePath(rawName!);
    if (rows.has(fileName)) fail(file, i + 1, `${fileName} is listed twice`);
    checkRows(file, i + 1, rows.size + 1);
    rows.set(fileName, row);
    lineOf.set(fileName, i + 1);
  }
  if (rows.size !== declared) {
    fail(file, 1, `says ${declared} images but lists ${rows.size}`);
  }
  if (rows.size === 0) fail(file, 1, 'lists no images: a label file needs one line per image');
  return { names, rows, oneOf: false, lineOf };
}

/** Splits one CSV line, with double-quoted fields ("a, b" and "" for a quote). */
function csvFields(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let from = 0;
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line.charCodeAt(i);
    if (quoted) {
      if (ch === 34 /* " */) {
        field += line.slice(from, i);
        if (line.charCodeAt(i + 1) === 34) {
          field += '"';
          i++;
        } else {
          quoted = false;
        }
        from = i + 1;
      }
    } else if (ch === 34) {
      field += line.slice(from, i);
      quoted = true;
      from = i + 1;
    } else if (ch === 44 /* , */) {
      fields.push((field + line.slice(from, i)).trim());
      field = '';
      from = i + 1;
    }
  }
  fields.push((field + line.slice(from)).trim());
  return fields;
}

/** What values a CSV column holds, gathered in one pass. */
interface ColumnValues {
  /** Line of the first 0, of the first -1, and of the first value neither 0, 1 nor -1. */
  zero: number;
  minusOne: number;
  other: number;
}

export function parseCsvLabels(text: string, file = 'labels.csv'): LabelTable {
  const all = lines(text.normalize('NFC'), file);
  const header = csvFields(all[0] ?? '');
  if (header.length < 2 || header.some((name) => name === '')) {
    fail(file, 1, 'expected a header: filename, then one name per label column');
  }
  const columns = header.slice(1);
  checkColumns(file, 1, columns.length);
  const duplicate = repeated(columns);
  if (duplicate !== undefined) fail(file, 1, `column "${duplicate}" is named twice`);
  const records: { line: number; name: string; values: string[] }[] = [];
  const seen = new Set<string>();
  const found: ColumnValues[] = columns.map(() => ({ zero: 0, minusOne: 0, other: 0 }));
  // A single column may be categorical: its categories (first-seen order) are bounded as read.
  const categories = new Map<string, number>();
  for (let i = 1; i < all.length; i++) {
    if (all[i]!.trim() === '') continue;
    const [rawName, ...values] = csvFields(all[i]!);
    const line = i + 1;
    if (values.length !== columns.length) {
      fail(file, line, `expected ${header.length} fields, found ${values.length + 1}`);
    }
    if (!rawName) fail(file, line, 'the file name is empty');
    const name = normalisePath(rawName!);
    if (seen.has(name)) fail(file, line, `${name} is listed twice`);
    seen.add(name);
    checkRows(file, line, seen.size);
    for (let k = 0; k < values.length; k++) {
      const value = values[k]!;
      const column = found[k]!;
      if (value === '0') column.zero ||= line;
      else if (value === '-1') column.minusOne ||= line;
      else if (value !== '1') column.other ||= line;
    }
    if (columns.length === 1 && !categories.has(values[0]!)) {
      categories.set(values[0]!, line);
      if (categories.size > LABEL_LIMITS.domains) {
        fail(
          file,
          line,
          `${columns[0]} has more than ${LABEL_LIMITS.domains} different values; a categorical column (one domain per value) may have at most ${LABEL_LIMITS.domains} domains`,
        );
      }
    }
    records.push({ line, name, values });
  }
  if (records.length === 0) {
    fail(file, 1, 'the file has a header but no rows: list one image per line under it');
  }
  // A column is binary when every value is 0/1 or every value is -1/1; otherwise categorical,
  // which only a single label column may be.
  const isBinary = (c: ColumnValues) => !c.other && !(c.zero && c.minusOne);
  const rows = new Map<string, number[]>();
  const lineOf = new Map(records.map((r) => [r.name, r.line]));
  if (columns.length > 1) {
    const k = found.findIndex((c) => !isBinary(c));
    if (k >= 0) {
      const c = found[k]!;
      if (c.other) {
        const bad = records.find((r) => r.line === c.other)!;
        fail(
          file,
          c.other,
          `value "${bad.values[k]}" for ${columns[k]} is not 0/1 or -1/1 (a categorical column must be the only label column)`,
        );
      }
      const [first, second] = c.zero < c.minusOne ? ['0', '-1'] : ['-1', '0'];
      fail(
        file,
        Math.max(c.zero, c.minusOne),
        `${columns[k]} has ${second} here but ${first} on line ${Math.min(c.zero, c.minusOne)}: use 0/1 or -1/1 in a column, not both`,
      );
    }
  } else if (!isBinary(found[0]!)) {
    const empty = records.find((r) => r.values[0] === '');
    if (empty) fail(file, empty.line, `no value for ${columns[0]}`);
    const names = [...categories.keys()];
    for (const r of records) {
      rows.set(
        r.name,
        names.map((c) => Number(c === r.values[0])),
      );
    }
    return { names, rows, oneOf: true, lineOf };
  }
  for (const r of records) {
    rows.set(
      r.name,
      r.values.map((v) => binary(v)!),
    );
  }
  return { names: columns, rows, oneOf: false, lineOf };
}

/** The label file a folder or zip holds, by name: CelebA's, or a CSV (never an OS's junk). */
export function isLabelFile(name: string): boolean {
  if (isJunk(name)) return false;
  const base = normalisePath(name).split('/').pop()!.toLowerCase();
  return base === 'list_attr_celeba.txt' || base.endsWith('.csv');
}

export function parseLabelFile(name: string, text: string): LabelTable {
  const base = normalisePath(name).split('/').pop()!;
  return base.toLowerCase().endsWith('.csv')
    ? parseCsvLabels(text, base)
    : parseCelebaAttributes(text, base);
}

/** One-hot labels from folder names (one folder per domain), categories in sorted order. */
export function folderLabels(paths: readonly string[]): LabelTable {
  const domainOf = (path: string) => {
    const parts = normalisePath(path).split('/');
    return parts.length >= 2 ? parts[parts.length - 2]! : '';
  };
  const names = [...new Set(paths.map(domainOf))].sort();
  const rows = new Map(paths.map((p) => [p, names.map((n) => Number(n === domainOf(p)))]));
  return { names, rows, oneOf: true, lineOf: new Map() };
}

/** StarGAN's CelebA attributes, the default choice when a label file has them. */
export const STARGAN_ATTRIBUTES = ['Black_Hair', 'Blond_Hair', 'Brown_Hair', 'Male', 'Young'];
