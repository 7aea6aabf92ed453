import { expect, type Page, test } from '@playwright/test';
import {
  canvasFingerprint,
  chartPoints,
  stepCount,
  waitForFrameOfCurrentStep,
  watchErrors,
} from './helpers';
import { applySettings, TINY_STARGAN } from './setups';

async function chooseTinyStarGan(page: Page): Promise<void> {
  await applySettings(page, 'stargan', TINY_STARGAN);
  await expect(page.getByTestId('translation-grid')).toHaveAttribute('data-step', '0');
}

async function settledOutput(page: Page): Promise<string> {
  await expect(page.getByTestId('slider-output')).toHaveAttribute('data-busy', 'false');
  return canvasFingerprint(page, 'slider-output');
}

test('StarGAN trains on WebGPU, draws every loss, and its sliders change the output', async ({
  page,
}) => {
  const errors = watchErrors(page);
  await page.goto('/');
  await expect(page.getByTestId('backend-name')).toHaveAttribute('data-backend', 'webgpu');
  await chooseTinyStarGan(page);

  const lossChart = page.getByTestId('loss-chart');
  await page.getByTestId('play-pause').click();
  await expect.poll(() => stepCount(page), { timeout: 120_000 }).toBeGreaterThanOrEqual(12);
  await page.getByTestId('play-pause').click();
  await expect(page.getByTestId('play-pause')).toHaveText(/Play/);
  await expect.poll(() => chartPoints(page, 'loss-chart')).toBeGreaterThanOrEqual(1);
  // D adv, D cls, D gp, G adv, G cls, G rec all have points on the chart.
  await expect(lossChart).toHaveAttribute('data-series-drawn', '6');
  await waitForFrameOfCurrentStep(page, 'translation-grid');

  const original = await settledOutput(page);
  const male = page.getByTestId('slider-Male');
  const before = await male.inputValue();
  await male.fill(before === '1' ? '0' : '1');
  await expect.poll(() => settledOutput(page)).not.toBe(original);
  await male.fill(before);
  await expect.poll(() => settledOutput(page)).toBe(original);

  expect(errors).toEqual([]);
});

test('an upload that is not an image is reported and changes nothing', async ({ page }) => {
  await page.goto('/?backend=cpu');
  await chooseTinyStarGan(page);
  const faces = await page.getByTestId('face-candidate').count();
  await page.getByTestId('upload-face').setInputFiles({
    name: 'notes.png',
    mimeType: 'image/png',
    buffer: Buffer.from('this is not a PNG'),
  });
  await expect(page.getByTestId('notice')).toContainText('“notes.png” is not an image');
  await expect(page.getByTestId('face-candidate')).toHaveCount(faces);
});
