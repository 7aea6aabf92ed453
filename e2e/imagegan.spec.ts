import { expect, type Page, test } from '@playwright/test';
import { canvasFingerprint, stepCount, watchErrors } from './helpers';
import { applySettings, tinyImageGan } from './setups';

async function chooseTinyImageGan(page: Page, variant: string): Promise<void> {
  await applySettings(page, 'imagegan', tinyImageGan(variant));
  await expect(page.getByTestId('sample-grid')).toHaveAttribute('data-step', '0');
}

async function settledLatents(page: Page): Promise<string> {
  await expect(page.getByTestId('latent-output')).toHaveAttribute('data-busy', 'false');
  return canvasFingerprint(page, 'latent-output');
}

for (const variant of ['gan', 'dcgan', 'wgan', 'wgan-gp']) {
  test(`${variant} trains on WebGPU and its samples change`, async ({ page }) => {
    const errors = watchErrors(page);
    await page.goto('/');
    await expect(page.getByTestId('backend-name')).toHaveAttribute('data-backend', 'webgpu');
    await chooseTinyImageGan(page, variant);
    await expect.poll(() => canvasFingerprint(page, 'sample-grid')).not.toBe('');
    const untrained = await canvasFingerprint(page, 'sample-grid');
    // WGAN's first G step waits for 100 critic updates; single D and G steps show it faster.
    const clicks = variant === 'wgan' ? ['Step D', 'Step D', 'Step G'] : ['Step', 'Step', 'Step'];
    for (const [i, name] of clicks.entries()) {
      await page.getByRole('button', { name, exact: true }).click();
      await expect.poll(() => stepCount(page)).toBe(i + 1);
    }
    await expect(page.getByTestId('loss-chart')).toHaveAttribute('data-points', '3');
    await expect.poll(() => canvasFingerprint(page, 'sample-grid')).not.toBe(untrained);
    expect(errors).toEqual([]);
  });
}

test('a latent slider changes sample A and moving it back restores it', async ({ page }) => {
  await page.goto('/');
  await chooseTinyImageGan(page, 'dcgan');
  await page.getByTestId('step').click();
  await expect.poll(() => stepCount(page)).toBe(1);
  const original = await settledLatents(page);
  const slider = page.getByTestId('latent-slider-0');
  const value = await slider.inputValue();
  await slider.fill(Number(value) > 0 ? '-2.5' : '2.5');
  await expect.poll(() => settledLatents(page)).not.toBe(original);
  await slider.fill(value);
  await expect.poll(() => settledLatents(page)).toBe(original);
  await page.getByTestId('new-latents').click();
  await expect.poll(() => settledLatents(page)).not.toBe(original);
});
