import { expect, test } from '@playwright/test';
import { canvasFingerprint, chartPoints, plottedPixels, stepCount, watchErrors } from './helpers';

test('trains the 2D GAN live on WebGPU: play, pause, step, reset', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/');

  const backend = page.getByTestId('backend-name');
  await expect(backend).toHaveAttribute('data-backend', 'webgpu');
  await expect(backend).toHaveText('WebGPU');
  await expect(page.getByTestId('adapter')).toBeVisible();
  await expect(page.getByTestId('fallback-notice')).toHaveCount(0);

  const samples = page.getByTestId('samples');
  await expect(samples).toHaveAttribute('data-frame-step', '0');
  const untrained = await canvasFingerprint(page, 'samples');

  await page.getByTestId('play-pause').click();
  await expect.poll(() => stepCount(page)).toBeGreaterThanOrEqual(30);
  await expect.poll(() => chartPoints(page, 'loss-chart')).toBeGreaterThanOrEqual(2);
  expect(await plottedPixels(page, 'loss-chart')).toBeGreaterThan(100);
  expect(await canvasFingerprint(page, 'samples')).not.toBe(untrained);
  await expect(page.getByTestId('modes-covered')).toHaveText(/\d \/ 8/);
  const movedAt = await samples.getAttribute('data-frame-step');
  await expect.poll(() => samples.getAttribute('data-frame-step')).not.toBe(movedAt);

  await page.getByTestId('play-pause').click();
  await expect(page.getByTestId('play-pause')).toHaveText(/Play/);
  const paused = await stepCount(page);
  await page.waitForTimeout(1500);
  expect(await stepCount(page)).toBe(paused);

  await page.getByTestId('step').click();
  await expect.poll(() => stepCount(page)).toBe(paused + 1);
  await expect(samples).toHaveAttribute('data-frame-step', String(paused + 1));
  await page.waitForTimeout(1000);
  expect(await stepCount(page)).toBe(paused + 1);

  await page.getByTestId('reset').click();
  await expect(page.getByTestId('step-count')).toHaveText('0');
  await expect(page.getByTestId('loss-chart')).toHaveAttribute('data-points', '0');
  // Same seed, same initial weights: the untrained picture comes back pixel for pixel.
  await expect.poll(() => canvasFingerprint(page, 'samples')).toBe(untrained);

  expect(errors).toEqual([]);
});

test('?backend=cpu trains on the CPU and says so', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/?backend=cpu');
  await expect(page.getByTestId('backend-name')).toHaveAttribute('data-backend', 'cpu');
  await expect(page.getByTestId('backend-name')).toHaveText('CPU');
  await expect(page.getByTestId('backend-choice')).toHaveValue('cpu');
  await expect(page.getByTestId('fallback-notice')).toHaveCount(0);
  await page.getByTestId('play-pause').click();
  await expect.poll(() => stepCount(page)).toBeGreaterThanOrEqual(50);
  await expect.poll(() => chartPoints(page, 'loss-chart')).toBeGreaterThanOrEqual(3);
  expect(errors).toEqual([]);
});

test('choosing a backend in the page restarts on it and records it in the URL', async ({
  page,
}) => {
  const errors = watchErrors(page);
  await page.goto('/');
  await expect(page.getByTestId('backend-name')).toHaveAttribute('data-backend', 'webgpu');
  await page.getByTestId('backend-choice').selectOption('webgl');
  await expect(page.getByTestId('backend-name')).toHaveAttribute('data-backend', 'webgl');
  await expect(page).toHaveURL(/\?backend=webgl$/);
  await page.getByTestId('step').click();
  await expect.poll(() => stepCount(page)).toBe(1);
  expect(errors).toEqual([]);
});

test('choosing data shows it at once; other settings wait for Apply', async ({ page }) => {
  await page.goto('/?backend=cpu');
  await expect(page.getByTestId('samples')).toHaveAttribute('data-frame-step', '0');
  const ring = await canvasFingerprint(page, 'samples');
  await page.getByTestId('dataset').selectOption('grid');
  await expect(page.getByTestId('modes-covered')).toHaveText(/\/ 25/);
  await expect.poll(() => canvasFingerprint(page, 'samples')).not.toBe(ring);
  const apply = page.getByTestId('apply');
  await expect(apply).toBeDisabled();
  await page.getByTestId('seed').fill('5');
  await expect(apply).toBeEnabled();
  await apply.click();
  await expect(apply).toBeDisabled();
  await expect(page.getByTestId('seed')).toHaveValue('5');
});
