/**
 * What an upload becomes before anything is decoded: which files are images, which labels
 * each gets, what is skipped and why. Pure, so every rule is unit-tested; the dataset worker
 * follows the plan and adds the files that fail to decode.
 */
import {
  folderLabels,
  isJunk,
  isLabelFile,
  LABEL_LIMITS,
  type LabelTable,
  normalisePath,
  parseLabelFile,
  STARGAN_ATTRIBUTES,
} from './labels';

/** Stored images are centre crops resized to this side; models read them at 16, 32 or 64 px. */
export const STORED_SIZE = 64;
export const STORED_BYTES_PER_IMAGE = STORED_SIZE * STORED_SIZE * 3;
/** Images past this are refused unread: no photo a GAN here needs is larger. */
export const MAX_IMAGE_BYTES = 25 * 1024 * 1024;
/** What a data set may take in memory (and IndexedDB): about 20,000 images. */
export const MEMORY_BUDGET_BYTES = 240 * 1024 * 1024;
export const MAX_IMAGES = Math.floor(MEMORY_BUDGET_BYTES / STORED_BYTES_PER_IMAGE);
/** Entries a zip upload may list (CelebA has 202,599 images). */
export const MAX_ZIP_ENTRIES = 500_000;

const IMAGE_EXTENSIONS = ['.png', '.jpg', '.jpeg', '.webp'];

export interface SourceFile {
  /**
   * Path inside the upload (folder name first for a folder upload), as the source names it:
   * matching normalises it (see normalisePath), plans keep it to find the file again.
   */
  readonly path: string;
  readonly bytes: number;
}

export type LabelMode = 'attributes' | 'domains' | 'unlabelled';

export interface Skipped {
  readonly path: string;
  readonly reason: string;
}

export interface ImportPlan {
  readonly mode: LabelMode;
  readonly labelFile: string | null;
  /** Every label name the upload offers (attribute or domain names). */
  readonly labelNames: readonly string[];
  /** Images to decode, with their labels in labelNames order (empty when unlabelled). */
  readonly images: readonly { readonly path: string; readonly labels: readonly number[] }[];
  readonly skipped: readonly Skipped[];
  /** Things worth knowing that are not errors. */
  readonly notes: readonly string[];
  /** Defaults for the import form. */
  readonly defaultLabels: readonly string[];
  readonly defaultGroup: readonly string[];
  readonly suggestedCrop: number | null;
}

const baseName = (path: string) => normalisePath(path).split('/').pop()!;
const isImage = (path: string) => IMAGE_EXTENSIONS.some((ext) => path.toLowerCase().endsWith(ext));

/** The folder directly holding each image, relative to the upload's common root. */
function domainFolders(paths: readonly string[]): string[] {
  const parents = paths.map((p) => normalisePath(p).split('/').slice(0, -1));
  let common = 0;
  while (parents.every((p) => p.length > common && p[common] === parents[0]![common])) common++;
  return parents.map((p) => p.slice(common).join('/'));
}

/**
 * Plans an import. `labelText` is the label file's content when the upload has one (found by
 * isLabelFile). Throws a LabelFileError naming the line for a malformed or useless label file.
 */
export function planImport(files: readonly SourceFile[], labelText: string | null): ImportPlan {
  const skipped: Skipped[] = [];
  const notes: string[] = [];
  const labelFile = files.find((f) => isLabelFile(f.path))?.path ?? null;
  const candidates: SourceFile[] = [];
  for (const file of files) {
    if (file.path === labelFile || isJunk(file.path)) continue;
    if (!isImage(file.path))
      skipped.push({ path: file.path, reason: 'not a PNG, JPEG or WebP image' });
    else if (file.bytes > MAX_IMAGE_BYTES) {
      skipped.push({ path: file.path, reason: `over ${MAX_IMAGE_BYTES / 1024 / 1024} MB` });
    } else if (file.bytes === 0) skipped.push({ path: file.path, reason: 'empty file' });
    else candidates.push(file);
  }
  // Folder listings come in any order; sorted paths make an import the same everywhere.
  candidates.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));

  if (labelFile !== null && labelText !== null) {
    const table = parseLabelFile(labelFile, labelText);
    return withLabelFile(labelFile, table, candidates, skipped, notes);
  }
  const folders = domainFolders(candidates.map((f) => f.path));
  const domains = new Set(folders);
  if (domains.size > LABEL_LIMITS.domains && !domains.has('')) {
    notes.push(
      `The images are in ${domains.size} folders, more than the ${LABEL_LIMITS.domains} domains a data set may have: they are unlabelled.`,
    );
  } else if (domains.size >= 2 && !domains.has('')) {
    const table = folderLabels(candidates.map((f, i) => `${folders[i]}/${baseName(f.path)}`));
    notes.push(`One domain per folder: ${table.names.join(', ')}.`);
    return {
      mode: 'domains',
      labelFile: null,
      labelNames: table.names,
      images: candidates.map((f, i) => ({
        path: f.path,
        labels: table.rows.get(`${folders[i]}/${baseName(f.path)}`)!,
      })),
      skipped,
      notes,
      defaultLabels: table.names,
      defaultGroup: [],
      suggestedCrop: null,
    };
  }
  return {
    mode: 'unlabelled',
    labelFile: null,
    labelNames: [],
    images: candidates.map((f) => ({ path: f.path, labels: [] })),
    skipped,
    notes,
    defaultLabels: [],
    defaultGroup: [],
    suggestedCrop: null,
  };
}

