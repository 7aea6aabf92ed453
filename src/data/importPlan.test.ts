import { describe, expect, it } from 'vitest';
import { Rng } from '../core/random';
import { centreCrop, MAX_IMAGE_BYTES, planImport, STORED_SIZE, selectColumns } from './importPlan';
import { gatherImages } from './labelledImages';
import { MIN_IMAGES, readStoredImage, splitHeldOut, UserImageSet } from './userImages';

const file = (path: string, bytes = 1000) => ({ path, bytes });
const ATTRS = '3\nBlack_Hair Blond_Hair Brown_Hair Male Young Smiling\n';

describe('import plans', () => {
  it('labels images from a CelebA file by name, skipping what cannot be used', () => {
    const plan = planImport(
      [
        file('celeba/list_attr_celeba.txt'),
        file('celeba/img/000001.jpg'),
        file('celeba/img/000002.jpg'),
        file('celeba/img/000009.png'),
        file('celeba/notes.txt'),
        file('celeba/huge.png', MAX_IMAGE_BYTES + 1),
        file('celeba/empty.webp', 0),
        file('celeba/.DS_Store'),
        file('__MACOSX/celeba/._000001.jpg'),
      ],
      `${ATTRS}000001.jpg 1 -1 -1 1 1 -1\n000002.jpg -1 1 -1 -1 1 1\n000003.jpg -1 -1 1 1 -1 1\n`,
    );
    expect(plan.mode).toBe('attributes');
    expect(plan.labelFile).toBe('celeba/list_attr_celeba.txt');
    expect(plan.images).toEqual([
      { path: 'celeba/img/000001.jpg', labels: [1, 0, 0, 1, 1, 0] },
      { path: 'celeba/img/000002.jpg', labels: [0, 1, 0, 0, 1, 1] },
    ]);
    expect(plan.skipped).toEqual([
      { path: 'celeba/notes.txt', reason: 'not a PNG, JPEG or WebP image' },
      { path: 'celeba/huge.png', reason: 'over 25 MB' },
      { path: 'celeba/empty.webp', reason: 'empty file' },
      { path: 'celeba/img/000009.png', reason: 'not in list_attr_celeba.txt' },
    ]);
    expect(plan.notes).toEqual([
      '1 file names in list_attr_celeba.txt have no image in the upload.',
    ]);
    expect(plan.defaultLabels).toEqual(['Black_Hair', 'Blond_Hair', 'Brown_Hair', 'Male', 'Young']);
    expect(plan.defaultGroup).toEqual(['Black_Hair', 'Blond_Hair', 'Brown_Hair']);
    expect(plan.suggestedCrop).toBe(178);
  });

  it('reports a label file that names no uploaded image, with its line', () => {
    expect(() =>
      planImport(
        [file('a/list_attr_celeba.txt'), file('a/x.png')],
        `${ATTRS}1.jpg 1 1 1 1 1 1\n2.jpg 1 1 1 1 1 1\n3.jpg 1 1 1 1 1 1`,
      ),
    ).toThrow(
      'list_attr_celeba.txt, line 3: none of its 3 file names matches an uploaded image (the first is 1.jpg)',
    );
  });

  it('skips images whose names clash, since labels are matched by name', () => {
    const plan = planImport(
      [file('s/labels.csv'), file('s/a/1.png'), file('s/b/1.png'), file('s/2.png')],
      'filename,Male\n1.png,1\n2.png,0',
    );
    expect(plan.images.map((i) => i.path)).toEqual(['s/2.png']);
    expect(plan.skipped.map((s) => s.reason)).toEqual([
      'another image is also named 1.png',
      'another image is also named 1.png',
    ]);
  });

  it('makes one domain per folder when there is no label file', () => {
    const plan = planImport(
      [file('pets/dogs/1.png'), file('pets/cats/2.jpg'), file('pets/dogs/3.webp')],
      null,
    );
    expect(plan.mode).toBe('domains');
    expect(plan.labelNames).toEqual(['cats', 'dogs']);
    // Sorted by path: cats/2, dogs/1, dogs/3.
    expect(plan.images.map((i) => i.labels)).toEqual([
      [1, 0],
      [0, 1],
      [0, 1],
    ]);
  });

  it('leaves one folder of images unlabelled, for unconditional models', () => {
    const plan = planImport([file('faces/1.png'), file('faces/2.png')], null);
    expect(plan.mode).toBe('unlabelled');
    expect(plan.images).toHaveLength(2);
  });

  it('a categorical CSV column becomes domains', () => {
    const plan = planImport(
      [file('x/labels.csv'), file('x/a.png'), file('x/b.png')],
      'filename,mood\na.png,happy\nb.png,sad',
    );
    expect(plan).toMatchObject({ mode: 'domains', labelNames: ['happy', 'sad'] });
  });

  it('picks label columns by name', () => {
    const pick = selectColumns(['A', 'B', 'C'], ['C', 'A']);
    expect(pick([1, 0, 0])).toEqual([0, 1]);
    expect(() => selectColumns(['A'], ['Z'])).toThrow('There is no label named Z');
  });
});

