import { readFileSync } from 'node:fs';
import { expect, type Page, test } from '@playwright/test';
import { node, openExample, pauseTraining, setGraphField } from './helpers/editor.ts';
import { describeTasks, LONG_TASK_MS, longest, MAIN_THREAD, recordTasks, WORKER_THREAD } from './helpers/tasks.ts';

const number = async (page: Page, testId: string) => Number(await page.getByTestId(testId).textContent());

test('XOR trains to loss < 0.05 in the worker, with a decision surface and gradient-flow edges', async ({ page }) => {
  await openExample(page, 'xor');
  await page.getByTestId('train-start').click();
  await expect.poll(() => number(page, 'metric-loss'), { timeout: 60_000 }).toBeLessThan(0.05);
  await expect(page.getByTestId('train-status')).toHaveText(/Done|Training/);
  await expect(page.getByTestId('decision-surface')).toBeVisible();
  await expect(page.getByTestId('overlay-h')).toContainText('‖W‖');
  // Edges carry the gradient magnitude.
  const widths = await page
    .locator('.react-flow__edge-path')
    .evaluateAll((els) => els.map((e) => (e as SVGPathElement).style.strokeWidth));
  expect(widths.filter((w) => w !== '').length).toBeGreaterThanOrEqual(5);
});

test('node overlays change while training; pause really stops updates', async ({ page }) => {
  await openExample(page, 'function-fit');
  await setGraphField(page, 'epochs', '1000000');
  await page.getByTestId('train-start').click();
  await expect(page.getByTestId('overlay-h')).toBeVisible();
  const first = await page.getByTestId('overlay-h').textContent();
  await expect.poll(async () => page.getByTestId('overlay-h').textContent(), { timeout: 10_000 }).not.toBe(first);
  await expect(page.getByTestId('function-fit')).toBeVisible();
  // The user's click is what this test is about (1,000,000 epochs: the run cannot end before it).
  await page.getByTestId('train-pause').click();
  await expect(page.getByTestId('train-start')).toBeVisible();
  const epoch = await page.getByTestId('metric-epoch').textContent();
  const overlay = await page.getByTestId('overlay-h').textContent();
  await page.waitForTimeout(1000);
  expect(await page.getByTestId('metric-epoch').textContent()).toBe(epoch);
  expect(await page.getByTestId('overlay-h').textContent()).toBe(overlay);
});

test('step advances exactly one batch; epoch one epoch; reset restores the initial loss', async ({ page }) => {
  await openExample(page, 'function-fit');
  await page.getByTestId('train-reset').click();
  await expect(page.getByTestId('train-status')).toHaveText('Initialised');
  const initial = await page.getByTestId('metric-loss').textContent();
  expect(Number(initial)).toBeGreaterThan(0);
  await page.getByTestId('train-step').click();
  await expect(page.getByTestId('metric-batch')).toHaveText('1');
  await page.getByTestId('train-step').click();
  await expect(page.getByTestId('metric-batch')).toHaveText('2');
  await expect(page.getByTestId('metric-epoch')).toHaveText('0');
  await page.getByTestId('train-epoch').click();
  await expect(page.getByTestId('metric-epoch')).toHaveText('1');
  await expect(page.getByTestId('metric-batch')).toHaveText('0');
  await expect(page.getByTestId('metric-loss')).not.toHaveText(initial!);
  await page.getByTestId('train-reset').click();
  await expect(page.getByTestId('metric-epoch')).toHaveText('0');
  await expect(page.getByTestId('metric-loss')).toHaveText(initial!);
});

