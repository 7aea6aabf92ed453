import { readFileSync } from 'node:fs';
import { expect, type Page, test } from '@playwright/test';
import { canvasFingerprint, chartPoints, stepCount, waitUntilReady, watchErrors } from './helpers';

/** Trains the 2D GAN for at least `steps` steps, pauses, and waits for the frame of the pause. */
async function trainAndPause(page: Page, steps: number): Promise<number> {
  await waitUntilReady(page);
  await expect(page.getByTestId('backend-name')).toHaveAttribute('data-backend', 'webgpu');
  await page.getByTestId('play-pause').click();
  await expect.poll(() => stepCount(page)).toBeGreaterThanOrEqual(steps);
  await page.getByTestId('play-pause').click();
  await expect(page.getByTestId('status')).toHaveText('paused');
  const step = await stepCount(page);
  await expect(page.getByTestId('samples')).toHaveAttribute('data-frame-step', String(step));
  return step;
}

async function download(page: Page, testId: string): Promise<{ name: string; bytes: Buffer }> {
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId(testId).click(),
  ]);
  return { name: file.suggestedFilename(), bytes: readFileSync((await file.path())!) };
}

test('export the training state, reload, import it by the file picker: same step, same samples', async ({
  page,
}) => {
  const errors = watchErrors(page);
  await page.goto('/');
  const step = await trainAndPause(page, 15);
  const trained = await canvasFingerprint(page, 'samples');
  const file = await download(page, 'export-full');
  expect(file.name).toMatch(/-step\d+-training-state\.zip$/);

  await page.reload();
  await waitUntilReady(page);
  await expect(page.getByTestId('step-count')).toHaveText('0');
  expect(await canvasFingerprint(page, 'samples')).not.toBe(trained);

  // A broken file first: a clear message, and the fresh run is untouched.
  await page.getByTestId('import-file').setInputFiles({
    name: 'broken.zip',
    mimeType: 'application/zip',
    buffer: Buffer.from('this is not a zip'),
  });
  await expect(page.getByTestId('notice').last()).toContainText(
    'Could not load “broken.zip”: This is neither a GAN Playground file (.zip) nor a PyTorch checkpoint (.pt, .pth, .ckpt) or safetensors file. Nothing was changed.',
  );
  await expect(page.getByTestId('step-count')).toHaveText('0');

  await page.getByTestId('import-file').setInputFiles({
    name: file.name,
    mimeType: 'application/zip',
    buffer: file.bytes,
  });
  await expect(page.getByTestId('step-count')).toHaveText(String(step));
  await expect(page.getByTestId('samples')).toHaveAttribute('data-frame-step', String(step));
  await expect.poll(() => canvasFingerprint(page, 'samples')).toBe(trained);

  // It trains on from there.
  await page.getByTestId('step').click();
  await expect(page.getByTestId('step-count')).toHaveText(String(step + 1));
  expect(errors).toEqual([]);
});

test('a generator file dropped anywhere on the page loads', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/');
  const step = await trainAndPause(page, 10);
  const trained = await canvasFingerprint(page, 'samples');
  const file = await download(page, 'export-generator');
  expect(file.name).toMatch(/-generator\.zip$/);
  await page.getByTestId('reset').click();
  await expect(page.getByTestId('step-count')).toHaveText('0');

  const dataTransfer = await page.evaluateHandle(
    ({ name, bytes }) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([new Uint8Array(bytes)], name, { type: 'application/zip' }));
      return transfer;
    },
    { name: file.name, bytes: [...file.bytes] },
  );
  await page.dispatchEvent('main', 'dragenter', { dataTransfer });
  await expect(page.getByTestId('drop-overlay')).toBeVisible();
  await page.dispatchEvent('main', 'drop', { dataTransfer });
  await expect(page.getByTestId('drop-overlay')).toHaveCount(0);
  await expect(page.getByTestId('step-count')).toHaveText(String(step));
  await expect(page.getByTestId('notice').last()).toContainText(`Loaded “${file.name}”`);
  // A generator-only file says what it means for training on from here.
  await expect(page.getByTestId('notice').last()).toContainText(
    'D and the optimisers start fresh, so training from here begins a new run segment',
  );
  // G is the trained one; D starts fresh, so only the points (not the heat map) match.
  await expect(page.getByTestId('samples')).toHaveAttribute('data-frame-step', String(step));
  expect(await canvasFingerprint(page, 'samples')).not.toBe(trained);
  expect(errors).toEqual([]);
});

