import { expect, test } from '@playwright/test';
import { node, openExample, setGraphField } from './helpers/editor.ts';

test('a hung training worker is replaced; the graph and its weights survive', async ({ page }) => {
  await openExample(page, 'mnist');
  // NOTE: the 10-epoch example can finish in ≈ 1.5 s, before the hang below; a done run has no
  // worker to watch, so the test would wait for a recovery that never comes. Train long instead.
  await setGraphField(page, 'epochs', '1000');
  await page.getByTestId('train-start').click();
  await expect
    .poll(async () => Number(await page.getByTestId('metric-epoch').textContent()), { timeout: 60_000 })
    .toBeGreaterThanOrEqual(1);
  // NOTE: the worker snapshots the weights at least every 2 s (app/worker/session.ts, WEIGHTS_MS); train past
  // one snapshot so "continues from the last saved weights" has weights to continue from.
  await page.waitForTimeout(2500);
  await page.evaluate(() =>
    (globalThis as unknown as { nodegradTest: { hangWorker(): void } }).nodegradTest.hangWorker(),
  );
  await expect(page.getByTestId('train-error')).toContainText(
    'did not answer for 6 s (the limit while training); it was restarted',
    {
      timeout: 15_000,
    },
  );
  await expect(page.getByTestId('train-status')).toHaveText('Paused');
  await expect(node(page, 'h')).toBeVisible();
  // Training resumes in a new worker from the last saved weights: accuracy is far above chance at once.
  await page.getByTestId('train-step').click();
  await expect
    .poll(async () => Number(await page.getByTestId('metric-loss').textContent()), { timeout: 30_000 })
    .toBeLessThan(1);
});
