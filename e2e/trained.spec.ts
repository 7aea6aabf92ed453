import { expect, type Page, test } from '@playwright/test';
import { canvasFingerprint, waitUntilReady, watchErrors } from './helpers';

/** Chooses a family in the model menu and clicks "Try a trained model" (issue 13, part 3). */
async function tryTrained(page: Page, model: string, loaded: RegExp): Promise<void> {
  await waitUntilReady(page);
  await page.getByTestId('model').selectOption(model);
  await page.getByTestId('try-trained').click();
  await expect(page.getByTestId('notice').filter({ hasText: loaded })).toBeVisible();
  await waitUntilReady(page);
}

async function settledOutput(page: Page): Promise<string> {
  await expect(page.getByTestId('slider-output')).toHaveAttribute('data-busy', 'false');
  return canvasFingerprint(page, 'slider-output');
}

test('the trained StarGAN loads in one click and its Male slider changes the faces', async ({
  page,
}) => {
  const errors = watchErrors(page);
  await page.goto('/');
  await expect(page.getByTestId('backend-name')).toHaveAttribute('data-backend', 'webgpu');
  await tryTrained(page, 'stargan', /Loaded the trained StarGAN.*generator only: D starts fresh/);
  await expect(page.getByTestId('image-size')).toHaveValue('32');

  const original = await settledOutput(page);
  const male = page.getByTestId('slider-Male');
  const before = await male.inputValue();
  await male.fill(before === '1' ? '0' : '1');
  await expect.poll(() => settledOutput(page)).not.toBe(original);
  expect(errors).toEqual([]);
});

test('the trained DCGAN loads in one click and draws its samples', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/');
  await tryTrained(page, 'imagegan', /Loaded the trained DCGAN/);
  await expect(page.getByTestId('variant')).toHaveValue('dcgan');
  // The first frame of the loaded run: 16 samples drawn from the trained generator.
  await expect(page.getByTestId('sample-grid')).toHaveAttribute('data-step', /^[1-9]\d*$/);
  await expect.poll(() => canvasFingerprint(page, 'sample-grid')).not.toBe('');
  expect(errors).toEqual([]);
});
