import { expect, test } from '@playwright/test';
import type { KernelCheck } from '../src/protocol/messages';
import { waitUntilReady } from './helpers';

test('our WebGPU kernels equal the stock kernels and the definition on a sweep of shapes', async ({
  page,
}) => {
  await page.goto('/?backend=webgpu&bench=1&model=gan2d');
  await waitUntilReady(page);
  await expect(page.getByTestId('backend-name')).toHaveAttribute('data-backend', 'webgpu');
  const checks = await page.evaluate(() =>
    (
      window as unknown as { ganBench: { checkKernels: () => Promise<KernelCheck[]> } }
    ).ganBench.checkKernels(),
  );
  expect(checks.length).toBeGreaterThanOrEqual(10);
  const kernels = new Set(checks.map((c) => c.kernel));
  for (const kernel of [
    'Conv2D',
    'Conv2DBackpropFilter',
    'BatchMatMul',
    'Mean',
    'Adam',
    'RMSprop',
  ]) {
    expect([...kernels]).toContain(kernel);
  }
  for (const check of checks) {
    const where = `${check.kernel} on ${check.shape}`;
    expect(check.vsDefinition, where).toBeLessThan(1e-5);
    expect(check.vsStock, where).toBeLessThan(1e-5);
  }
});
