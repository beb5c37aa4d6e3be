// Two-thread training steps in the browser: the preview server sends COOP/COEP (vite.config.ts), so
// the training worker starts a helper worker on a shared WebAssembly memory. Asked for two threads,
// MNIST trains on two (the setting says so) to the same accuracy; under auto it stays on one (the
// MLP's steps are below the engine's threshold). e2e/isolation.spec.ts covers a host without the headers.
import { expect, test } from '@playwright/test';
import { node, setGraphField, waitForStillViewport } from './helpers/editor.ts';

const accuracy = async (page: import('@playwright/test').Page) =>
  Number.parseFloat((await page.getByTestId('metric-test-accuracy').textContent()) ?? '0');

test('MNIST on two threads where the page is cross-origin isolated; auto keeps the MLP on one', async ({ page }) => {
  await page.goto('/');
  expect(await page.evaluate(() => [crossOriginIsolated, typeof SharedArrayBuffer])).toEqual([true, 'function']);
  await expect(node(page, 'in')).toBeVisible();
  await page.getByTestId('example-mnist').click();
  await waitForStillViewport(page);
  await expect(page.getByTestId('train-threads')).toHaveValue('auto');
  // NOTE: a run that cannot end during the test: the example's 10 epochs at full speed could end
  // before the switch back to one thread, and the last step's 2 would then stay on screen.
  await setGraphField(page, 'epochs', '1000000');
  await page.getByTestId('train-speed').selectOption('full');
  await page.getByTestId('train-start').click();
  await expect(page.getByTestId('train-threads-now')).toHaveAttribute('data-threads', '1');
  // Mid-run: two threads from the next steps on.
  await page.getByTestId('train-threads').selectOption('2');
  await expect(page.getByTestId('train-threads-now')).toHaveAttribute('data-threads', '2', { timeout: 30_000 });
  await expect(page.getByTestId('train-threads-now')).toHaveText('Steps run on 2 threads');
  await expect.poll(() => accuracy(page), { timeout: 60_000 }).toBeGreaterThan(85);
  // And back to one.
  await page.getByTestId('train-threads').selectOption('1');
  await expect(page.getByTestId('train-threads-now')).toHaveAttribute('data-threads', '1', { timeout: 30_000 });
});
