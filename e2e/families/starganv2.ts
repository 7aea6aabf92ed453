import { expect, type Page } from '@playwright/test';
import { settledFingerprint, waitForFrameOfCurrentStep } from '../helpers';
import { distinctColours } from './translation';

/**
 * StarGAN v2: its fourteen loss curves (D/latent, D/ref: real, fake, reg; G/latent, G/ref: adv,
 * sty, ds, cyc); both live grids drawn for the current step; the playground's latent rows and
 * reference grid drawn from the picked held-out images; and the interpolation slider changing
 * the output and, moved back, restoring it.
 */
export async function check(page: Page): Promise<void> {
  await expect(page.getByTestId('loss-chart')).toHaveAttribute('data-series-drawn', '14');
  for (const grid of ['latent-grid', 'reference-grid']) {
    await waitForFrameOfCurrentStep(page, grid);
    expect(await distinctColours(page, grid), grid).toBeGreaterThan(20);
  }
  for (const output of ['latent-output', 'reference-output']) {
    await settledFingerprint(page, output);
    expect(await distinctColours(page, output), output).toBeGreaterThan(20);
  }

  const slider = page.getByTestId('interpolation');
  const before = await slider.inputValue();
  const original = await settledFingerprint(page, 'interpolation-output');
  await slider.fill(before === '1' ? '0' : '1');
  await expect.poll(() => settledFingerprint(page, 'interpolation-output')).not.toBe(original);
  await slider.fill(before);
  await expect.poll(() => settledFingerprint(page, 'interpolation-output')).toBe(original);
}
