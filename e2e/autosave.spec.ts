// Nothing lost, nothing bricked: hostile ids, refused edits, failing storage, reloads mid-training, two tabs.
import { readFileSync } from 'node:fs';
import { expect, type Page, test } from '@playwright/test';
import type { NodegradTestHooks } from '../app/testing/hooks.ts';
import { renameNodes } from '../app/testing/hostileIds.ts';
import { node, openExample, setGraphField, waitForStillViewport } from './helpers/editor.ts';

const metric = async (page: Page, id: string) => Number(await page.getByTestId(id).textContent());

/** Makes IndexedDB refuse to store `key`, as a full quota or an over-large value does. */
async function failStorage(page: Page, key: string) {
  await page.addInitScript((failing) => {
    const put = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function (value: unknown, k?: IDBValidKey) {
      if (k === failing) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return put.call(this, value, k);
    };
  }, key);
}

test('a graph whose ids are Object.prototype members imports, trains, lays out and survives a reload', async ({
  page,
}) => {
  const doc = renameNodes(JSON.parse(readFileSync('public/examples/xor.json', 'utf8')));
  await page.goto('/');
  await expect(node(page, 'in')).toBeVisible();
  await page
    .getByTestId('import-json')
    .setInputFiles({ name: 'hostile.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(doc)) });
  await expect(node(page, '__proto__')).toBeVisible();
  for (let i = 0; i < 3; i++) await page.getByTestId('train-step').click();
  await expect(page.getByTestId('overlay-__proto__')).toBeVisible();
  await expect(page.getByTestId('overlay-constructor')).toBeVisible();
  await page.getByTestId('auto-layout').click();
  await expect(page.getByTestId('autosave-state')).toContainText('Saved in this browser');
  await page.waitForTimeout(2500); // past the next save
  await page.reload();
  await expect(node(page, '__proto__')).toBeVisible();
  await expect(page.locator('.ng-crash')).toHaveCount(0);
  await page.getByTestId('train-step').click();
  await expect(page.getByTestId('overlay-valueOf')).toBeVisible();
  await expect(page.locator('.ng-crash')).toHaveCount(0);
});

test('an edit the format refuses (9000 of 10000 MNIST digits) changes nothing, and a reload keeps the graph', async ({
  page,
}) => {
  await openExample(page, 'mnist');
  await node(page, 'in').click();
  const train = page.getByTestId('param-dataset.train');
  const before = await train.inputValue();
  await train.fill('9000');
  await train.press('Enter');
  // The field knows the format's rule (train + test ≤ 10000) and refuses the value with it.
  await expect(page.getByText('must be between 1 and 8000')).toBeVisible();
  await expect(page.getByTestId('problem')).toHaveCount(0);
  await page.waitForTimeout(800);
  await page.reload();
  await expect(node(page, 'in')).toBeVisible();
  await expect(page.getByTestId('tab-conflict')).toHaveCount(0);
  await expect(page.getByTestId('autosave-unreadable')).toHaveCount(0);
  await node(page, 'in').click();
  await expect(page.getByTestId('param-dataset.train')).toHaveValue(before);
});

test('when the weights cannot be stored the graph still saves, and the status says so with Export', async ({
  page,
}) => {
  await failStorage(page, 'nodegrad:autosave:v2:trained');
  await openExample(page, 'xor');
  await page.getByTestId('train-step').click();
  const state = page.getByTestId('autosave-state');
  await expect(state).toContainText("trained weights were not saved (this browser's storage for nodegrad is full");
  await expect(page.getByTestId('autosave-export')).toBeVisible();
  await node(page, 'h').click();
  await page.getByTestId('param-units').fill('5');
  await page.getByTestId('param-units').press('Enter');
  await page.waitForTimeout(800);
  await page.reload();
  await expect(node(page, 'h')).toContainText('5 units');
});

test('when nothing can be stored the status says "Not saved" with the reason, and Export keeps the graph', async ({
  page,
}) => {
  await failStorage(page, 'nodegrad:autosave:v2');
  await openExample(page, 'xor');
  const state = page.getByTestId('autosave-state');
  await expect(state).toContainText("Not saved: this browser's storage for nodegrad is full");
  const download = page.waitForEvent('download');
  await page.getByTestId('autosave-export').click();
  const file = await (await download).path();
  expect(JSON.parse(readFileSync(file, 'utf8')).nodes.map((n: { id: string }) => n.id)).toContain('h');
});

test('a reload during training continues the run where it was (weights, optimizer state, epoch count)', async ({
  page,
}) => {
  await openExample(page, 'function-fit');
  await setGraphField(page, 'epochs', '1000000');
  await page.getByTestId('train-speed').selectOption('full');
  await page.getByTestId('train-start').click();
  await expect.poll(() => metric(page, 'metric-epoch'), { timeout: 30_000 }).toBeGreaterThan(1000);
  const epoch = await metric(page, 'metric-epoch');
  const loss = await metric(page, 'metric-loss');
  // Still training: the worker snapshots the weights every 2 s and the autosave writes at least every 2 s;
  // the status bar says how far the saved run got.
  await expect
    .poll(async () => Number(await page.getByTestId('autosave-state').getAttribute('data-epoch')), { timeout: 30_000 })
    .toBeGreaterThanOrEqual(epoch);
  await expect(page.getByTestId('train-status')).toHaveText('Training');
  await page.reload();
  await expect(page.getByTestId('autosave-state')).toContainText('Restored');
  const restored = await trainedState(page);
  expect(restored?.epoch).toBeGreaterThanOrEqual(epoch);
  // Adam counts its steps (8 batches an epoch here): restored with its moments, not starting afresh.
  expect(restored?.optimizerStep).toBe((restored?.samples ?? 0) / 20);
  await page.getByTestId('train-step').click();
  await expect.poll(() => metric(page, 'metric-epoch')).toBeGreaterThanOrEqual(epoch);
  // The step continued the optimizer where it was (from fresh moments it would count 1 now) …
  await expect.poll(async () => (await trainedState(page))?.optimizerStep).toBe((restored?.optimizerStep ?? 0) + 1);
  // … from the restored weights: a fresh start is at loss ≈ 1. NOTE: not a tighter bound: at Adam's
  // rate 0.05 this example's loss over the whole split jumps to 0.05–0.07 after some steps (measured over
  // 16,800 steps from epoch 900 on, median ≈ 1e-4), and a bound of 0.02 failed a fresh-clone run.
  expect(await metric(page, 'metric-loss')).toBeLessThan(0.2);
  expect(loss).toBeLessThan(0.2);
});

/** The hook's `trainedState()`: how far the run held with the weights got, and the optimizer's step count. */
function trainedState(page: Page) {
  return page.evaluate(() =>
    (globalThis as unknown as { nodegradTest: NodegradTestHooks }).nodegradTest.trainedState(),
  );
}

test('opening a second tab writes nothing; conflicting edits in two tabs keep both graphs', async ({ context }) => {
  const first = await context.newPage();
  await openExample(first, 'xor');
  await expect(first.getByTestId('autosave-state')).toContainText('Saved');
  const second = await context.newPage();
  await second.goto('/');
  await expect(node(second, 'h')).toBeVisible();
  await waitForStillViewport(second);
  await first.waitForTimeout(1500);
  await expect(first.getByTestId('tab-conflict')).toHaveCount(0); // merely opening it changed nothing
  await node(second, 'h').click();
  await second.getByTestId('param-units').fill('6');
  await second.getByTestId('param-units').press('Enter');
  await expect(second.getByTestId('autosave-state')).toContainText('Saved');
  await expect(first.getByTestId('tab-conflict')).toBeVisible();
  // The first tab edits anyway: its graph goes to a copy, the second tab's stays the autosave.
  await node(first, 'h').click();
  await first.getByTestId('param-units').fill('9');
  await first.getByTestId('param-units').press('Enter');
  await expect(first.getByTestId('versions')).toContainText('1');
  await first.getByRole('button', { name: 'Keep mine' }).click();
  await expect(first.getByTestId('tab-conflict')).toHaveCount(0);
  // The second tab's graph is kept as a copy; opening it brings its 6 units back.
  await first.getByTestId('versions').click();
  await first.getByTestId('version-conflict').getByTestId('version-open').click();
  await expect(node(first, 'h')).toContainText('6 units');
  await first.getByTestId('undo').click();
  await expect(node(first, 'h')).toContainText('9 units');
});

test('a trained graph comes back trained after a reload: epochs, status, overlays, curve and output', async ({
  page,
}) => {
  await openExample(page, 'xor');
  await page.getByTestId('train-speed').selectOption('full');
  await page.getByTestId('train-start').click();
  await expect(page.getByTestId('train-status')).toHaveText('Done', { timeout: 60_000 });
  await expect.poll(async () => page.getByTestId('autosave-state').getAttribute('data-epoch')).toBe('2000');
  await page.reload();
  await expect(page.getByTestId('train-status')).toHaveText('Trained 2000 epochs');
  await expect(page.getByTestId('metric-epoch')).toHaveText('2000');
  await expect(page.getByTestId('overlay-h')).toBeVisible();
  await expect(page.getByTestId('output-view')).toBeVisible();
  await expect(page.getByTestId('epoch-summary')).toContainText('epoch 2000');
  expect(Number(await page.getByTestId('metric-loss').textContent())).toBeLessThan(0.05);
});
