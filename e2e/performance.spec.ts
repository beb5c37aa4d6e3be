import { expect, test } from '@playwright/test';
import { node, openExample } from './helpers/editor.ts';
import { describeTasks, LONG_TASK_MS, longest, MAIN_THREAD, recordTasks } from './helpers/tasks.ts';

/** A valid chain of 300 nodes: input → (dense → activation) × 149 → loss. */
function bigGraph() {
  const nodes: object[] = [{ id: 'in', type: 'input', position: { x: 0, y: 0 }, data: { dataset: { kind: 'xor' } } }];
  const edges: object[] = [];
  let prev = 'in';
  let prevHandle = 'x';
  for (let i = 0; i < 149; i++) {
    const col = (i % 15) * 2;
    const row = Math.floor(i / 15);
    nodes.push({ id: `d${i}`, type: 'dense', position: { x: col * 200, y: row * 150 }, data: { units: 4 } });
    nodes.push({
      id: `a${i}`,
      type: 'activation',
      position: { x: col * 200 + 200, y: row * 150 },
      data: { fn: 'tanh' },
    });
    edges.push({ id: `e${2 * i}`, source: prev, sourceHandle: prevHandle, target: `d${i}`, targetHandle: 'in' });
    edges.push({ id: `e${2 * i + 1}`, source: `d${i}`, sourceHandle: 'out', target: `a${i}`, targetHandle: 'in' });
    prev = `a${i}`;
    prevHandle = 'out';
  }
  nodes.push({ id: 'L', type: 'loss', position: { x: 0, y: 1600 }, data: { fn: 'mse' } });
  edges.push({ id: 'last', source: prev, sourceHandle: 'out', target: 'L', targetHandle: 'pred' });
  edges.push({ id: 'target', source: 'in', sourceHandle: 'y', target: 'L', targetHandle: 'target' });
  return { format: 'nodegrad-graph', version: 1, name: '300 nodes', nodes, edges };
}

