import { expect, type Page } from '@playwright/test';

/** Console errors and uncaught exceptions of the page and its workers, for a final check. */
/**
 * What TF.js's WebGPU backend warns, once, when an op reads the device back synchronously (its
 * Tile does for rank 5 and up): the worker blocks, and on SwiftShader the device was lost.
 */
const SYNC_READ = 'synchronously reading data from GPU';

export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('worker', (worker) => {
    worker.on('console', (message) => {
      if (message.type() === 'error' || message.text().includes(SYNC_READ)) {
        errors.push(`worker: ${message.text()}`);
      }
    });
  });
  return errors;
}

export async function stepCount(page: Page): Promise<number> {
  return Number(await page.getByTestId('step-count').textContent());
}

export async function chartPoints(page: Page, testId: string): Promise<number> {
  return Number(await page.getByTestId(testId).getAttribute('data-points'));
}

/** A fingerprint of what a canvas shows: changes when any pixel does. */
export async function canvasFingerprint(page: Page, testId: string): Promise<string> {
  return page.getByTestId(testId).evaluate((canvas: HTMLCanvasElement) => canvas.toDataURL());
}

/** Pixels of a chart's canvas drawn in a saturated colour: the plotted lines, not axes or grid. */
export async function plottedPixels(page: Page, testId: string): Promise<number> {
  return page
    .getByTestId(testId)
    .locator('canvas')
    .evaluate((canvas: HTMLCanvasElement) => {
      const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
      let count = 0;
      for (let i = 0; i < data.length; i += 4) {
        const [r, g, b, a] = [data[i]!, data[i + 1]!, data[i + 2]!, data[i + 3]!];
        if (a > 128 && Math.max(r, g, b) - Math.min(r, g, b) > 60) count++;
      }
      return count;
    });
}

/** Waits until the worker has built the current experiment and accepts commands. */
export async function waitUntilReady(page: Page): Promise<void> {
  await page.locator('section.controls[data-ready="true"]').waitFor();
}

/** Waits until the live view shows the weights of the current step (after a pause). */
export async function waitForFrameOfCurrentStep(page: Page, testId: string): Promise<void> {
  const step = await stepCount(page);
  await page.locator(`[data-testid="${testId}"][data-step="${step}"]`).waitFor();
}

/** A canvas's fingerprint once its view has drawn what it was last asked for (data-busy false). */
export async function settledFingerprint(page: Page, testId: string): Promise<string> {
  await expect(page.getByTestId(testId)).toHaveAttribute('data-busy', 'false');
  return canvasFingerprint(page, testId);
}
