import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from './e2e/chromium';

/** PW_PORT and PW_DIST (a build's folder) let two runs (two developers' specs) share a machine. */
const PORT = Number(process.env.PW_PORT ?? 4173);
const DIST = process.env.PW_DIST;

/** End-to-end tests drive the built app (`vite build` first) in a real Chromium with WebGPU. */
export default defineConfig({
  testDir: 'e2e',
  timeout: 180_000,
  expect: { timeout: 60_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: true,
  reporter: [['list']],
  use: {
    baseURL: `http://localhost:${PORT}`,
    trace: 'retain-on-failure',
    acceptDownloads: true,
    // Tests assert what runs on WebGPU: keep Auto's timing (which on this machine's software
    // adapter may pick the CPU) to the test that is about it. They are returning visitors (the
    // welcome dismissed, so the page opens the first family, untrained) except in the tests of
    // a first visit.
    storageState: {
      cookies: [],
      origins: [
        {
          origin: `http://localhost:${PORT}`,
          localStorage: [
            { name: 'gan-playground:backend', value: 'webgpu' },
            { name: 'gan-playground:intro-dismissed', value: '1' },
          ],
        },
      ],
    },
    launchOptions: chromiumLaunchOptions(),
  },
  webServer: {
    command: `npx vite preview --port ${PORT} --strictPort${DIST ? ` --outDir ${DIST}` : ''}`,
    url: `http://localhost:${PORT}`,
    reuseExistingServer: !process.env.CI,
    timeout: 60_000,
  },
});
