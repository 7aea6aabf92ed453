import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import { canvasFingerprint, waitUntilReady, watchErrors } from './helpers';

const FIXTURES = join(import.meta.dirname, '..', 'src', 'families', 'stargan', 'fixtures');

async function settledOutput(page: Page): Promise<string> {
  await expect(page.getByTestId('slider-output')).toHaveAttribute('data-busy', 'false');
  return canvasFingerprint(page, 'slider-output');
}

test("a torch.save checkpoint with yunjey/stargan's names loads by the file picker and its Male slider works", async ({
  page,
}) => {
  const errors = watchErrors(page);
  // StarGAN at 16 px runs: a .pt file cannot say its image size, so it loads at the current
  // one (with nothing of StarGAN running it would be yunjey's 128 px, slow on a software GPU).
  await page.goto('/?model=stargan&imageSize=16&dRepeat=3&datasetSize=16');
  await expect(page.getByTestId('backend-name')).toHaveAttribute('data-backend', 'webgpu');
  await waitUntilReady(page);
  // The legacy format, as the official 200000-G.ckpt (a small twin: conv_dim 4, 1 block).
  await page.getByTestId('import-file').setInputFiles({
    name: '200000-G.ckpt',
    mimeType: 'application/octet-stream',
    buffer: readFileSync(join(FIXTURES, 'stargan_g16.legacy.pt')),
  });
  await expect(
    page.getByTestId('notice').filter({
      hasText:
        /Loaded “200000-G.ckpt”, a PyTorch checkpoint: yunjey\/stargan's Generator \(conv_dim 4, c_dim 5, repeat_num 1; 21 running-statistics buffers ignored\) at 16 px/,
    }),
  ).toBeVisible();
  await waitUntilReady(page);
  await expect(page.getByTestId('image-size')).toHaveValue('16');

  const original = await settledOutput(page);
  const male = page.getByTestId('slider-Male');
  const before = await male.inputValue();
  await male.fill(before === '1' ? '0' : '1');
  await expect.poll(() => settledOutput(page)).not.toBe(original);

  // And back out for PyTorch, with the reference's key names.
  const download = page.waitForEvent('download');
  await page.getByTestId('export-torch-pt').click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/-G\.pt$/);
  expect(errors).toEqual([]);
});

test("junyanz's CycleGAN generators load by name into G_AB, then G_BA, making a pair", async ({
  page,
}) => {
  const errors = watchErrors(page);
  const fixtures = join(import.meta.dirname, '..', 'src', 'families', 'cyclegan', 'fixtures');
  // A CycleGAN of the fixture's widths runs, so each file keeps the other generator.
  await page.goto(
    '/?model=cyclegan&imageSize=16&ngf=2&nBlocks=2&ndf=4&dLayers=2&batchSize=2&datasetSize=16',
  );
  await waitUntilReady(page);
  for (const [name, into, kept] of [
    ['latest_net_G_A.pth', 'G_AB', 'G_BA'],
    ['latest_net_G_B.pth', 'G_BA', 'G_AB'],
  ] as const) {
    await page.getByTestId('import-file').setInputFiles({
      name,
      mimeType: 'application/octet-stream',
      buffer: readFileSync(join(fixtures, 'cyclegan_g2.legacy.pth')),
    });
    await expect(
      page.getByTestId('notice').filter({
        hasText: `Loaded “${name}”, a PyTorch checkpoint: junyanz's ResnetGenerator (ngf 2, n_blocks 2) as ${into} at 16 px, ${kept} kept from the current run`,
      }),
    ).toBeVisible();
    await waitUntilReady(page);
  }
  const download = page.waitForEvent('download');
  await page.getByTestId('export-torch-pt').click();
  expect((await download).suggestedFilename()).toMatch(/-G\.pt$/);
  expect(errors).toEqual([]);
});
