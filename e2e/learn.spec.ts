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
