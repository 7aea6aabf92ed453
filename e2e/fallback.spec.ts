import { expect, test } from '@playwright/test';
import { CHROMIUM_ARGS, chromiumLaunchOptions } from './chromium';
import { stepCount } from './helpers';

// A browser without --enable-unsafe-webgpu: on this Linux Chromium no WebGPU adapter is
// offered, which is what a user with an unsupported browser or GPU sees.
test.use({
  launchOptions: chromiumLaunchOptions(
    CHROMIUM_ARGS.filter((arg) => arg !== '--enable-unsafe-webgpu'),
  ),
});

test('without a WebGPU adapter the app falls back to WebGL, says why, and still trains', async ({
  page,
}) => {
  await page.goto('/?backend=webgpu');
  await expect(page.getByTestId('backend-name')).toHaveAttribute('data-backend', 'webgl');
  const notice = page.getByTestId('fallback-notice');
  await expect(notice).toContainText('WebGPU is unavailable');
  await expect(notice).toContainText('Training runs on WebGL instead');
  await page.getByTestId('step').click();
  await expect.poll(() => stepCount(page)).toBe(1);
});
