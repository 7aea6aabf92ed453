import { describe, expect, it } from 'vitest';
import {
  folderLabels,
  isLabelFile,
  parseCelebaAttributes,
  parseCsvLabels,
  parseLabelFile,
} from './labels';

const celeba = (rows: string[], count = rows.length) =>
  [String(count), 'Black_Hair Blond_Hair Male', ...rows].join('\n');

describe('CelebA attribute files', () => {
  it('reads names and 1 / -1 values as 0/1, with any spacing and a trailing newline', () => {
    const table = parseCelebaAttributes(
      celeba(['000001.jpg -1  1 -1', '000002.jpg  1 -1  1', ''], 2),
    );
    expect(table.names).toEqual(['Black_Hair', 'Blond_Hair', 'Male']);
    expect(table.rows.get('000001.jpg')).toEqual([0, 1, 0]);
    expect(table.rows.get('000002.jpg')).toEqual([1, 0, 1]);
    expect(table.oneOf).toBe(false);
    expect(table.lineOf.get('000002.jpg')).toBe(4);
  });

  it('reads Windows line ends and a byte-order mark', () => {
    const table = parseCelebaAttributes(
      `\uFEFF${celeba(['a.jpg 1 1 1']).replaceAll('\n', '\r\n')}`,
    );
    expect(table.rows.get('a.jpg')).toEqual([1, 1, 1]);
  });

  it.each([
    [
      ['a.jpg 1 1'],
      'list_attr_celeba.txt, line 3: expected a file name and 3 values, found 2 values',
    ],
    [['a.jpg 1 1 1 1'], 'line 3: expected a file name and 3 values, found 4 values'],
    [['a.jpg 1 0 1'], 'line 3: value "0" for Blond_Hair is not 1 or -1'],
    [['a.jpg 1 yes 1'], 'line 3: value "yes" for Blond_Hair is not 1 or -1'],
    [['a.jpg 1 1 1', 'a.jpg -1 -1 -1'], 'line 4: a.jpg is listed twice'],
  ])('rejects %j with a message naming the line', (rows, message) => {
    expect(() => parseCelebaAttributes(celeba(rows))).toThrow(message);
  });

  it('rejects a wrong count line, a missing header and repeated attribute names', () => {
    expect(() => parseCelebaAttributes(celeba(['a.jpg 1 1 1'], 5))).toThrow(
      'line 1: says 5 images but lists 1',
    );
    expect(() => parseCelebaAttributes('two\nA B')).toThrow(
      'line 1: expected the number of images, found "two"',
    );
    expect(() => parseCelebaAttributes('1\n\n')).toThrow('line 2: expected the attribute names');
    expect(() => parseCelebaAttributes('0\nMale Male')).toThrow(
      'line 2: attribute "Male" is named twice',
    );
  });
});

describe('CSV label files', () => {
  it('reads 0/1 and -1/1 columns, quoted fields and blank lines', () => {
    const table = parseCsvLabels('filename,Male,Young\n"a, 1.png",1,-1\nb.png,-1,1\n\n');
    expect(table.names).toEqual(['Male', 'Young']);
    expect(table.rows.get('a, 1.png')).toEqual([1, 0]);
    expect(table.rows.get('b.png')).toEqual([0, 1]);
    const zeroOne = parseCsvLabels('file,Smiling\nx.png,0\ny.png,1');
    expect(zeroOne.rows.get('x.png')).toEqual([0]);
  });

  it('turns one categorical column into one-hot domains in first-seen order', () => {
    const table = parseCsvLabels('filename,mood\na.png,happy\nb.png,sad\nc.png,happy');
    expect(table).toMatchObject({ names: ['happy', 'sad'], oneOf: true });
    expect(table.rows.get('c.png')).toEqual([1, 0]);
  });

  it.each([
    ['filename\na.png', 'labels.csv, line 1: expected a header'],
    ['filename,,x\na.png,1,1', 'line 1: expected a header'],
    ['filename,A,A\na.png,1,1', 'line 1: column "A" is named twice'],
    ['filename,A,B\na.png,1', 'line 2: expected 3 fields, found 2'],
    ['filename,A\na.png,1\na.png,0', 'line 3: a.png is listed twice'],
    ['filename,A\n,1', 'line 2: the file name is empty'],
    [
      'filename,A,mood\na.png,1,happy\nb.png,0,sad',
      'line 2: value "happy" for mood is not 0/1 or -1/1 (a categorical column must be the only label column)',
    ],
    ['filename,mood\na.png,happy\nb.png,', 'line 3: no value for mood'],
  ])('rejects %j with a message naming the line', (text, message) => {
    expect(() => parseCsvLabels(text)).toThrow(message);
  });

  it('mixing 0 and -1 in one column makes it categorical, not binary', () => {
    expect(parseCsvLabels('f,A\na.png,0\nb.png,-1\nc.png,1').oneOf).toBe(true);
  });
});

describe('label sources', () => {
  it('picks the parser by file name', () => {
    expect(parseLabelFile('data/list_attr_celeba.txt', celeba(['a.jpg 1 1 1'])).names).toHaveLength(
      3,
    );
    expect(parseLabelFile('data/labels.CSV', 'f,A\na.png,1').names).toEqual(['A']);
  });

  it('makes one-hot domains of folder names, sorted', () => {
    const table = folderLabels(['set/cats/1.png', 'set/dogs/2.png', 'set/cats/3.png']);
    expect(table.names).toEqual(['cats', 'dogs']);
    expect(table.rows.get('set/dogs/2.png')).toEqual([0, 1]);
    expect(table.oneOf).toBe(true);
  });
});

