// Learn mode in the browser: the gradient check, the timeline's scrubber and branching.
import { expect, test } from '@playwright/test';
import { openExample, setGraphField } from './helpers/editor.ts';

test('Check gradients: every parameter of XOR agrees with numerical differentiation, badges on the nodes', async ({
  page,
}) => {
  await openExample(page, 'xor');
  await page.getByTestId('gradcheck-run').click();
  const rows = page.getByTestId('gradcheck-result');
  await expect(rows).toHaveCount(4);
  expect(await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-key')))).toEqual([
    'h.W',
    'h.b',
    'o.W',
    'o.b',
  ]);
  for (const e of await rows.evaluateAll((els) => els.map((el) => Number(el.getAttribute('data-rel-error')))))
    expect(e).toBeLessThan(1e-3);
  await expect(page.getByTestId('gradcheck-verdict')).toHaveAttribute('data-level', 'ok');
  await expect(page.getByTestId('overlay-h').getByTestId('gradcheck-badge')).toHaveAttribute('data-level', 'ok');
  await expect(page.getByTestId('overlay-o').getByTestId('gradcheck-badge')).toBeVisible();
  await expect(page.getByTestId('gradcheck-panel')).toContainText('(L(w+h) − L(w−h)) / 2h');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('gradcheck-panel')).toHaveCount(0);
});

test('the timeline: scrub back to an epoch, every view follows; continue from there branches the run', async ({
  page,
}) => {
  await openExample(page, 'function-fit');
  await page.getByTestId('train-speed').selectOption('full');
  await setGraphField(page, 'epochs', '60');
  await page.getByTestId('train-start').click();
  // The run stops by itself at 60 epochs: nothing here races its end.
  await expect(page.getByTestId('train-status')).toHaveText('Done', { timeout: 60_000 });
  await expect(page.getByTestId('timeline-epoch')).toHaveText('latest');
  const scrubber = page.getByTestId('timeline-scrubber');
  const stops = Number(await scrubber.getAttribute('max')) + 1;
  expect(stops).toBe(61);
  const live = await page.getByTestId('overlay-h').textContent();
  const liveCurve = await page.getByTestId('function-fit').screenshot();

  await scrubber.fill('0');
  await expect(page.getByTestId('timeline-epoch')).toHaveText('epoch 0');
  await expect(page.getByTestId('loss-chart')).toHaveAttribute('data-cursor', '0');
  await expect(page.getByTestId('overlay-h')).not.toHaveText(live ?? '');
  expect((await page.getByTestId('function-fit').screenshot()).equals(liveCurve)).toBe(false);

  await page.getByTestId('timeline-live').click();
  await expect(page.getByTestId('overlay-h')).toHaveText(live ?? '');

  await scrubber.fill('20');
  await expect(page.getByTestId('timeline-epoch')).toHaveText('epoch 20');
  await page.getByTestId('timeline-branch').click();
  await expect(page.getByTestId('metric-epoch')).toHaveText('20');
  await expect(page.getByTestId('epoch-summary')).toContainText('epoch 20:');
  await expect(scrubber).toHaveAttribute('max', '20');
  await page.getByTestId('train-start').click();
  await expect(page.getByTestId('train-status')).toHaveText('Done', { timeout: 60_000 });
  await expect(page.getByTestId('metric-epoch')).toHaveText('60');
});

