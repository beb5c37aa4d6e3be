import { expect, test } from '@playwright/test';
import { AUTOSAVE_KEYS, LOCAL_KEYS } from '../app/editor/storageKeys.ts';
import { node, openExample, setGraphField, testHook } from './helpers/editor.ts';

test('a hung training worker is replaced; the graph and its weights survive', async ({ page }) => {
  await openExample(page, 'mnist');
  // NOTE: the 10-epoch example can finish in ≈ 1.5 s, before the hang below; a done run has no
  // worker to watch, so the test would wait for a recovery that never comes. Train long instead.
  await setGraphField(page, 'epochs', '1000');
  await page.getByTestId('train-start').click();
  await expect
    .poll(async () => Number(await page.getByTestId('metric-epoch').textContent()), { timeout: 60_000 })
    .toBeGreaterThanOrEqual(1);
  // NOTE: the worker snapshots the weights at least every 2 s (app/worker/reports.ts, WEIGHTS_MS); train past
  // one snapshot so "continues from the last saved weights" has weights to continue from.
  await page.waitForTimeout(2500);
  await testHook(page, 'hangWorker');
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

test('a damaged record under any key the app stores opens the app, never a blank page or the crash screen', async ({
  page,
}) => {
  test.setTimeout(180_000);
  // Damaged the ways storage gets damaged: another type, a bare object, a list of nothing, a cut-off save.
  const damaged: unknown[] = ['a string', { some: 'object' }, [null], '{"doc": {"format": "nodegrad-gr'];
  await openExample(page, 'xor');
  await expect(page.getByTestId('autosave-state')).toContainText('Saved');
  // NOTE: stricter than "the crash screen with a way out": every one of these opens the editor itself.
  const opens = async (label: string) => {
    await expect(page.locator('.react-flow__node').first(), label).toBeVisible();
    await expect(page.locator('.ng-crash'), label).toHaveCount(0);
  };
  for (const key of AUTOSAVE_KEYS) {
    for (const value of damaged) {
      // idb-keyval's store: database 'keyval-store', object store 'keyval'.
      await page.evaluate(
        ([k, v]) =>
          new Promise<void>((resolve, reject) => {
            const open = indexedDB.open('keyval-store');
            open.onsuccess = () => {
              const tx = open.result.transaction('keyval', 'readwrite');
              tx.objectStore('keyval').put(v, k as string);
              tx.oncomplete = () => resolve();
              tx.onerror = () => reject(tx.error);
            };
            open.onerror = () => reject(open.error);
          }),
        [key, value] as const,
      );
      await page.reload();
      await opens(`${key} = ${JSON.stringify(value)}`);
    }
  }
  for (const key of LOCAL_KEYS) {
    for (const value of damaged) {
      const text = typeof value === 'string' ? value : JSON.stringify(value);
      await page.evaluate(([k, v]) => localStorage.setItem(k, v), [key, text] as const);
      await page.reload();
      await opens(`localStorage ${key} = ${text}`);
    }
  }
});
