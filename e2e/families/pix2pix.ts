import type { Page } from '@playwright/test';
import { checkTranslation } from './translation';

/** Pix2Pix: held-out inputs, G's outputs and the truth; its four loss terms; the L1 error. */
export async function check(page: Page): Promise<void> {
  await checkTranslation(page, 'pix2pix', 4, ['Input', 'Output', 'True counterpart']);
}