test('step through backprop on XOR: forward node by node, backward in reverse, the numbers of the chain rule', async ({
  page,
}) => {
  await openExample(page, 'xor');
  await page.getByTestId('trace-start').click();
  const step = page.getByTestId('trace-step');
  const values = page.getByTestId('trace-values');
  const seen: string[] = [];
  await expect(step).toHaveAttribute('data-node-id', 'in');
  // Sample 0 of XOR's training data enters: two features, one target.
  await expect(values).toContainText('x');
  for (let i = 0; i < 12; i++) {
    const id = await step.getAttribute('data-node-id');
    const phase = await step.getAttribute('data-phase');
    seen.push(`${phase}:${id}`);
    await expect(page.locator(`.react-flow__node[data-id="${id}"]`)).toHaveClass(/ng-trace-node/);
    if (phase === 'backward' && id === 'o') {
      // dL/dW = xᵀ·δ and dL/db = δ for the output layer; δ × W = what passes down to ha.
      await expect(values).toContainText('dL/dW = xᵀ·δ');
      await expect(values).toContainText('dL/db = δ');
      const text = (await values.textContent()) ?? '';
      const delta = Number(/dL\/dout\s*\[([-\d.e]+)\]/.exec(text)?.[1]);
      const down = /→ ha\s*\[([^\]]+)\]/.exec(text)?.[1]?.split(',').map(Number) ?? [];
      expect(down).toHaveLength(3);
      expect(Number.isFinite(delta) && delta !== 0).toBe(true);
    }
    if (i < 11) await page.keyboard.press('ArrowRight');
  }
  expect(seen).toEqual([
    'forward:in',
    'forward:h',
    'forward:ha',
    'forward:o',
    'forward:oa',
    'forward:L',
    'backward:L',
    'backward:oa',
    'backward:o',
    'backward:ha',
    'backward:h',
    'backward:in',
  ]);
  await expect(page.getByTestId('trace-next')).toBeDisabled();
  await page.keyboard.press('ArrowLeft');
  await expect(step).toHaveAttribute('data-node-id', 'h');
  await page.getByTestId('trace-prev').click();
  await expect(step).toHaveAttribute('data-node-id', 'ha');
  // Another sample keeps the step: the gradient through ha for sample 3.
  const before = await values.textContent();
  await page.getByTestId('trace-sample').fill('3');
  await expect(values).not.toHaveText(before ?? '');
  await expect(step).toHaveAttribute('data-node-id', 'ha');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('trace-panel')).toHaveCount(0);
  await expect(page.locator('.ng-trace-node')).toHaveCount(0);
});

test('health badges: a learning rate far too small shows tiny steps and a stalled loss, each explained', async ({
  page,
}) => {
  await openExample(page, 'function-fit');
  await page.getByTestId('train-speed').selectOption('full');
  await setGraphField(page, 'learningRate', '0.00001');
  await setGraphField(page, 'epochs', '60');
  await page.getByTestId('train-start').click();
  await expect(page.getByTestId('train-status')).toHaveText('Done', { timeout: 60_000 });
  const badge = (id: string, code: string) =>
    page.getByTestId(`overlay-${id}`).locator(`[data-testid="health-badge"][data-code="${code}"]`);
  await expect(badge('h', 'update-small')).toBeVisible();
  await expect(badge('L', 'loss-stalled')).toBeVisible();
  await badge('h', 'update-small').click();
  await expect(page.getByTestId('health-detail')).toContainText('Try: a larger learning rate');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('health-detail')).toHaveCount(0);
  // A sensible learning rate: no such badges after the same 60 epochs.
  await setGraphField(page, 'learningRate', '0.05');
  await page.getByTestId('train-reset').click();
  await page.getByTestId('train-start').click();
  await expect(page.getByTestId('train-status')).toHaveText('Done', { timeout: 60_000 });
  await expect(page.locator('[data-testid="health-badge"][data-code="update-small"]')).toHaveCount(0);
  await expect(page.locator('[data-testid="health-badge"][data-code="loss-stalled"]')).toHaveCount(0);
});

test('health badges on a CNN: a learning rate far too small shows tiny steps on its convolution layers', async ({
  page,
}) => {
  await openExample(page, 'mnist-cnn');
  await page.getByTestId('train-speed').selectOption('full');
  // NOTE: the graph's settings are in the side panel while no node is selected (the CNN covers the
  // pane's corner that setGraphField clicks).
  for (const [key, value] of [
    ['learningRate', '0.0000001'],
    ['epochs', '1'],
  ]) {
    await page.getByTestId(`param-${key}`).fill(value);
    await page.getByTestId(`param-${key}`).press('Enter');
  }
  await page.getByTestId('train-start').click();
  await expect(page.getByTestId('train-status')).toHaveText('Done', { timeout: 120_000 });
  for (const id of ['c1', 'c2'])
    await expect(
      page.getByTestId(`overlay-${id}`).locator('[data-testid="health-badge"][data-code="update-small"]'),
    ).toBeVisible();
  await page.getByTestId('overlay-c1').locator('[data-testid="health-badge"][data-code="update-small"]').click();
  await expect(page.getByTestId('health-detail')).toContainText('Try: a larger learning rate');
});
