// A pace one can watch (`train-speed`), and divergence as a state of its own.
import { expect, type Page, test } from '@playwright/test';
import { openExample, setGraphField } from './helpers/editor.ts';
import { describeTasks, LONG_TASK_MS, longest, MAIN_THREAD, recordTasks } from './helpers/tasks.ts';

const number = async (page: Page, testId: string) => Number(await page.getByTestId(testId).textContent());

test('XOR at the watch pace: the loss falls and the surface morphs over 10–20 s, no main-thread task over 50 ms', async ({
  page,
}) => {
  test.setTimeout(90_000);
  await openExample(page, 'xor');
  await expect(page.getByTestId('train-speed')).toHaveValue('watch');
  const recording = await recordTasks(page);
  const started = Date.now();
  await page.getByTestId('train-start').click();
  const losses: number[] = [];
  const surfaces = new Set<string>();
  const status = page.getByTestId('train-status');
  while ((await status.textContent()) !== 'Done' && Date.now() - started < 40_000) {
    await page.waitForTimeout(1000);
    losses.push(await number(page, 'metric-loss'));
    surfaces.add(await page.getByTestId('decision-surface').evaluate((c) => (c as HTMLCanvasElement).toDataURL()));
  }
  const seconds = (Date.now() - started) / 1000;
  await expect(status).toHaveText('Done');
  const tasks = (await recording.stop()).get(MAIN_THREAD);
  console.log(
    `XOR at the watch pace: Done after ${seconds.toFixed(1)} s; loss each second ${losses.map((l) => l.toPrecision(2)).join(' ')}; ${surfaces.size} different surfaces; main-thread tasks ${describeTasks(tasks)}`,
  );
  expect(seconds).toBeGreaterThan(10);
  expect(seconds).toBeLessThan(20);
  // The watch pace's own work: no main-thread task over 50 ms of CPU (wall time includes what a loaded
  // machine takes away; this test's own toDataURL and GC pauses count).
  expect(longest(tasks, 'cpu')).toBeLessThanOrEqual(LONG_TASK_MS);
  // Watchable: a different surface at every sample (the last may come after Done), the loss far lower at
  // the end than after the first second. NOTE: a loaded machine slows this loop's sampling (7 samples
  // in 16 s at load 10), not the pace: the count of samples is the test's, their difference the app's.
  expect(losses.length).toBeGreaterThanOrEqual(5);
  expect(surfaces.size).toBeGreaterThanOrEqual(losses.length - 1);
  expect(losses.at(-1)!).toBeLessThan(losses[0]! / 4);
});

test('one step a second flashes each step; full speed chosen mid-run takes effect at once; MNIST opens at full speed', async ({
  page,
}) => {
  await openExample(page, 'xor');
  await page.getByTestId('train-speed').selectOption('step');
  await page.getByTestId('train-start').click();
  const current = page.getByTestId('train-current-step');
  await expect(current).toHaveText(/^step 1: loss \d/);
  await expect(current).toHaveText(/^step 2: loss \d/, { timeout: 2500 });
  await page.waitForTimeout(1000);
  expect(await number(page, 'metric-epoch')).toBeLessThanOrEqual(4);
  await expect(page.getByTestId('train-status')).toHaveText('Training');
  await page.getByTestId('train-speed').selectOption('full');
  await expect(current).toHaveCount(0);
  await expect(page.getByTestId('train-status')).toHaveText('Done', { timeout: 5000 });
  await page.getByTestId('example-mnist').click();
  await expect(page.getByTestId('train-speed')).toHaveValue('full');
});

test('MNIST at learning rate 500 is "Diverged", names a node; the suggested rates train on to Done without Reset', async ({
  page,
}) => {
  await openExample(page, 'mnist');
  await setGraphField(page, 'learningRate', '500');
  await page.getByTestId('train-start').click();
  const banner = page.getByTestId('train-diverged');
  await expect(banner).toContainText('Training diverged.');
  await expect(banner).toContainText(/The loss jumped to .* the parameters of node '(h|o)' ran away most/);
  await expect(banner).toContainText('Learning rate 500 is too high for this network: try 50.');
  await expect(page.getByTestId('train-status')).toHaveText('Diverged');
  const nodeId = await banner.getAttribute('data-node-id');
  await expect(page.locator(`[data-testid="problem"][data-node-id="${nodeId}"]`)).toContainText('exploded');
  // Each suggestion is a tenth of the last; MNIST needs three (50 and 5 explode too) and then trains.
  const apply = banner.getByTestId('diverged-apply');
  // NOTE: after Continue the banner goes and may come back (diverged again): read the settled state in one
  // go inside the page, a new suggestion or Done, never "is the banner there?" and then act on it.
  const settled = () =>
    page.evaluate(() => {
      if (document.querySelector('[data-testid="train-status"]')?.textContent === 'Done') return 'done';
      return document.querySelector('[data-testid="diverged-apply"]')?.textContent ?? 'training';
    });
  const offered: string[] = [];
  let state = (await apply.textContent()) ?? '';
  for (let i = 0; i < 4 && state !== 'done'; i++) {
    offered.push(state);
    await apply.click();
    const before = state;
    await expect
      .poll(
        async () => {
          state = await settled();
          return state !== 'training' && state !== before;
        },
        { timeout: 60_000 },
      )
      .toBe(true);
  }
  expect(offered).toEqual([
    'Continue at learning rate 50',
    'Continue at learning rate 5',
    'Continue at learning rate 0.5',
  ]);
  await expect(page.getByTestId('train-status')).toHaveText('Done', { timeout: 60_000 });
  await expect(page.getByTestId('metric-epoch')).toHaveText('10');
  const accuracy = Number.parseFloat((await page.getByTestId('metric-test-accuracy').textContent()) ?? '0');
  expect(accuracy).toBeGreaterThan(90);
});
