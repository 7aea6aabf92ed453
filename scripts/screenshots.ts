/**
 * Screenshots of the built app at a desktop and a phone width, for the README and for looking
 * at what we build: `npx vite build && npx vite-node scripts/screenshots.ts [outDir]`
 * (serves dist/ on a free port). Each page trains a few seconds first, so the views show data.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { preview } from 'vite';
import { chromiumLaunchOptions } from '../e2e/chromium';

const outDir = process.argv[2] ?? 'docs';
mkdirSync(outDir, { recursive: true });
const server = await preview({ preview: { port: 4179, strictPort: true } });
const base = 'http://localhost:4179';
const browser = await chromium.launch(chromiumLaunchOptions());
/** The 2D GAN trains for a few seconds; the image families show their trained models. */
const pages = [
  { name: 'gan2d', query: '?backend=cpu', seconds: 6, trained: false },
  { name: 'stargan', query: '?backend=cpu&model=stargan', seconds: 0, trained: true },
  { name: 'imagegan', query: '?backend=cpu&model=imagegan', seconds: 0, trained: true },
];
for (const width of [1280, 390]) {
  for (const { name, query, seconds, trained } of pages) {
    const page = await browser.newPage({ viewport: { width, height: width > 500 ? 900 : 844 } });
    await page.goto(`${base}/${query}`);
    await page.locator('section.controls[data-ready="true"]').waitFor();
    if (trained) {
      await page.getByTestId('try-trained').click();
      await page.getByTestId('notice').filter({ hasText: 'Loaded' }).waitFor({ timeout: 120_000 });
      await page.locator('section.controls[data-ready="true"]').waitFor();
      await page.waitForTimeout(4000);
    } else {
      await page.getByTestId('play-pause').click();
      await page.waitForTimeout(seconds * 1000);
      await page.getByTestId('play-pause').click();
      await page.waitForTimeout(500);
    }
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
    console.log(`${name} at ${width}px: horizontal overflow ${overflow}px`);
    await page.screenshot({ path: join(outDir, `${name}-${width}.png`), fullPage: true });
    await page.close();
  }
}
await browser.close();
server.httpServer.close();