test('learning rate 1e6 stops training as "Diverged" and marks the node', async ({ page }) => {
  await openExample(page, 'function-fit');
  await page.locator('.react-flow__pane').click({ position: { x: 60, y: 50 } });
  await page.getByTestId('param-optimizer').selectOption('sgd');
  await setGraphField(page, 'learningRate', '1e6');
  await page.getByTestId('train-start').click();
  const banner = page.getByTestId('train-diverged');
  await expect(banner).toContainText('Training diverged.');
  const marked = page.locator('[data-testid="problem"]').filter({ hasText: 'Training stopped' });
  await expect(marked).toHaveCount(1);
  const nodeId = await marked.getAttribute('data-node-id');
  expect(['h', 'ha', 'o', 'L']).toContain(nodeId);
  await expect(node(page, nodeId!).getByTestId('node-problem-badge')).toBeVisible();
  await expect(page.getByTestId('train-status')).toHaveText('Diverged');
  // The offered fix: reset clears the mark.
  await banner.getByRole('button', { name: 'Reset' }).click();
  await expect(marked).toHaveCount(0);
});

test('a file whose weights hold NaN says so, names the parameter and offers Reset, not a lower learning rate', async ({
  page,
}) => {
  const doc = JSON.parse(readFileSync('public/examples/xor.json', 'utf8'));
  const tensor = (shape: number[], values: number[]) => ({
    dtype: 'float32',
    shape,
    base64: Buffer.from(Float32Array.from(values).buffer).toString('base64'),
  });
  doc.weights = {
    h: { W: tensor([2, 3], [1, 2, 3, 4, 5, 6]), b: tensor([3], [0, 0, 0]) },
    o: { W: tensor([3, 1], [1, Number.NaN, 1]), b: tensor([1], [0]) },
  };
  await page.goto('/');
  await expect(node(page, 'in')).toBeVisible();
  await page
    .getByTestId('import-json')
    .setInputFiles({ name: 'nan.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(doc)) });
  const banner = page.getByTestId('train-diverged');
  await expect(banner).toContainText("The loaded weights are not finite. This graph's saved weights hold NaN");
  await expect(banner).toContainText("'o.W'");
  await expect(banner).not.toContainText('Learning rate');
  await expect(banner.getByTestId('diverged-apply')).toHaveCount(0);
  await page.getByTestId('train-start').click();
  await expect(banner).toBeVisible();
  await expect(page.getByTestId('metric-epoch')).toHaveText('0');
  await banner.getByTestId('diverged-reset').click();
  await expect(banner).toHaveCount(0);
  await page.getByTestId('train-step').click();
  await expect.poll(async () => Number(await page.getByTestId('metric-loss').textContent())).toBeLessThan(1);
});

test('MNIST 784-64-10 reaches > 90% test accuracy within 2 s of Train at full speed, the UI responsive', async ({
  page,
}) => {
  await openExample(page, 'mnist');
  await expect(page.getByTestId('train-speed')).toHaveValue('full');
  await page.evaluate(() => {
    const w = window as unknown as { clicked: number; reached: number };
    // NOTE: timed in the page (press to first > 90% on screen), not with Playwright's polling delays.
    document.addEventListener('click', () => (w.clicked ||= performance.now()), { capture: true });
    new MutationObserver(() => {
      const shown = document.querySelector('[data-testid="metric-test-accuracy"]')?.textContent ?? '0';
      if (!w.reached && Number.parseFloat(shown) > 90) w.reached = performance.now();
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  const recording = await recordTasks(page);
  await page.getByTestId('train-start').click();
  await expect.poll(() => number(page, 'metric-epoch'), { timeout: 60_000 }).toBeGreaterThanOrEqual(1);
  // The canvas stays usable while training: select a node and pan.
  await node(page, 'o').click();
  await expect(page.getByTestId('param-units')).toHaveValue('10');
  const speed = page.getByTestId('metric-speed');
  const speedText = `${(await speed.textContent()) ?? ''} (${(await speed.getAttribute('title')) ?? 'kernels unknown'})`;
  await expect
    .poll(async () => Number.parseFloat((await page.getByTestId('metric-test-accuracy').textContent()) ?? '0'), {
      timeout: 90_000,
    })
    .toBeGreaterThan(90);
  const seconds = await page.evaluate(() => {
    const w = window as unknown as { clicked: number; reached: number };
    return (w.reached - w.clicked) / 1000;
  });
  const tasks = await recording.stop();
  await expect(page.getByTestId('digit-grid')).toBeVisible();
  await expect(page.getByTestId('overlay-h').locator('canvas.ng-heatmap')).toBeVisible();
  // The share of the time the training worker held a core while its tasks ran: 1 on an idle machine.
  // The press-to-90% time with the rest (other processes holding the cores) taken out is what this
  // app needs; waiting of its own (a throttle, a timer) is outside tasks and still counts in full.
  const share = Math.min(1, tasks.cpuShare.get(WORKER_THREAD) ?? 1);
  console.log(
    `MNIST in the browser: > 90% test accuracy after ${seconds.toFixed(1)} s (the worker had a core ${(share * 100).toFixed(0)}% of its task time: ${(seconds * share).toFixed(1)} s of its own); worker speed ${speedText}; main-thread tasks ${describeTasks(tasks.get(MAIN_THREAD))}`,
  );
  expect(seconds * share).toBeLessThan(2);
  expect(longest(tasks.get(MAIN_THREAD), 'cpu')).toBeLessThanOrEqual(LONG_TASK_MS);
  // NOTE: no Pause click here: the 10-epoch run may already be over (a click would race its end).
  // The confusion matrix comes with the final, full-test-set output when the run stops by itself.
  await expect(page.getByTestId('train-status')).toHaveText('Done', { timeout: 60_000 });
  await expect(page.getByTestId('confusion-matrix')).toBeVisible();
});

test('the MNIST CNN trains at full speed as the CLI does: SIMD kernels in the worker, ≥ 85% of its time in training steps, no main-thread task over 50 ms', async ({
  page,
}) => {
  test.setTimeout(180_000);
  await openExample(page, 'mnist-cnn');
  await expect(page.getByTestId('train-speed')).toHaveValue('full');
  // The worker's parameters live in a shared WebAssembly arena only when the page is cross-origin isolated.
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  await page.getByTestId('train-start').click();
  // Past the first epoch (warm-up, plans built), then one more whole one with the main thread traced.
  await expect.poll(() => number(page, 'metric-epoch'), { timeout: 150_000 }).toBeGreaterThanOrEqual(1);
  const recording = await recordTasks(page);
  await expect.poll(() => number(page, 'metric-epoch'), { timeout: 150_000 }).toBeGreaterThanOrEqual(2);
  const tasks = await recording.stop();
  const speed = page.getByTestId('metric-speed');
  const share = Number(await speed.getAttribute('data-step-share'));
  const samplesPerSecond = Number(((await speed.textContent()) ?? '').replace(/[^\d]/g, ''));
  const title = (await speed.getAttribute('title')) ?? '';
  await pauseTraining(page);
  console.log(
    `MNIST CNN in the browser: ${samplesPerSecond} samples/s, training steps ${(share * 100).toFixed(1)}% of the worker's time (${title.split('\n')[0]}); main-thread tasks ${describeTasks(tasks.get(MAIN_THREAD))}`,
  );
  // The kernels the CLI uses: WebAssembly SIMD (relaxed where Chromium has it), not the TypeScript fallback.
  expect(title).toMatch(/wasm-(relaxed-)?simd/);
  // Before: the probe's statistics (128 rows forward and back) every 100 ms and the 2,000-image confusion
  // matrix every second left the steps ≈ 10–25% of the worker's time (84–400 samples/s where the same
  // steps alone ran 1,000–3,000).
  expect(share).toBeGreaterThanOrEqual(0.85);
  expect(samplesPerSecond).toBeGreaterThan(0);
  // The page's own work per task (CPU time); wall times on this shared machine include waiting for a core.
  expect(tasks.cpuMs.get(MAIN_THREAD) ?? 0, 'the trace recorded the main thread').toBeGreaterThan(0);
  expect(longest(tasks.get(MAIN_THREAD), 'cpu')).toBeLessThanOrEqual(LONG_TASK_MS);
});
