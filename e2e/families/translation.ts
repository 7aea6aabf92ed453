import { expect, type Page } from '@playwright/test';
import { chartPoints, waitForFrameOfCurrentStep } from '../helpers';

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
 * its column titles, every loss term charted, and the translation error in numbers and on its
 * chart.
 */
export async function checkTranslation(
  page: Page,
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
}
