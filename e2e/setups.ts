import { expect, type Page } from '@playwright/test';
import { waitUntilReady } from './helpers';

/** Settings fields by test id, filled or selected in order, then applied. */
export type Fields = readonly (readonly [testId: string, value: string])[];

export async function applySettings(page: Page, model: string, fields: Fields): Promise<void> {
  await waitUntilReady(page);
  // Choosing a model (or a data set) applies at once: wait for it before editing the rest.
  if ((await page.getByTestId('model').inputValue()) !== model) {
    await page.getByTestId('model').selectOption(model);
    await waitUntilReady(page);
  }
  for (const [testId, value] of fields) {
    const field = page.getByTestId(testId);
    if ((await field.evaluate((el) => el.tagName)) === 'SELECT') {
      await field.selectOption(value);
      await waitUntilReady(page);
    } else {
      await field.fill(value);
    }
  }
  const apply = page.getByTestId('apply');
  if (await apply.isEnabled()) await apply.click();
  await waitUntilReady(page);
  await expect(page.getByTestId('step-count')).toHaveText('0');
}

/** StarGAN small enough for a software GPU: 16 px, 4 channels, batch 2. */
export const TINY_STARGAN: Fields = [
  ['image-size', '16'],
  ['g-conv-dim', '4'],
  ['g-repeat', '1'],
  ['d-conv-dim', '4'],
  ['d-repeat', '3'],
  ['batch-size', '2'],
  ['dataset-size', '64'],
];

/** An image GAN of the given variant at 16 px, widths 4, batch 4. */
export function tinyImageGan(variant: string): Fields {
  return [
    ['variant', variant],
    ['imagegan-size', '16'],
    ['z-dim', '8'],
    ['g-base', '4'],
    ['d-base', '4'],
    ['imagegan-batch', '4'],
    ['imagegan-dataset-size', '64'],
  ];
}

/** CycleGAN small enough for a software GPU: 16 px, 4 channels, 1 ResNet block, batch 2. */
export const TINY_CYCLEGAN: Fields = [
  ['image-size', '16'],
  ['g-conv-dim', '4'],
  ['batch-size', '2'],
];
