import { expect, type Page, test } from '@playwright/test';
import { QUEUE_BUDGET_MS, UPDATE_INTERVAL_MS } from '../src/engine/cadence';
import { FAMILIES, type LooseFamily } from '../src/families';
import { DEFAULT_LIVE_SETTINGS } from '../src/protocol/messages';
import { shareUrl } from '../src/ui/shareLink';
import { canvasFingerprint, stepCount, waitUntilReady, watchErrors } from './helpers';

const families = FAMILIES as unknown as readonly LooseFamily[];

/** A family at its small size, by share link, on WebGPU. */
async function openSmall(page: Page, family: LooseFamily): Promise<void> {
  const config = { kind: family.kind, seed: 1, model: family.testSizes.small };
  const link = new URL(
    shareUrl('http://localhost/?backend=webgpu', config as never, DEFAULT_LIVE_SETTINGS, null),
  );
  await page.goto(`/${link.search}`);
  await waitUntilReady(page);
}

test('Pause answers within a step of a slow model, and says "Pausing…" at once', async ({
  page,
}) => {
  // WGAN-GP at 64 px: about a second per iteration on the software GPU (five critic steps
  // with double back-propagation). Before pacing, ten queued iterations made Pause wait ~12 s.
  await page.goto(
    '/?backend=webgpu&model=imagegan&variant=wgan-gp&imageSize=64&zDim=16&gBase=8&dBase=8&batchSize=16',
  );
  await waitUntilReady(page);
  await page.getByTestId('play-pause').click();
  await expect.poll(() => stepCount(page), { timeout: 90_000 }).toBeGreaterThanOrEqual(3);
  const speed = Number((await page.getByTestId('speed').textContent())?.match(/[\d.]+/)?.[0]);
  const atClick = await stepCount(page);
  // Every label the button shows from the click on: with our kernels a step can end before a
  // poll of the button would see "Pausing…", so the page records it as it renders.
  await page.getByTestId('play-pause').evaluate((button) => {
    const seen: string[] = [];
    (window as unknown as { pauseLabels: string[] }).pauseLabels = seen;
    new MutationObserver(() => seen.push(button.textContent ?? '')).observe(button, {
      childList: true,
      characterData: true,
      subtree: true,
    });
  });
  const clicked = Date.now();
  await page.getByTestId('play-pause').click();
  await expect(page.getByTestId('status')).toHaveText('paused', { timeout: 30_000 });
  const labels = await page.evaluate(
    () => (window as unknown as { pauseLabels: string[] }).pauseLabels,
  );
  expect(labels[0], `labels after the click: ${labels.join(' → ')}`).toBe('Pausing…');
  const waited = (Date.now() - clicked) / 1000;
  const stoppedAt = await stepCount(page);
  // The loop queues at most QUEUE_BUDGET_MS of steps (at least one) before it reads back, and
  // the counter shown lags by up to an update: beyond those, only the step under way.
  const queued = Math.max(1, Math.ceil((speed * (QUEUE_BUDGET_MS + UPDATE_INTERVAL_MS)) / 1000));
  expect(stoppedAt - atClick).toBeLessThanOrEqual(queued + 1);
  expect(waited).toBeLessThan(3 / speed + 2);
  test.info().annotations.push({
    type: 'measured',
    description: `pause took ${waited.toFixed(1)} s at ${speed} steps/s; ${stoppedAt - atClick} more steps`,
  });
});

for (const width of [390, 1280]) {
  test(`at ${width} px nothing overflows the page, and no grid overflows its panel`, async ({
    page,
  }) => {
    await page.setViewportSize({ width, height: 900 });
    for (const family of families) {
      await openSmall(page, family);
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - window.innerWidth,
      );
      expect(overflow, `${family.kind} page overflow`).toBeLessThanOrEqual(0);
      if (width < 1000) continue;
      const spills = await page.evaluate(() =>
        [...document.querySelectorAll('.translation-grid canvas, .playground canvas')]
          .map((canvas) => {
            const panel = canvas.closest('.translation-grid, .playground')!.getBoundingClientRect();
            return canvas.getBoundingClientRect().right - panel.right;
          })
          .filter((spill) => spill > 0),
      );
      expect(spills, `${family.kind} grids`).toEqual([]);
    }
  });
}

test('keyboard alone: pick a face, reach the upload, move a slider, play and pause', async ({
  page,
}) => {
  const errors = watchErrors(page);
  await openSmall(page, families.find((f) => f.kind === 'stargan')!);
  const third = page.getByTestId('face-candidate').nth(2);
  await third.focus();
  await page.keyboard.press('Enter');
  await expect(third).toHaveAttribute('aria-pressed', 'true');

  const upload = page.getByTestId('upload-face');
  await upload.focus();
  expect(await upload.evaluate((el) => el === document.activeElement)).toBe(true);

  const male = page.getByTestId('slider-Male');
  const before = await male.inputValue();
  await male.focus();
  await page.keyboard.press('ArrowRight');
  expect(await male.inputValue()).not.toBe(before);

  const play = page.getByTestId('play-pause');
  await play.focus();
  await page.keyboard.press('Space');
  await expect(page.getByTestId('status')).toHaveText('training');
  await play.focus();
  await page.keyboard.press('Space');
  await expect(page.getByTestId('status')).toHaveText('paused', { timeout: 30_000 });
  expect(errors).toEqual([]);
});

