import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { settledFingerprint, waitUntilReady, watchErrors } from './helpers';

const FIXTURES = join(import.meta.dirname, '..', 'src', 'families', 'starganv2', 'fixtures');

test('a clovaai/stargan-v2 nets_ema checkpoint loads by the file picker, draws, and goes back out as one', async ({
  page,
}) => {
  const errors = watchErrors(page);
  await page.goto(
    '/?model=starganv2&imageSize=16&convDim=4&maxConvDim=4&repeatNum=1&datasetSize=4',
  );
  await expect(page.getByTestId('backend-name')).toHaveAttribute('data-backend', 'webgpu');
  await waitUntilReady(page);
  // A small twin saved as clovaai's CheckpointIO saves nets_ema (zip format): img_size 16.
  await page.getByTestId('import-file').setInputFiles({
    name: '100000_nets_ema.ckpt',
    mimeType: 'application/octet-stream',
    buffer: readFileSync(join(FIXTURES, 'nets_ema.zip.ckpt')),
  });
  await expect(
    page.getByTestId('notice').filter({
      hasText:
        /Loaded “100000_nets_ema.ckpt”, a PyTorch checkpoint: clovaai\/stargan-v2's generator, mapping network and style encoder \(img_size 16, dim_in 2, max_conv_dim 4/,
    }),
  ).toBeVisible();
  await waitUntilReady(page);
  await settledFingerprint(page, 'latent-output');

  // Out again: torch.save's zip with {'generator': ..., 'mapping_network': ..., 'style_encoder': ...}.
  const download = page.waitForEvent('download');
  await page.getByTestId('export-torch-pt').click();
  const file = await download;
  const bytes = readFileSync((await file.path())!);
  const pickle = bytes.toString('latin1');
  for (const module of ['generator', 'mapping_network', 'style_encoder']) {
    expect(pickle).toContain(module);
  }
  expect(pickle).toContain('from_rgb.weight');
  expect(errors).toEqual([]);
});
