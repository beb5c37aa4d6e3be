import { expect, test } from '@playwright/test';
import { node, openExample } from './helpers/editor.ts';

test('Compare: XOR with 3 hidden-unit counts trains 3 variants side by side; clicking one opens it', async ({
  page,
}) => {
  await openExample(page, 'xor');
  await page.getByTestId('compare-open').click();
  const dialog = page.getByTestId('compare-dialog');
  await expect(dialog.getByTestId('compare-vary-1')).toHaveValue('h.units');
  await dialog.getByTestId('compare-values-1').fill('1, 2, 5');
  await dialog.getByTestId('compare-epochs').fill('600');
  await dialog.getByTestId('compare-run').click();
  await expect(dialog.getByTestId('compare-status')).toHaveAttribute('data-state', 'done', { timeout: 20_000 });

  const variants = dialog.getByTestId('compare-variant');
  await expect(variants).toHaveCount(3);
  expect(await variants.evaluateAll((els) => els.map((e) => e.getAttribute('data-settings')))).toEqual([
    'h.units=1',
    'h.units=2',
    'h.units=5',
  ]);
  for (const v of await variants.all()) {
    await expect(v).toHaveAttribute('data-status', 'done');
    await expect(v.getByTestId('decision-surface')).toBeVisible();
    await expect(v).toContainText(/test loss \d/);
  }
  // three curves, one legend entry each
  await expect(dialog.getByTestId('compare-chart')).toHaveAttribute('data-curves', '3');
  const legend = await dialog.locator('.u-legend .u-series').allTextContents();
  expect(legend.map((s) => s.trim())).toEqual(['h.units = 1', 'h.units = 2', 'h.units = 5']);

  const five = dialog.locator('[data-testid="compare-variant"][data-settings="h.units=5"]');
  const trainedLoss = Number(/test loss ([\d.e-]+)/.exec((await five.textContent()) ?? '')?.[1]);
  expect(trainedLoss).toBeLessThan(0.1);
  await five.click();
  await expect(dialog).toBeHidden();
  await node(page, 'h').click();
  await expect(page.getByTestId('param-units')).toHaveValue('5');
  // with its trained weights: the loss on screen is the variant's, not a fresh initialisation's
  await expect
    .poll(async () => Number(await page.getByTestId('metric-loss').textContent()))
    .toBeCloseTo(trainedLoss, 2);
  // undoable: the graph before the comparison comes back
  await page.keyboard.press('Control+z');
  await node(page, 'h').click();
  await expect(page.getByTestId('param-units')).toHaveValue('3');
});

test('Compare: Stop ends every run and keeps the dialog usable', async ({ page }) => {
  await openExample(page, 'xor');
  await page.getByTestId('compare-open').click();
  const dialog = page.getByTestId('compare-dialog');
  await dialog.getByTestId('compare-epochs').fill('10000000');
  await dialog.getByTestId('compare-run').click();
  await expect(dialog.getByTestId('compare-status')).toHaveAttribute('data-state', 'running');
  // one worker per core (2 here): at least two runs are drawing curves before Stop
  await expect
    .poll(async () => Number(await dialog.getByTestId('compare-chart').getAttribute('data-curves')), {
      timeout: 10_000,
    })
    .toBeGreaterThanOrEqual(2);
  await dialog.getByTestId('compare-cancel').click();
  await expect(dialog.getByTestId('compare-status')).toHaveAttribute('data-state', 'cancelled');
  await expect(dialog.locator('[data-testid="compare-variant"][data-status="cancelled"]')).toHaveCount(3);
  await expect(dialog.getByTestId('compare-run')).toBeEnabled();
});

test('Compare on the MNIST CNN offers its convolutions: c1.filters = 4, 8, 16 trains three variants for an epoch', async ({
  page,
}) => {
  await openExample(page, 'mnist-cnn');
  await page.getByTestId('compare-open').click();
  const dialog = page.getByTestId('compare-dialog');
  await expect(dialog.getByTestId('compare-vary-1')).toHaveValue('c1.filters');
  await expect(dialog.getByTestId('compare-values-1')).toHaveValue('4, 8, 16');
  const offered = await dialog
    .getByTestId('compare-vary-2')
    .locator('option')
    .evaluateAll((els) => els.map((e) => (e as HTMLOptionElement).value));
  expect(offered).toEqual(expect.arrayContaining(['c1.filters', 'c1.padding', 'c2.filters', 'c2.padding']));
  await dialog.getByTestId('compare-epochs').fill('1');
  await dialog.getByTestId('compare-run').click();
  await expect(dialog.getByTestId('compare-status')).toHaveAttribute('data-state', 'done', { timeout: 180_000 });
  const variants = dialog.getByTestId('compare-variant');
  expect(await variants.evaluateAll((els) => els.map((e) => e.getAttribute('data-settings')))).toEqual([
    'c1.filters=4',
    'c1.filters=8',
    'c1.filters=16',
  ]);
  for (const v of await variants.all()) {
    await expect(v).toHaveAttribute('data-status', 'done');
    const loss = Number(/test loss ([\d.e-]+)/.exec((await v.textContent()) ?? '')?.[1]);
    expect(loss).toBeLessThan(0.6);
  }
});