test('dragging a node stays smooth with 300 nodes on the canvas', async ({ page }) => {
  await page.goto('/');
  await expect(node(page, 'in')).toBeVisible();
  const doc = bigGraph();
  expect(doc.nodes).toHaveLength(300);
  await page
    .getByTestId('import-json')
    .setInputFiles({ name: 'big.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(doc)) });
  await expect(page.locator('[data-testid="problem"][data-node-id="L"]')).toContainText(
    'compares pred [4] with target [1]',
  );
  await page.getByRole('button', { name: 'Show the whole graph' }).click();
  await page.waitForTimeout(500);
  await expect(page.locator('.react-flow__node')).toHaveCount(300);
  // NOTE: the readable fit (never below 11 px text) leaves most of 300 nodes off screen: drag one in view.
  const box = (await node(page, 'd1').boundingBox())!;
  await page.evaluate(() => {
    const w = window as unknown as { frames: number[]; recording: boolean };
    w.frames = [];
    w.recording = true;
    let last = performance.now();
    const tick = (t: number) => {
      w.frames.push(t - last);
      last = t;
      if (w.recording) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  await page.mouse.move(box.x + box.width / 2, box.y + 5);
  await page.mouse.down();
  for (let i = 1; i <= 60; i++) await page.mouse.move(box.x + box.width / 2 + i * 4, box.y + 5 + i * 2);
  await page.mouse.up();
  const frames = await page.evaluate(() => {
    const w = window as unknown as { frames: number[]; recording: boolean };
    w.recording = false;
    return w.frames.slice(2);
  });
  frames.sort((a, b) => a - b);
  const pct = (p: number) => frames[Math.min(frames.length - 1, Math.floor(p * frames.length))]!;
  console.log(
    `300 nodes, dragging: ${frames.length} frames, median ${pct(0.5).toFixed(1)} ms, p95 ${pct(0.95).toFixed(1)} ms, max ${pct(1).toFixed(1)} ms`,
  );
  expect(pct(0.95)).toBeLessThan(100);
  // The drag was one undo step.
  await expect(page.getByTestId('undo')).toHaveAttribute('title', 'Undo Move (Ctrl+Z)');
});

for (const rows of [200_000, 1_000_000]) {
  test(`a CSV of ${rows.toLocaleString('en-US')} rows: Apply, then training with the Input selected, never freeze the page`, async ({
    page,
  }) => {
    test.setTimeout(300_000);
    await openExample(page, 'xor');
    // NOTE: the CSV is made in the page and handed to the file input there: Playwright's setInputFiles
    // decodes a 7 MB file from base64 on the page's main thread (a 0.7 s task that is not the app's).
    const size = await page.evaluate((n) => {
      const lines = ['a,b,y'];
      for (let i = 0; i < n; i++) lines.push(`${i % 97},${i % 13},${i % 2}`);
      const csv = `${lines.join('\n')}\n`;
      (window as unknown as { csv: string }).csv = csv;
      return csv.length;
    }, rows);
    // The dialog shows that it reads (the worker parses): seen at any moment before the preview.
    await page.evaluate(() => {
      const w = window as unknown as { sawReading: boolean };
      w.sawReading = false;
      new MutationObserver(() => {
        if (document.querySelector('[data-testid="import-reading"] progress')) w.sawReading = true;
      }).observe(document.body, { subtree: true, childList: true });
    });
    const reading = await recordTasks(page);
    const picked = Date.now();
    await page.evaluate(() => {
      const input = document.querySelector<HTMLInputElement>('[data-testid="import-data"]')!;
      const files = new DataTransfer();
      files.items.add(new File([(window as unknown as { csv: string }).csv], 'big.csv', { type: 'text/csv' }));
      input.files = files.files;
      input.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await expect(page.getByTestId('import-summary')).toContainText(`${rows} rows`, { timeout: 120_000 });
    const previewMs = Date.now() - picked;
    const previewTasks = (await reading.take()).get(MAIN_THREAD);
    expect(await page.evaluate(() => (window as unknown as { sawReading: boolean }).sawReading)).toBe(true);
    const started = Date.now();
    await page.getByTestId('import-apply').click();
    await expect(page.getByTestId('import-dialog')).toHaveCount(0, { timeout: 120_000 });
    const applied = Date.now() - started;
    const applyTasks = (await reading.take()).get(MAIN_THREAD);
    await node(page, 'in').click();
    // The CSV is shown by its summary, not put in a textarea.
    await expect(page.getByTestId('csv-not-editable')).toBeVisible();
    await expect(page.getByTestId('param-dataset.text')).toHaveCount(0);
    await reading.take();
    await page.getByTestId('train-start').click();
    // NOTE: XOR's batch of 4 makes an epoch of these rows tens of thousands of steps: watch the status.
    await expect(page.getByTestId('train-status')).toHaveText('Training', { timeout: 60_000 });
    await page.waitForTimeout(4000);
    await expect(page.getByTestId('train-status')).toHaveText('Training');
    const trainingTasks = (await reading.stop()).get(MAIN_THREAD);
    console.log(
      `CSV ${rows} rows (${(size / 1e6).toFixed(1)} MB): preview ${previewMs} ms, main-thread tasks ${describeTasks(previewTasks)}; Apply ${applied} ms, tasks ${describeTasks(applyTasks)}; training with the Input selected: tasks ${describeTasks(trainingTasks)}`,
    );
    // The app's own work on the main thread: parsing and checking happen in the dialog's worker.
    for (const [what, tasks] of [
      ['preview', previewTasks],
      ['Apply', applyTasks],
      ['training', trainingTasks],
    ] as const)
      expect(longest(tasks, 'cpu'), what).toBeLessThanOrEqual(LONG_TASK_MS);
    // NOTE: wall time on a 2-core machine shared with other suites; unloaded, Apply takes ~0.1 s.
    expect(applied).toBeLessThan(5000);
  });
}

test('a 5,000-node chain trains with the page answering (only the nodes in view are drawn)', async ({ page }) => {
  test.setTimeout(300_000);
  await page.goto('/');
  await expect(node(page, 'in')).toBeVisible();
  const nodes: object[] = [{ id: 'in', type: 'input', position: { x: 0, y: 0 }, data: { dataset: { kind: 'xor' } } }];
  const edges: object[] = [];
  let prev = 'in';
  for (let i = 0; i < 4998; i++) {
    const at = { x: (i % 50) * 260, y: Math.floor(i / 50) * 160 };
    nodes.push(
      i % 2 === 0 || i === 4997
        ? { id: `n${i}`, type: 'dense', position: at, data: { units: i === 4997 ? 1 : 4 } }
        : { id: `n${i}`, type: 'activation', position: at, data: { fn: 'tanh' } },
    );
    edges.push({ id: `e${i}`, source: prev, sourceHandle: i === 0 ? 'x' : 'out', target: `n${i}`, targetHandle: 'in' });
    prev = `n${i}`;
  }
  nodes.push({ id: 'L', type: 'loss', position: { x: 0, y: 17_000 }, data: { fn: 'mse' } });
  edges.push({ id: 'p', source: prev, sourceHandle: 'out', target: 'L', targetHandle: 'pred' });
  edges.push({ id: 't', source: 'in', sourceHandle: 'y', target: 'L', targetHandle: 'target' });
  const doc = { format: 'nodegrad-graph', version: 1, name: 'chain 5000', nodes, edges };
  await page
    .getByTestId('import-json')
    .setInputFiles({ name: 'chain.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(doc)) });
  await expect(page.locator('.ng-docname')).toHaveText('chain 5000', { timeout: 120_000 });
  await expect(page.getByTestId('problems-line')).toContainText('compiles', { timeout: 60_000 });
  expect(await page.locator('.react-flow__node').count()).toBeLessThan(500);
  await page.getByTestId('train-start').click();
  await expect.poll(() => page.getByTestId('metric-epoch').textContent(), { timeout: 120_000 }).not.toBe('0');
  const recording = await recordTasks(page);
  const answers: number[] = [];
  for (let i = 0; i < 10; i++) {
    const asked = Date.now();
    await page.evaluate(() => 1);
    answers.push(Date.now() - asked);
    await page.waitForTimeout(500);
  }
  const tasks = (await recording.stop()).get(MAIN_THREAD);
  console.log(
    `5,000-node chain while training: the page answered in ${answers.join(', ')} ms; main-thread tasks ${describeTasks(tasks)}`,
  );
  // The app's own work: no main-thread task over 50 ms of CPU (statistics of 5,000 nodes decoded and
  // drawn as edges before took 50–240 ms tasks).
  expect(longest(tasks, 'cpu')).toBeLessThanOrEqual(LONG_TASK_MS);
  // NOTE: it took 23 s to answer before; the bound leaves room for a 2-core machine shared with other suites.
  expect(Math.max(...answers)).toBeLessThan(2000);
});
