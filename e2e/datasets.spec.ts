import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { zipSync } from 'fflate';
import { chartPoints, stepCount, waitUntilReady, watchErrors } from './helpers';
import { png, writeFile } from './pngFiles';
import { applySettings, TINY_CYCLEGAN, TINY_STARGAN } from './setups';

const HAIR: [number, number, number][] = [
  [20, 20, 20],
  [240, 210, 90],
  [120, 70, 30],
];

/**
 * A CelebA-style folder: 24 portrait images (40 x 48, so the crop matters) whose hair colour
 * and shirt follow their labels, list_attr_celeba.txt, one unreadable image it also lists,
 * and a text file.
 */
function celebaFolder(): string {
  const root = join(mkdtempSync(join(tmpdir(), 'gan-data-')), 'mini-celeba');
  const lines = ['25', 'Black_Hair Blond_Hair Brown_Hair Male Young Smiling'];
  for (let i = 1; i <= 24; i++) {
    const hair = i % 3;
    const male = i % 2;
    const name = `${String(i).padStart(6, '0')}.png`;
    writeFile(
      join(root, 'img', name),
      png(40, 48, (x, y) => {
        if (y < 16) return HAIR[hair]!;
        if (y > 38) return male ? [40, 60, 200] : [200, 60, 120];
        return [230, 190, 160 - x];
      }),
    );
    const values = [0, 1, 2].map((h) => (h === hair ? 1 : -1));
    lines.push(`${name} ${values.join(' ')} ${male ? 1 : -1} ${i % 4 ? 1 : -1} -1`);
  }
  writeFile(join(root, 'img', '000025.png'), 'not really a png');
  lines.push('000025.png 1 -1 -1 1 1 -1');
  writeFile(join(root, 'list_attr_celeba.txt'), `${lines.join('\n')}\n`);
  writeFile(join(root, 'README.txt'), 'a toy slice of CelebA');
  return root;
}

test('a CelebA-style folder uploads, previews with labels, and StarGAN trains on it', async ({
  page,
}) => {
  const errors = watchErrors(page);
  await page.goto('/');
  await applySettings(page, 'stargan', TINY_STARGAN);

  await page.getByTestId('upload-folder').setInputFiles(celebaFolder());
  await expect(page.getByTestId('scan-summary')).toContainText(
    '25 images labelled by list_attr_celeba.txt; 1 files skipped.',
  );
  await expect(page.getByTestId('crop-size')).toHaveValue('178');
  await page.getByTestId('crop-size').fill('');
  await page.getByTestId('import-images').click();

  await expect(page.getByTestId('import-report')).toBeVisible();
  await expect(page.getByTestId('accepted-count')).toHaveText('24');
  await expect(page.getByTestId('skipped-count')).toHaveText('2');
  await expect(page.getByTestId('skipped-files')).toContainText(
    'mini-celeba/README.txt: not a PNG, JPEG or WebP image',
  );
  await expect(page.getByTestId('skipped-files')).toContainText(
    'mini-celeba/img/000025.png: could not be decoded as an image',
  );
  const labels = page.getByTestId('preview-label');
  await expect(labels).toHaveCount(16);
  await expect(labels.first()).toHaveText('Blond Hair, Male, Young');
  await expect(labels.nth(1)).toHaveText('Brown Hair, Young');

  await page.getByTestId('train-stargan').click();
  await waitUntilReady(page);
  await expect(page.getByTestId('backend-name')).toHaveAttribute('data-backend', 'webgpu');
  await expect(page.getByTestId('stargan-data')).toHaveValue(/^uploaded:/);
  await expect(page.getByTestId('sliders-celeba')).toContainText('mini-celeba');
  for (let i = 0; i < 3; i++) await page.getByTestId('step').click();
  await expect.poll(() => stepCount(page)).toBe(3);
  await expect.poll(() => chartPoints(page, 'loss-chart')).toBeGreaterThanOrEqual(1);

  // Stored in the browser: after a reload the set is listed without uploading again.
  await page.reload();
  await expect(page.getByTestId('saved-dataset')).toContainText('24 images');
  expect(errors).toEqual([]);
});