describe('preprocessing', () => {
  it('crops the centre square, at most the short side', () => {
    expect(centreCrop(178, 218, 178)).toEqual({ x: 0, y: 20, side: 178 });
    expect(centreCrop(300, 200, null)).toEqual({ x: 50, y: 0, side: 200 });
    expect(centreCrop(100, 100, 178)).toEqual({ x: 0, y: 0, side: 100 });
  });

  it('reads stored bytes at 16/32/64 px as averages scaled to [-1, 1]', () => {
    const bytes = STORED_SIZE * STORED_SIZE * 3;
    const pixels = new Uint8Array(2 * bytes);
    pixels.fill(255, 0, bytes);
    // Image 1: left half black, right half white.
    for (let row = 0; row < STORED_SIZE; row++) {
      pixels.fill(255, bytes + (row * STORED_SIZE + 32) * 3, bytes + (row + 1) * STORED_SIZE * 3);
    }
    for (const size of [16, 32, 64]) {
      const white = readStoredImage(pixels, 0, size);
      expect(white.length).toBe(size * size * 3);
      expect(white.every((v) => Math.abs(v - 1) < 1e-6)).toBe(true);
      const half = readStoredImage(pixels, 1, size);
      expect(half[0]).toBeCloseTo(-1, 6);
      expect(half[(size - 1) * 3]).toBeCloseTo(1, 6);
      expect(Math.min(...half)).toBeGreaterThanOrEqual(-1);
      expect(Math.max(...half)).toBeLessThanOrEqual(1);
    }
    expect(() => readStoredImage(pixels, 0, 24)).toThrow('24 px does not divide 64 px');
  });

  it('averages a 2 x 2 block into one pixel', () => {
    const pixels = new Uint8Array(STORED_SIZE * STORED_SIZE * 3);
    pixels.set([0, 0, 0, 255, 255, 255], 0);
    pixels.set([255, 255, 255, 0, 0, 0], STORED_SIZE * 3);
    expect(readStoredImage(pixels, 0, 32)[0]).toBeCloseTo(0, 6);
  });

  it('holds out a tenth (3 to 64) for the test grid, and refuses sets too small', () => {
    const { train, test } = splitHeldOut(100, new Rng(1));
    expect(test).toHaveLength(10);
    expect(new Set([...train, ...test]).size).toBe(100);
    expect(splitHeldOut(5, new Rng(1)).test).toHaveLength(3);
    expect(splitHeldOut(5000, new Rng(1)).test).toHaveLength(64);
    expect(() => splitHeldOut(MIN_IMAGES - 1, new Rng(1))).toThrow(
      'The data set has 3 images; training needs at least 4',
    );
  });

  it('serves batches with flips and labels like the toy faces', () => {
    const bytes = STORED_SIZE * STORED_SIZE * 3;
    const pixels = new Uint8Array(3 * bytes);
    for (let row = 0; row < STORED_SIZE; row++)
      pixels.fill(255, row * STORED_SIZE * 3, (row * STORED_SIZE + 32) * 3);
    const set = new UserImageSet(
      { count: 3, pixels, labels: Uint8Array.from([1, 0, 0, 1, 1, 1]), labelNames: ['A', 'B'] },
      16,
      [0, 2],
    );
    const { images, labels } = gatherImages(set, [0, 1, 0], [false, false, true]);
    expect(Array.from(labels)).toEqual([1, 0, 1, 1, 1, 0]);
    const n = 16 * 16 * 3;
    expect(images[0]).toBeCloseTo(1, 6);
    expect(images[2 * n]).toBeCloseTo(-1, 6);
    expect(images[2 * n + 15 * 3]).toBeCloseTo(1, 6);
  });
});

