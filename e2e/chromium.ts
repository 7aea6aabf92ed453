import { existsSync } from 'node:fs';
import type { LaunchOptions } from '@playwright/test';

/**
 * How end-to-end tests and benchmarks start Chromium. Playwright's own browser downloads are not
 * used: CHROMIUM_PATH (default: Debian's /usr/bin/chromium) names the browser; where that file
 * does not exist, Playwright uses a browser from `npx playwright install chromium`.
 */
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS: readonly string[] = [
  // WebGPU needs this on Linux; without a GPU, Chromium's SwiftShader Vulkan provides the adapter.
  '--enable-unsafe-webgpu',
  '--enable-features=Vulkan',
  '--no-sandbox',
  // No network but localhost here: keep Chromium from trying to reach its services.
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function chromiumLaunchOptions(args: readonly string[] = CHROMIUM_ARGS): LaunchOptions {
  return {
    executablePath: existsSync(chromiumPath) ? chromiumPath : undefined,
    args: [...args],
  };
}
