import { describe, expect, it } from 'vitest';
import { folderLabels, parseCelebaAttributes, parseCsvLabels, parseLabelFile } from './labels';

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
