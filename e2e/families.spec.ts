import { expect, test } from '@playwright/test';
import { FAMILIES, type LooseFamily } from '../src/families';
import { DEFAULT_LIVE_SETTINGS } from '../src/protocol/messages';
import { shareUrl } from '../src/ui/shareLink';
import { FAMILY_CHECKS } from './families/index';
import { chartPoints, stepCount, waitUntilReady, watchErrors } from './helpers';

const families = FAMILIES as unknown as readonly LooseFamily[];

// Every registered family, opened by a share link at its small size: it builds on WebGPU,
// trains, charts its losses, then passes its own checks (its views) on the same page. A new
// family is tested here unasked.
for (const family of families) {
  test(`${family.kind}: a share link opens it at its small size, and it trains on WebGPU`, async ({
    page,
  }) => {
    const errors = watchErrors(page);
    const config = { kind: family.kind, seed: 2, model: family.testSizes.small };
    const link = new URL(
      shareUrl('http://localhost/?backend=webgpu', config as never, DEFAULT_LIVE_SETTINGS, null),
    );
    await page.goto(`/${link.search}`);
    await waitUntilReady(page);
    await expect(page.getByTestId('backend-name')).toHaveAttribute('data-backend', 'webgpu');
    await expect(page.getByTestId('model')).toHaveValue(family.kind);
    await expect(page.getByTestId('apply')).toHaveText('Settings applied');
    await expect(page.getByText(family.description)).toBeVisible();

    await page.getByTestId('play-pause').click();
    await expect.poll(() => stepCount(page), { timeout: 90_000 }).toBeGreaterThanOrEqual(2);
    await expect
      .poll(() => chartPoints(page, 'loss-chart'), { timeout: 60_000 })
      .toBeGreaterThan(0);
    await page.getByTestId('play-pause').click();
    await expect(page.getByTestId('play-pause')).toHaveText(/Play/);
    // Still on WebGPU: a lost device would have moved the run to another backend.
    await expect(page.getByTestId('backend-name')).toHaveAttribute('data-backend', 'webgpu');
    await FAMILY_CHECKS[family.kind as keyof typeof FAMILY_CHECKS]?.(page);
    expect(errors).toEqual([]);
  });
}

test('a bad value in a share link is named and replaced by its default; the others are kept', async ({
  page,
}) => {
  await page.goto('/?model=stargan&imageSize=999&seed=-5&gConvDim=4&backend=quantum&colour=red');
  await waitUntilReady(page);
  await expect(page.getByTestId('model')).toHaveValue('stargan');
  await expect(page.getByTestId('g-conv-dim')).toHaveValue('4');
  await expect(page.getByTestId('image-size')).toHaveValue('32');
  await expect(page.getByTestId('seed')).toHaveValue('1');
  const notices = page.locator('.notices');
  await expect(notices).toContainText('imageSize=999');
  await expect(notices).toContainText('seed=-5');
  await expect(notices).toContainText('backend=quantum');
  await expect(notices).toContainText('colour');
});
