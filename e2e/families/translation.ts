import { expect, type Page } from '@playwright/test';
import { chartPoints, settledFingerprint, waitForFrameOfCurrentStep } from '../helpers';
import { png } from '../pngFiles';

/** Distinct RGB colours a canvas shows: a blank or flat one has one or two. */
export async function distinctColours(page: Page, testId: string): Promise<number> {
  return page.getByTestId(testId).evaluate((canvas: HTMLCanvasElement) => {
    const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
    const seen = new Set<number>();
    for (let i = 0; i < data.length; i += 4) {
      seen.add((data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!);
    }
    return seen.size;
  });
}

/**
 * What every translation family shows once trained a few steps and paused: the translate grid
 * drawn for the current step (held-out faces, translations, true counterparts: many colours),
 * its column titles, every loss term charted, the translation error in numbers and on its
 * chart, the comparison of the three, and an uploaded image translated.
 */
export async function checkTranslation(
  page: Page,
  kind: 'pix2pix' | 'cyclegan' | 'unit',
  lossTerms: number,
  columns: readonly string[],
): Promise<void> {
  await waitForFrameOfCurrentStep(page, 'translate-grid');
  expect(await distinctColours(page, 'translate-grid')).toBeGreaterThan(100);
  const titles = page.locator('.translation-grid .grid-titles').first();
  for (const column of columns) await expect(titles).toContainText(column);
  await expect(page.getByTestId('loss-chart')).toHaveAttribute(
    'data-series-drawn',
    String(lossTerms),
  );
  await expect
    .poll(() => chartPoints(page, 'quality-chart'), { timeout: 30_000 })
    .toBeGreaterThanOrEqual(1);
  await expect(page.getByTestId('translation-quality-0')).toHaveText(/^\d\.\d{3}$/);
  await checkComparison(page, kind);
  await checkUpload(page, kind === 'pix2pix');
}

/**
 * The comparison table has the current family's column filled once its figures arrive: its
 * drawing → photo L1 (every family measures that direction at its small size) and its domain
 * accuracy.
 */
async function checkComparison(page: Page, kind: string): Promise<void> {
  const table = page.getByTestId('translation-comparison');
  const cell = (row: string) =>
    table.getByRole('row', { name: row }).getByTestId(`compare-${kind}`);
  await expect(cell('B→A L1')).toHaveText(/^\d\.\d{3}$/);
  await expect(cell('Domain accuracy')).toHaveText(/^\d+%$/);
}

/**
 * A person's own picture (a drawn face: skin ellipse on a coloured background, dark eyes)
 * uploads, is translated (input plus outputs drawn), and for a two-way translator, saying it
 * is a drawing instead of a photo changes the outputs; removing it empties the view.
 */
async function checkUpload(page: Page, oneWay: boolean): Promise<void> {
  const face = png(40, 40, (x, y) => {
    const [u, v] = [(x - 20) / 11, (y - 21) / 14];
    if (u * u + v * v < 1)
      return (x === 15 || x === 25) && y === 17 ? [30, 30, 40] : [240, 200, 170];
    return [90, 140, 200];
  });
  await page
    .getByTestId('translate-upload')
    .setInputFiles({ name: 'my-face.png', mimeType: 'image/png', buffer: Buffer.from(face) });
  const view = page.getByTestId('translate-uploads');
  await expect(view).toBeVisible();
  const photo = await settledFingerprint(page, 'translate-uploads');
  expect(await distinctColours(page, 'translate-uploads')).toBeGreaterThan(20);
  if (!oneWay) {
    await page.getByLabel('Domain of my-face.png').selectOption('B');
    await expect.poll(() => settledFingerprint(page, 'translate-uploads')).not.toBe(photo);
  }
  await page.getByRole('button', { name: 'Remove' }).click();
  await expect(view).toHaveCount(0);
}
