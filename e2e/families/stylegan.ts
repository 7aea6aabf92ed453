import { expect, type Page } from '@playwright/test';
import { settledFingerprint, waitForFrameOfCurrentStep } from '../helpers';

/**
 * StyleGAN-lite: its three loss terms charted; the style-mixing grid drawn (sources B across
 * the top, A down the side, so wider than tall) and redrawn when the crossover moves; the
 * truncation row changed by psi 0 (every sample becomes the mean face) and restored exactly
 * when psi returns.
 */
export async function check(page: Page): Promise<void> {
  // D adversarial, R1 and G adversarial.
  await expect(page.getByTestId('loss-chart')).toHaveAttribute('data-series-drawn', '3');
  await waitForFrameOfCurrentStep(page, 'sample-grid');

  const mixing = await settledFingerprint(page, 'mixing-grid');
  const [width, height] = await page
    .getByTestId('mixing-grid')
    .evaluate((c: HTMLCanvasElement) => [c.width, c.height]);
  expect(width).toBeGreaterThan(height!);
  await page.getByTestId('crossover-coarse').click();
  await expect.poll(() => settledFingerprint(page, 'mixing-grid')).not.toBe(mixing);

  const psi = page.getByTestId('truncation-psi');
  const before = await psi.inputValue();
  const original = await settledFingerprint(page, 'truncation-output');
  await psi.fill('0');
  await expect.poll(() => settledFingerprint(page, 'truncation-output')).not.toBe(original);
  await psi.fill(before);
  await expect.poll(() => settledFingerprint(page, 'truncation-output')).toBe(original);
}