/**
 * Which image each label row names. A row names an image by its path relative to the label
 * file's folder (or the upload's root), or else by its base name when exactly one image has
 * that name and no other unmatched row does.
 */
function matchRows(
  labelFile: string,
  table: LabelTable,
  candidates: readonly SourceFile[],
): { labels: (readonly number[] | null)[]; reasons: (string | null)[]; matched: number } {
  const labelBase = baseName(labelFile);
  const labelDir = normalisePath(labelFile).split('/').slice(0, -1).join('/');
  const paths = candidates.map((f) => normalisePath(f.path));
  const labels: (readonly number[] | null)[] = candidates.map(() => null);
  const reasons: (string | null)[] = candidates.map(() => null);
  const group = <T>(map: Map<string, T[]>, key: string, value: T) => {
    const list = map.get(key);
    if (list) list.push(value);
    else map.set(key, [value]);
  };
  const byPath = new Map<string, number[]>();
  paths.forEach((path, i) => {
    group(byPath, path, i);
    if (labelDir && path.startsWith(`${labelDir}/`)) {
      group(byPath, path.slice(labelDir.length + 1), i);
    }
  });
  let matched = 0;
  const unmatched: string[] = [];
  for (const [name, row] of table.rows) {
    const hits = byPath.get(name);
    if (hits?.length === 1 && labels[hits[0]!] === null) {
      labels[hits[0]!] = row;
      matched++;
    } else unmatched.push(name);
  }
  // By base name, for the rows and images left.
  const images = new Map<string, number[]>();
  paths.forEach((path, i) => {
    if (labels[i] === null) group(images, baseName(path), i);
  });
  const rows = new Map<string, string[]>();
  for (const name of unmatched) group(rows, baseName(name), name);
  for (const [base, names] of rows) {
    const named = images.get(base) ?? [];
    if (named.length > 1) {
      for (const i of named) reasons[i] = `another image is also named ${base}`;
    } else if (named.length === 1 && names.length > 1) {
      const lines = names.map((n) => table.lineOf.get(n)).join(', ');
      reasons[named[0]!] = `${names.length} rows of ${labelBase} could name it (lines ${lines})`;
    } else if (named.length === 1) {
      labels[named[0]!] = table.rows.get(names[0]!)!;
      matched++;
    }
  }
  return { labels, reasons, matched };
}

function withLabelFile(
  labelFile: string,
  table: LabelTable,
  candidates: readonly SourceFile[],
  skipped: Skipped[],
  notes: string[],
): ImportPlan {
  const { labels, reasons, matched } = matchRows(labelFile, table, candidates);
  const images: { path: string; labels: readonly number[] }[] = [];
  candidates.forEach((file, i) => {
    const row = labels[i];
    if (row) images.push({ path: file.path, labels: row });
    else {
      skipped.push({ path: file.path, reason: reasons[i] ?? `not in ${baseName(labelFile)}` });
    }
  });
  if (images.length === 0 && table.rows.size > 0) {
    const [first] = table.rows.keys();
    throw new Error(
      `${baseName(labelFile)}, line ${table.lineOf.get(first!)}: none of its ${table.rows.size} file names matches an uploaded image (the first is ${first})`,
    );
  }
  const unmatched = table.rows.size - matched;
  if (unmatched > 0) {
    notes.push(`${unmatched} file names in ${baseName(labelFile)} have no image in the upload.`);
  }
  const stargan = STARGAN_ATTRIBUTES.every((name) => table.names.includes(name));
  const hair = table.names.filter((name) => name.endsWith('_Hair'));
  return {
    mode: table.oneOf ? 'domains' : 'attributes',
    labelFile,
    labelNames: table.names,
    images,
    skipped,
    notes,
    defaultLabels: table.oneOf
      ? table.names
      : stargan
        ? STARGAN_ATTRIBUTES
        : table.names.slice(0, 8),
    defaultGroup: table.oneOf
      ? []
      : stargan
        ? STARGAN_ATTRIBUTES.slice(0, 3)
        : hair.length >= 2
          ? hair
          : [],
    // The StarGAN reference crops CelebA's 178 x 218 photos to their central 178 x 178.
    suggestedCrop: baseName(labelFile) === 'list_attr_celeba.txt' ? 178 : null,
  };
}

/** The chosen labels' columns of a plan's label rows. */
export function selectColumns(
  names: readonly string[],
  chosen: readonly string[],
): (row: readonly number[]) => number[] {
  const indices = chosen.map((name) => {
    const index = names.indexOf(name);
    if (index < 0) throw new Error(`There is no label named ${name}`);
    return index;
  });
  return (row) => indices.map((i) => row[i]!);
}

/**
 * Where to read an image's centre square: `crop` px on a side (the whole short side when
 * null or larger), centred.
 */
export function centreCrop(
  width: number,
  height: number,
  crop: number | null,
): { x: number; y: number; side: number } {
  const side = Math.min(width, height, crop ?? Number.POSITIVE_INFINITY);
  return { x: Math.floor((width - side) / 2), y: Math.floor((height - side) / 2), side };
}
