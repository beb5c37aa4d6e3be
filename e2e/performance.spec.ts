import { expect, test } from '@playwright/test';
import { node } from './helpers/editor.ts';

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
  await page.getByRole('button', { name: /Show the whole graph/ }).click();
  await page.waitForTimeout(500);
  await expect(page.locator('.react-flow__node')).toHaveCount(300);
  const box = (await node(page, 'd7').boundingBox())!;
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