test.describe('a first visit', () => {
  // Nothing stored: Auto picks the backend, and the welcome has not been dismissed.
  test.use({ storageState: { cookies: [], origins: [] } });

  test('opens the trained StarGAN: its sliders change the faces within seconds', async ({
    page,
  }) => {
    const errors = watchErrors(page);
    const opened = Date.now();
    await page.goto('/');
    await expect(page.getByTestId('intro')).toContainText('two networks in a contest');
    await expect(page.getByTestId('intro-first-step')).toContainText('Move the sliders');
    await expect(page.getByTestId('model')).toHaveValue('stargan');
    await expect(
      page.getByTestId('notice').filter({ hasText: /Loaded the trained StarGAN/ }),
    ).toBeVisible();
    const settled = async () => {
      await expect(page.getByTestId('slider-output')).toHaveAttribute('data-busy', 'false');
      return canvasFingerprint(page, 'slider-output');
    };
    const original = await settled();
    const male = page.getByTestId('slider-Male');
    await male.fill((await male.inputValue()) === '1' ? '0' : '1');
    await expect.poll(settled).not.toBe(original);
    const seconds = (Date.now() - opened) / 1000;
    test.info().annotations.push({
      type: 'measured',
      description: `page opened to a slider's new faces in ${seconds.toFixed(1)} s on ${await page.getByTestId('backend-name').textContent()}`,
    });

    // Dismissed, the welcome stays away; the next visit is a returning one.
    await page.getByTestId('intro-dismiss').click();
    await page.reload();
    await waitUntilReady(page);
    await expect(page.getByTestId('intro')).toHaveCount(0);
    expect(errors).toEqual([]);
  });
});

test('the 2D GAN for a returning visitor: Play draws the charts, which describe themselves', async ({
  page,
}) => {
  await page.goto('/?backend=webgpu');
  await waitUntilReady(page);
  await expect(page.getByTestId('intro')).toHaveCount(0);
  await expect(page.getByTestId('play-pause')).toHaveClass(/attention/);
  await page.getByTestId('play-pause').click();
  await expect.poll(() => stepCount(page)).toBeGreaterThanOrEqual(20);
  await expect(page.getByTestId('loss-chart')).toHaveAttribute(
    'aria-label',
    /Losses at step \d+: D real/,
  );
  await expect(page.getByTestId('speed')).toContainText('steps/s');
});

test.describe('Auto on a software adapter', () => {
  // A first visit with nothing stored: Auto decides.
  test.use({ storageState: { cookies: [], origins: [] } });

  test('runs on the CPU until training, then times each backend and trains on the fastest', async ({
    page,
  }) => {
    await page.goto('/');
    await waitUntilReady(page);
    await expect(page.getByTestId('untimed-notice')).toBeVisible();
    await expect(page.getByTestId('backend-name')).toHaveAttribute('data-backend', 'cpu');
    const before = await stepCount(page);
    await page.getByTestId('play-pause').click();
    await expect(page.getByTestId('notice').filter({ hasText: /Timing WebGPU/ })).toBeVisible();
    const notice = page.getByTestId('timed-notice');
    await expect(notice).toContainText('software adapter', { timeout: 120_000 });
    const text = (await notice.textContent()) ?? '';
    const speeds = [...text.matchAll(/(WebGPU|WebGL|CPU) ([\d.]+) steps\/s/g)].map((m) => ({
      name: m[1]!,
      speed: Number(m[2]),
    }));
    expect(speeds.length).toBeGreaterThanOrEqual(2);
    const fastest = speeds.reduce((a, b) => (b.speed > a.speed ? b : a));
    const active = await page.getByTestId('backend-name').textContent();
    expect(active).toBe(fastest.name);
    await expect(page.getByTestId('untimed-notice')).toHaveCount(0);
    // The run moved with its steps: training goes on from where it was, on the winner.
    await expect.poll(() => stepCount(page)).toBeGreaterThan(before);
    await expect(page.getByTestId('status')).toHaveText('training');
    await page.getByTestId('play-pause').click();
    await expect(page.getByTestId('status')).toHaveText('paused', { timeout: 30_000 });
    test.info().annotations.push({ type: 'measured', description: text });
    // The user can still force one, and the choice is kept for the next visit.
    await page.getByTestId('backend-choice').selectOption('webgpu');
    await expect(page.getByTestId('backend-name')).toHaveAttribute('data-backend', 'webgpu');
    await page.goto('/');
    await expect(page.getByTestId('backend-name')).toHaveAttribute('data-backend', 'webgpu');
  });
});
