import { expect, type Page } from '@playwright/test';
import { waitForFrameOfCurrentStep } from '../helpers';
import { checkTranslation, distinctColours } from './translation';

/**
 * UNIT: the two-way grid through the shared code, its twelve loss terms, and the latent view:
 * four channels of each face's code and the one code decoded by both generators, drawn for the
 * current step.
 */
export async function check(page: Page): Promise<void> {
  await checkTranslation(page, 'unit', 12, ['Translated', 'Back (cycle)', 'True counterpart']);
  await waitForFrameOfCurrentStep(page, 'latent-grid');
  expect(await distinctColours(page, 'latent-grid')).toBeGreaterThan(100);
  const titles = page.locator('.translation-grid .grid-titles').nth(1);
  for (const column of ['mu ch 0', 'mu ch 3', 'G1(mu): photo', 'G2(mu): drawing']) {
    await expect(titles).toContainText(column);
  }
}
