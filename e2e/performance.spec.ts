import { expect, type Page, test } from '@playwright/test';
import { node, openExample } from './helpers/editor.ts';

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

/** Records the main thread's long tasks (over 50 ms) from now on; `read` returns their durations in ms. */
async function longTasks(page: Page) {
  await page.evaluate(() => {
    const w = window as unknown as { longTasks: number[] };
    w.longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.longTasks.push(Math.round(e.duration));
    }).observe({ type: 'longtask', buffered: false });
  });
  return { read: () => page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks) };
}

const longest = (tasks: number[]) => tasks.reduce((a, b) => Math.max(a, b), 0);

for (const rows of [200_000, 1_000_000]) {
  test(`a CSV of ${rows.toLocaleString('en-US')} rows: Apply, then training with the Input selected, never freeze the page`, async ({
    page,
  }) => {
    test.setTimeout(300_000);
    await openExample(page, 'xor');
    const lines = ['a,b,y'];
    for (let i = 0; i < rows; i++) lines.push(`${i % 97},${i % 13},${i % 2}`);
    const csv = `${lines.join('\n')}\n`;
    const reading = await longTasks(page);
    const picked = Date.now();
    await page
      .getByTestId('import-data')
      .setInputFiles({ name: 'big.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await expect(page.getByTestId('import-summary')).toContainText(`${rows} rows`, { timeout: 120_000 });
    const preview = `preview ${Date.now() - picked} ms, longest task ${longest(await reading.read())} ms`;
    const apply = await longTasks(page);
    const started = Date.now();
    await page.getByTestId('import-apply').click();
    await expect(page.getByTestId('import-dialog')).toHaveCount(0, { timeout: 120_000 });
    const applied = Date.now() - started;
    const applyTasks = await apply.read();
    await node(page, 'in').click();
    // The CSV is shown by its summary, not put in a textarea.
    await expect(page.getByTestId('csv-not-editable')).toBeVisible();
    await expect(page.getByTestId('param-dataset.text')).toHaveCount(0);
    const training = await longTasks(page);
    await page.getByTestId('train-start').click();
    // NOTE: XOR's batch of 4 makes an epoch of these rows tens of thousands of steps: watch the status.
    await expect(page.getByTestId('train-status')).toHaveText('Training', { timeout: 60_000 });
    await page.waitForTimeout(4000);
    await expect(page.getByTestId('train-status')).toHaveText('Training');
    const trainingTasks = await training.read();
    console.log(
      `CSV ${rows} rows (${(csv.length / 1e6).toFixed(1)} MB): ${preview}; Apply ${applied} ms, longest task ${longest(applyTasks)} ms; training with the Input selected: longest task ${longest(trainingTasks)} ms (${trainingTasks.length} over 50 ms)`,
    );
    // NOTE: bounds for a 2-core machine shared with other suites; unloaded, both are under 50 ms at 200k rows.
    expect(longest(trainingTasks)).toBeLessThan(600);
    expect(applied).toBeLessThan(rows < 500_000 ? 5000 : 20_000);
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
  const tasks = await longTasks(page);
  await page.getByTestId('train-start').click();
  await expect.poll(() => page.getByTestId('metric-epoch').textContent(), { timeout: 120_000 }).not.toBe('0');
  const answers: number[] = [];
  for (let i = 0; i < 10; i++) {
    const asked = Date.now();
    await page.evaluate(() => 1);
    answers.push(Date.now() - asked);
    await page.waitForTimeout(300);
  }
  const t = await tasks.read();
  console.log(
    `5,000-node chain while training: the page answered in ${answers.join(', ')} ms; longest task ${longest(t)} ms (${t.length} over 50 ms)`,
  );
  // NOTE: it took 23 s to answer before; the bound leaves room for a 2-core machine shared with other suites.
  expect(Math.max(...answers)).toBeLessThan(2000);
});
