import { expect, type Page } from '@playwright/test';
import { checkTranslation } from './translation';

/**
 * CycleGAN: the two-way grid with the identity column, its eight loss terms, the pools (size 2
 * at the small size: full after the first step), and the identity loss turned off and on again.
 */
export async function check(page: Page): Promise<void> {
  await checkTranslation(page, 'cyclegan', 8, [
    'Translated',
    'Back (cycle)',
    'True counterpart',
    'Identity',
  ]);
  await expect(page.getByTestId('pool-fill')).toHaveText('2 / 2');
  await expect(page.getByTestId('pool-reuse')).toHaveText(/^\d+%$/);
  const toggle = page.getByTestId('toggle-identity');
  await toggle.click();
  await expect(toggle).toHaveText('Turn on and restart');
  await expect(page.getByTestId('lambda-idt')).toHaveValue('0');
  await toggle.click();
  await expect(toggle).toHaveText('Turn off and restart');
  await expect(page.getByTestId('lambda-idt')).toHaveValue('0.5');
}