test('a label file with a bad line is refused with its line; unreadable files are listed', async ({
  page,
}) => {
  const errors = watchErrors(page);
  await page.goto('/');
  await waitUntilReady(page);
  const root = join(mkdtempSync(join(tmpdir(), 'gan-data-')), 'shapes');
  const square = png(32, 32, (x, y) =>
    x > 8 && x < 24 && y > 8 && y < 24 ? [200, 30, 30] : [250, 250, 250],
  );
  for (const name of ['a.png', 'b.png', 'c.png', 'd.png']) writeFile(join(root, name), square);
  writeFile(join(root, 'labels.csv'), 'filename,Red,Big\na.png,1,1\nb.png,1\n');
  await page.getByTestId('upload-folder').setInputFiles(root);
  await expect(page.getByTestId('notice').last()).toContainText(
    'Could not use this upload: labels.csv, line 3: expected 3 fields, found 2',
  );
  await expect(page.getByTestId('import-form')).toHaveCount(0);

  const plain = join(mkdtempSync(join(tmpdir(), 'gan-data-')), 'plain');
  for (const name of ['a.png', 'b.png', 'c.png', 'd.png']) writeFile(join(plain, name), square);
  writeFile(join(plain, 'broken.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]));
  writeFile(join(plain, 'notes.md'), '# notes');
  await page.getByTestId('upload-folder').setInputFiles(plain);
  await expect(page.getByTestId('scan-summary')).toContainText('5 images, unlabelled');
  await page.getByTestId('import-images').click();
  await expect(page.getByTestId('accepted-count')).toHaveText('4');
  await expect(page.getByTestId('skipped-files')).toContainText(
    'plain/broken.png: could not be decoded as an image',
  );
  await expect(page.getByTestId('skipped-files')).toContainText(
    'plain/notes.md: not a PNG, JPEG or WebP image',
  );
  expect(errors).toEqual([]);
});

test('a zip with one folder per domain imports as domains', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/');
  await waitUntilReady(page);
  const files: Record<string, Uint8Array> = {};
  for (let i = 0; i < 4; i++) {
    files[`pets/cats/${i}.png`] = png(20, 20, () => [200, 120, 40]);
    files[`pets/dogs/${i}.png`] = png(20, 20, () => [60, 60, 60]);
  }
  const zip = Buffer.from(zipSync(files));
  await page.getByTestId('upload-zip').setInputFiles({
    name: 'pets.zip',
    mimeType: 'application/zip',
    buffer: zip,
  });
  await expect(page.getByTestId('scan-summary')).toContainText('8 images, one domain per folder');
  await page.getByTestId('import-images').click();
  await expect(page.getByTestId('accepted-count')).toHaveText('8');
  await expect(page.getByTestId('saved-dataset')).toContainText('8 images · 96 kB · cats, dogs');
  await expect(page.getByTestId('preview-label').first()).toHaveText('cats');
  expect(errors).toEqual([]);
});

test('a zip of two folders trains CycleGAN: photos one way, sketches the other', async ({
  page,
}) => {
  const errors = watchErrors(page);
  await page.goto('/');
  await applySettings(page, 'cyclegan', TINY_CYCLEGAN);
  const files: Record<string, Uint8Array> = {};
  for (let i = 0; i < 5; i++) {
    // Filled discs for A, their outlines for B.
    const disc = (x: number, y: number) => (x - 10) ** 2 + (y - 10) ** 2;
    files[`pairs/photos/${i}.png`] = png(20, 20, (x, y) =>
      disc(x, y) < 40 + 5 * i ? [220, 90 + 20 * i, 40] : [120, 170, 230],
    );
    files[`pairs/sketches/${i}.png`] = png(20, 20, (x, y) =>
      Math.abs(disc(x, y) - 40 - 5 * i) < 8 ? [30, 30, 30] : [245, 245, 240],
    );
  }
  await page.getByTestId('upload-zip').setInputFiles({
    name: 'pairs.zip',
    mimeType: 'application/zip',
    buffer: Buffer.from(zipSync(files)),
  });
  await expect(page.getByTestId('scan-summary')).toContainText('10 images, one domain per folder');
  await page.getByTestId('import-images').click();
  await expect(page.getByTestId('accepted-count')).toHaveText('10');

  await page.getByTestId('train-cyclegan').click();
  await waitUntilReady(page);
  await expect(page.getByTestId('translation-data')).toHaveValue(/^uploaded:/);
  await expect(page.locator('.translation-grid figcaption').first()).toContainText(
    'photos (top rows) and sketches (bottom rows)',
  );
  const titles = page.locator('.translation-grid .grid-titles').first();
  await expect(titles).not.toContainText('True counterpart');
  for (let i = 0; i < 2; i++) await page.getByTestId('step').click();
  await expect.poll(() => stepCount(page)).toBe(2);
  await expect(page.getByTestId('translate-grid')).toHaveAttribute('data-step', '2');
  await expect.poll(() => chartPoints(page, 'loss-chart')).toBeGreaterThanOrEqual(1);
  // No truth for unpaired uploads: the L1 figures stay empty, the cycle error is measured.
  await expect(page.getByTestId('translation-quality-2')).toHaveText(/^\d\.\d{3}$/, {
    timeout: 30_000,
  });
  await expect(page.getByTestId('translation-quality-0')).toHaveText('–');
  expect(errors).toEqual([]);
});