describe('import plans across operating systems (issue 19)', () => {
  const paths = (plan: { images: readonly { path: string }[] }) => plan.images.map((i) => i.path);

  it('ignores AppleDouble files and __MACOSX entirely, as labels and as images', () => {
    const plan = planImport(
      [
        file('__MACOSX/set/._labels.csv'),
        file('set/._labels.csv'),
        file('set/labels.csv'),
        file('set/a.png'),
        file('set/._a.png'),
        file('__MACOSX/set/._a.png'),
      ],
      'filename,Male\na.png,1',
    );
    expect(plan.labelFile).toBe('set/labels.csv');
    expect(plan.images).toEqual([{ path: 'set/a.png', labels: [1] }]);
    expect(plan.skipped).toEqual([]);
    const junkOnly = planImport([file('s/._labels.csv'), file('s/a.png')], null);
    expect(junkOnly).toMatchObject({ labelFile: null, mode: 'unlabelled' });
  });

  it('matches names across NFC and NFD, keeping the path the source uses', () => {
    const nfd = 'set/e\u0301te\u0301.png';
    const plan = planImport([file('set/labels.csv'), file(nfd)], 'filename,A\n\u00e9t\u00e9.png,1');
    expect(plan.images).toEqual([{ path: nfd, labels: [1] }]);
  });

  it('reads Windows zips: "\\" in image, label file and folder paths', () => {
    const labelled = planImport(
      [file('set\\labels.csv'), file('set\\img\\a.png'), file('set\\img\\b.png')],
      'filename,A\nimg\\a.png,1\nb.png,0',
    );
    expect(labelled.labelFile).toBe('set\\labels.csv');
    expect(labelled.images).toEqual([
      { path: 'set\\img\\a.png', labels: [1] },
      { path: 'set\\img\\b.png', labels: [0] },
    ]);
    const domains = planImport(
      [file('pets\\dogs\\1.png'), file('pets\\cats\\2.jpg'), file('pets\\dogs\\3.webp')],
      null,
    );
    expect(domains.mode).toBe('domains');
    expect(domains.labelNames).toEqual(['cats', 'dogs']);
    expect(paths(domains)).toEqual([
      'pets\\cats\\2.jpg',
      'pets\\dogs\\1.png',
      'pets\\dogs\\3.webp',
    ]);
  });

  it('matches a row by relative path, else by base name, and refuses what is ambiguous', () => {
    const plan = planImport(
      [
        file('set/labels.csv'),
        file('set/sub/a.png'),
        file('set/other/a.png'),
        file('set/deep/er/b.png'),
        file('set/x/c.png'),
      ],
      'filename,A\nsub/a.png,1\nb.png,0\np/c.png,1\nq/c.png,0',
    );
    expect(plan.images).toEqual([
      { path: 'set/deep/er/b.png', labels: [0] },
      { path: 'set/sub/a.png', labels: [1] },
    ]);
    expect(plan.skipped).toEqual([
      { path: 'set/other/a.png', reason: 'not in labels.csv' },
      { path: 'set/x/c.png', reason: '2 rows of labels.csv could name it (lines 4, 5)' },
    ]);
    expect(plan.notes).toEqual(['2 file names in labels.csv have no image in the upload.']);
  });

  it('refuses a label file with a header and no rows instead of skipping every image', () => {
    expect(() => planImport([file('s/labels.csv'), file('s/a.png')], 'filename,Male\n')).toThrow(
      'labels.csv, line 1: the file has a header but no rows',
    );
  });

  it('leaves images in more than 64 folders unlabelled, and says why', () => {
    const files = Array.from({ length: 65 }, (_, i) => file(`set/f${i}/1.png`));
    const plan = planImport(files, null);
    expect(plan.mode).toBe('unlabelled');
    expect(plan.notes).toEqual([
      'The images are in 65 folders, more than the 64 domains a data set may have: they are unlabelled.',
    ]);
  });

  it('plans 20,000 images against a 20,000-row label file quickly', () => {
    const files = Array.from({ length: 20_000 }, (_, i) => file(`set/img/${i}.png`));
    const rows = Array.from({ length: 20_000 }, (_, i) => `${i}.png,${i % 2},${(i >> 1) % 2}`);
    const start = performance.now();
    const plan = planImport([file('set/labels.csv'), ...files], `filename,A,B\n${rows.join('\n')}`);
    expect(performance.now() - start).toBeLessThan(1000);
    expect(plan.images).toHaveLength(20_000);
  });
});