test('after a reload the app offers to resume the autosaved run', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/');
  const step = await trainAndPause(page, 10);
  const trained = await canvasFingerprint(page, 'samples');
  // Pausing autosaves: the run appears in the list at the paused step.
  await expect(page.getByTestId('saved-run-step').first()).toHaveText(String(step));

  await page.reload();
  await waitUntilReady(page);
  await expect(page.getByTestId('resume-offer')).toContainText(`at step ${step}`);
  await page.getByTestId('resume').click();
  await expect(page.getByTestId('resume-offer')).toHaveCount(0);
  await expect(page.getByTestId('step-count')).toHaveText(String(step));
  await expect.poll(() => canvasFingerprint(page, 'samples')).toBe(trained);
  // The curves came back with the run.
  expect(await chartPoints(page, 'loss-chart')).toBeGreaterThan(0);
  await expect(page.getByTestId('notice').last()).toContainText('full training state');

  // Renaming and deleting work on the list.
  const name = page.getByRole('textbox', { name: 'Run name' }).first();
  await name.fill('ring, 10 steps');
  await name.press('Enter');
  // The list shows a name once it is stored.
  await expect(page.getByTestId('saved-run').first()).toHaveAttribute(
    'data-saved-name',
    'ring, 10 steps',
  );
  await page.reload();
  await expect(page.getByTestId('resume-offer')).toContainText('ring, 10 steps');
  await page.getByRole('button', { name: 'Delete ring, 10 steps' }).click();
  await expect(page.getByTestId('saved-run')).toHaveCount(0);
  await expect(page.getByTestId('resume-offer')).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('a share link rebuilds the experiment, and ?weights= loads weights from a URL', async ({
  page,
}) => {
  const errors = watchErrors(page);
  await page.goto('/');
  await waitUntilReady(page);
  await page.getByTestId('dataset').selectOption('spiral');
  await page.getByTestId('loss').selectOption('leastSquares');
  await page.getByTestId('seed').fill('7');
  await page.getByTestId('apply').click();
  await waitUntilReady(page);
  const step = await trainAndPause(page, 5);
  const file = await download(page, 'export-generator');
  await page.getByTestId('copy-link').click();
  const link = await page.getByTestId('share-link').inputValue();
  expect(link).toContain('model=gan2d');
  expect(link).toContain('dataset=spiral');

  await page.goto(link);
  await waitUntilReady(page);
  await expect(page.getByTestId('dataset')).toHaveValue('spiral');
  await expect(page.getByTestId('loss')).toHaveValue('leastSquares');
  await expect(page.getByTestId('seed')).toHaveValue('7');
  await expect(page.getByTestId('apply')).toBeDisabled();
  await expect(page.getByTestId('resume-offer')).toHaveCount(0);

  await page.route('**/shared/model.zip', (route) =>
    route.fulfill({ body: file.bytes, contentType: 'application/zip' }),
  );
  await page.goto(
    `${link}&weights=${encodeURIComponent('http://localhost:4173/shared/model.zip')}`,
  );
  await expect(page.getByTestId('step-count')).toHaveText(String(step));
  await expect(page.getByTestId('dataset')).toHaveValue('spiral');

  await page.goto(`${link}&weights=${encodeURIComponent('http://example.com/model.zip')}`);
  await expect(page.getByTestId('notice').last()).toContainText(
    'Weights are only fetched over https (or http from localhost), not http:',
  );
  expect(errors).toEqual([]);
});
