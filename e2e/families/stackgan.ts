import { expect, type Page } from '@playwright/test';
import { settledFingerprint, waitForFrameOfCurrentStep } from '../helpers';

/** Per column of a canvas of `cols` equal cells: the spread of its red values (0 = blank). */
async function columnSpreads(page: Page, testId: string, cols: number): Promise<number[]> {
  return page.getByTestId(testId).evaluate((canvas: HTMLCanvasElement, n) => {
    const { data, width, height } = canvas
      .getContext('2d')!
      .getImageData(0, 0, canvas.width, canvas.height);
    return Array.from({ length: n }, (_, col) => {
      let low = 255;
      let high = 0;
      const from = Math.floor((col * width) / n);
      const to = Math.floor(((col + 1) * width) / n);
      for (let y = 0; y < height; y++) {
        for (let x = from; x < to; x++) {
          const v = data[4 * (y * width + x)]!;
          low = Math.min(low, v);
          high = Math.max(high, v);
        }
      }
      return high - low;
    });
  }, cols);
}

/**
 * StackGAN++: all fifteen loss terms charted, the three stages drawn side by side in the live
 * grid and for a typed caption, an edited caption redrawing the stages, an unknown word
 * flagged (and the toggles rewriting the caption in the vocabulary's words).
 */
export async function check(page: Page): Promise<void> {
  // 3 Ds x (real, wrong, fake), G per stage, KL, colour mean and covariance.
  await expect(page.getByTestId('loss-chart')).toHaveAttribute('data-series-drawn', '15');
  await waitForFrameOfCurrentStep(page, 'stage-grid');
  for (const spread of await columnSpreads(page, 'stage-grid', 3)) {
    expect(spread).toBeGreaterThan(10);
  }

  const caption = page.getByTestId('caption-input');
  await caption.fill('a smiling young woman with blond hair');
  const original = await settledFingerprint(page, 'stages-output');
  for (const spread of await columnSpreads(page, 'stages-output', 3)) {
    expect(spread).toBeGreaterThan(10);
  }
  await caption.fill('an old man with black hair and a beard');
  await expect.poll(() => settledFingerprint(page, 'stages-output')).not.toBe(original);
  await expect(page.getByTestId('unknown-words')).toHaveAttribute('data-count', '0');

  // A word outside the vocabulary is flagged, not silently read.
  await caption.fill('a young wizard with blond hair');
  await expect(page.getByTestId('unknown-words')).toHaveAttribute('data-count', '1');
  await expect(page.getByTestId('unknown-words').locator('mark')).toHaveText('wizard');
  // The toggles rewrite the caption in the vocabulary's words.
  await page.getByTestId('toggle-man').click();
  await expect(caption).toHaveValue('a serious young man with blond hair');
  await expect(page.getByTestId('unknown-words')).toHaveAttribute('data-count', '0');
}