describe('label files that used to crash, hang or mislead (issue 19)', () => {
  const seconds = (run: () => unknown) => {
    const start = performance.now();
    try {
      run();
    } catch {
      // Timed either way.
    }
    return (performance.now() - start) / 1000;
  };

  it('names the line where a column mixes 0 and -1 among other label columns', () => {
    expect(() => parseCsvLabels('filename,A,B\na.png,0,1\nb.png,-1,1\nc.png,1,0')).toThrow(
      'labels.csv, line 3: A has -1 here but 0 on line 2: use 0/1 or -1/1 in a column, not both',
    );
    expect(() => parseCsvLabels('filename,A,B\na.png,1,-1\nb.png,1,0')).toThrow(
      'line 3: B has 0 here but -1 on line 2',
    );
  });

  it('refuses long lines and too many columns, in linear time', () => {
    const header = `filename,${Array.from({ length: 200_000 }, (_, i) => `c${i}`).join(',')}`;
    expect(header.length).toBeGreaterThan(1_000_000);
    expect(seconds(() => parseCsvLabels(`${header}\na.png,1`))).toBeLessThan(0.5);
    expect(() => parseCsvLabels(`${header}\na.png,1`)).toThrow(
      /^labels.csv, line 1: the line is \d+ characters long; at most 16384 are read$/,
    );
    const wide = `filename,${Array.from({ length: 300 }, (_, i) => `c${i}`).join(',')}`;
    expect(() => parseCsvLabels(`${wide}\na.png,1`)).toThrow(
      'line 1: 300 label columns; at most 256 are read',
    );
    const celebaWide = `1\n${Array.from({ length: 300 }, (_, i) => `c${i}`).join(' ')}\na.jpg 1`;
    expect(() => parseCelebaAttributes(celebaWide)).toThrow('line 2: 300 label columns');
    const longRow = `filename,A\n${'x'.repeat(20_000)}.png,1`;
    expect(() => parseCsvLabels(longRow)).toThrow('line 2: the line is 20006 characters long');
  });

  it('refuses a categorical column with more than 64 values at once, naming the bound', () => {
    const ids = Array.from({ length: 20_000 }, (_, i) => `${i}.png,id${i}`).join('\n');
    const text = `filename,id\n${ids}`;
    expect(seconds(() => parseCsvLabels(text))).toBeLessThan(0.5);
    expect(() => parseCsvLabels(text)).toThrow(
      'labels.csv, line 66: id has more than 64 different values; a categorical column (one domain per value) may have at most 64 domains',
    );
    const many = Array.from({ length: 64 }, (_, i) => `${i}.png,mood${i}`).join('\n');
    expect(parseCsvLabels(`filename,mood\n${many}`).names).toHaveLength(64);
  });

  it('reads CR, LF and CRLF line ends, mixed', () => {
    const table = parseCsvLabels('filename,A\ra.png,1\r\nb.png,0\nc.png,1\r');
    expect([...table.rows.keys()]).toEqual(['a.png', 'b.png', 'c.png']);
    expect(table.lineOf.get('c.png')).toBe(4);
    const celeba = parseCelebaAttributes('1\rMale Young\ra.jpg 1 -1\r');
    expect(celeba.rows.get('a.jpg')).toEqual([1, 0]);
  });

  it('refuses a file with a header and no rows', () => {
    expect(() => parseCsvLabels('filename,Male\n\n')).toThrow(
      'labels.csv, line 1: the file has a header but no rows: list one image per line under it',
    );
    expect(() => parseCelebaAttributes('0\nMale Young\n')).toThrow(
      'list_attr_celeba.txt, line 1: lists no images',
    );
  });

  it('keys rows by NFC names with "/" for "\\"', () => {
    const table = parseCsvLabels('filename,A\ne\u0301.png,1\nsub\\b.png,0\n./c.png,1');
    expect([...table.rows.keys()]).toEqual(['\u00e9.png', 'sub/b.png', 'c.png']);
    expect(() => parseCsvLabels('filename,A\n\u00e9.png,1\ne\u0301.png,0')).toThrow(
      'line 3: \u00e9.png is listed twice',
    );
  });

  it('never takes an OS junk file for the label file', () => {
    expect(isLabelFile('set/._labels.csv')).toBe(false);
    expect(isLabelFile('__MACOSX/set/labels.csv')).toBe(false);
    expect(isLabelFile('__MACOSX\\set\\._labels.csv')).toBe(false);
    expect(isLabelFile('set\\labels.csv')).toBe(true);
    expect(isLabelFile('set/list_attr_celeba.txt')).toBe(true);
    expect(parseLabelFile('set\\labels.csv', 'f,A\na.png,1').names).toEqual(['A']);
  });

  it('makes domains of folder names in "\\" paths', () => {
    const table = folderLabels(['cats\\1.png', 'dogs\\2.png']);
    expect(table.names).toEqual(['cats', 'dogs']);
  });
});
