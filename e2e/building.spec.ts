// Building one's own graph by hand: the tutorials can be built from the palette, nodes keep their
// size while wired and trained, and the canvas stays readable.
import { readFileSync } from 'node:fs';
import { expect, type Page, test } from '@playwright/test';
import { schemaDatasetKinds } from '../app/testing/schemaKinds.ts';
import { encodeArray } from '../engine/index.ts';
import { MIN_SCREEN_FONT_PX, READABLE_ZOOM } from '../app/nodes/nodeLook.ts';
import { EXAMPLES } from '../app/panels/exampleNames.ts';
import {
  connect,
  dropFromPalette,
  measureNodes,
  node,
  openApp,
  openEmpty,
  waitForStillViewport,
} from './helpers/editor.ts';

/** Each node's size on screen, by id (rounded to whole px). */
async function sizes(page: Page): Promise<Map<string, string>> {
  const m = await measureNodes(page);
  return new Map(m.boxes.map((b) => [b.id, `${Math.round(b.w)}×${Math.round(b.h)}`]));
}

test('the AND tutorial built from the palette: every dataset kind offered, nodes keep their size through wiring and training', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await openEmpty(page);
  // The AND example's own node types, dropped close together as a learner does: each lands in the free
  // space beside the last.
  const tutorial = JSON.parse(readFileSync('public/examples/and.json', 'utf8')) as { nodes: { type: string }[] };
  for (const { type } of tutorial.nodes) await dropFromPalette(page, type, 160, 160);
  await expect(page.locator('.react-flow__node')).toHaveCount(tutorial.nodes.length);
  const ids = ['in1', 'dense1', 'activation1', 'loss1'];
  const dropped = await sizes(page);
  expect((await measureNodes(page)).overlaps).toEqual([]);

  await node(page, 'in1').click();
  const offered = await page
    .getByTestId('param-dataset.kind')
    .locator('option')
    .evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
  for (const kind of schemaDatasetKinds()) expect(offered, 'the dataset menu').toContain(kind);
  await page.getByTestId('param-dataset.kind').selectOption('and');
  await node(page, 'dense1').click();
  await page.getByTestId('param-units').fill('1');
  await page.getByTestId('param-units').press('Enter');
  await node(page, 'activation1').click();
  await page.getByTestId('param-fn').selectOption('sigmoid');

  const wires: [[string, string], [string, string]][] = [
    [
      ['in1', 'x'],
      ['dense1', 'in'],
    ],
    [
      ['dense1', 'out'],
      ['activation1', 'in'],
    ],
    [
      ['activation1', 'out'],
      ['loss1', 'pred'],
    ],
    [
      ['in1', 'y'],
      ['loss1', 'target'],
    ],
  ];
  for (const [i, [from, to]] of wires.entries()) {
    await connect(page, from, to);
    await expect(page.locator('.react-flow__edge'), `wire ${from} → ${to}`).toHaveCount(i + 1);
    expect(await sizes(page), `sizes after wiring ${from} → ${to}`).toEqual(dropped);
  }
  await expect(page.getByTestId('problems-line')).toHaveClass(/ng-ok/);

  await page.getByTestId('train-start').click();
  await expect
    .poll(async () => Number(await page.getByTestId('metric-epoch').textContent()), { timeout: 30_000 })
    .toBeGreaterThan(20);
  await page.waitForTimeout(500);
  const m = await measureNodes(page);
  expect(await sizes(page), 'sizes while training').toEqual(dropped);
  expect(m.overlaps, 'overlapping nodes while training').toEqual([]);
  for (const id of ids) await expect(node(page, id)).toBeVisible();
});

/** Every node inside the canvas (its visible pane) and node text at least MIN_SCREEN_FONT_PX. */
async function expectAllReadableOnScreen(page: Page, what: string) {
  await waitForStillViewport(page);
  const pane = (await page.locator('.react-flow').boundingBox())!;
  const m = await measureNodes(page);
  expect(m.minFont, `${what}: smallest node text (zoom ${m.zoom.toFixed(2)})`).toBeGreaterThanOrEqual(
    MIN_SCREEN_FONT_PX - 0.01,
  );
  // NOTE: a graph larger than the pane at the readable zoom (the 14-node CNN at 1280×720) scrolls
  // rather than shrinking its text (README): then only the text and the overlaps are checked.
  const scrolls = m.zoom <= READABLE_ZOOM + 0.005;
  for (const b of scrolls ? [] : m.boxes) {
    expect(b.x, `${what}: ${b.id} left`).toBeGreaterThanOrEqual(pane.x - 1);
    expect(b.y, `${what}: ${b.id} top`).toBeGreaterThanOrEqual(pane.y - 1);
    expect(b.x + b.w, `${what}: ${b.id} right`).toBeLessThanOrEqual(pane.x + pane.width + 1);
    expect(b.y + b.h, `${what}: ${b.id} bottom`).toBeLessThanOrEqual(pane.y + pane.height + 1);
  }
  expect(m.overlaps, `${what}: overlapping nodes`).toEqual([]);
  // The canvas's own controls (zoom buttons, edge tools) float over it: a fitted graph keeps clear of them.
  const controls = await page.locator('.react-flow__controls, .ng-canvas-tools').evaluateAll((els) =>
    els.map((e) => {
      const r = e.getBoundingClientRect();
      return { name: e.className, x: r.x, y: r.y, w: r.width, h: r.height };
    }),
  );
  const under = (scrolls ? [] : m.boxes).flatMap((b) =>
    controls
      .filter((c) => b.x < c.x + c.w && c.x < b.x + b.w && b.y < c.y + c.h && c.y < b.y + b.h)
      .map((c) => `${b.id} under ${c.name}`),
  );
  expect(under, `${what}: nodes under the canvas's controls`).toEqual([]);
  return m;
}

test('1280×720: Auto-layout and fit view leave every example on screen at a readable zoom; New opens readable', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await openApp(page, { width: 1280, height: 720 });
  for (const example of EXAMPLES) {
    await page.getByTestId(`example-${example}`).click();
    await waitForStillViewport(page);
    await page.getByTestId('auto-layout').click();
    const m = await expectAllReadableOnScreen(page, `${example} after Auto-layout`);
    console.log(`${example}: Auto-layout at zoom ${m.zoom.toFixed(2)}, smallest text ${m.minFont.toFixed(1)} px`);
    await page.locator('.react-flow__controls-fitview').click();
    await expectAllReadableOnScreen(page, `${example} after fit view`);
  }
  // New, after zooming far out: the first nodes arrive readable.
  for (let i = 0; i < 6; i++) await page.locator('.react-flow__controls-zoomout').click();
  await page.getByRole('button', { name: 'New', exact: true }).click();
  await page.getByTestId('palette-dense').dblclick();
  await page.getByTestId('palette-input').dblclick();
  await expect(page.locator('.react-flow__node')).toHaveCount(2);
  await expectAllReadableOnScreen(page, 'after New');
});

/** Images into a Dense (the Flatten problem, with its fix) among many unconnected nodes: ≥ 8 problems. */
function manyProblemsDoc(): string {
  const x = encodeArray(new Uint8Array(4 * 2 * 2), [4, 2, 2, 1]);
  const y = encodeArray(new Uint8Array([0, 1, 0, 1]), [4]);
  const at = (i: number) => ({ x: (i % 3) * 240, y: Math.floor(i / 3) * 240 });
  const nodes = [
    ['in', 'input', { dataset: { kind: 'arrays', x, y } }],
    ['h', 'dense', { units: 4 }],
    ['a1', 'activation', { fn: 'relu' }],
    ['a2', 'activation', { fn: 'relu' }],
    ['d2', 'dense', { units: 2 }],
    ['c', 'concat', {}],
    ['s', 'add', {}],
  ].map(([id, type, data], i) => ({ id, type, position: at(i), data }));
  const edges = [{ id: 'e1', source: 'in', sourceHandle: 'x', target: 'h', targetHandle: 'in' }];
  return JSON.stringify({ format: 'nodegrad-graph', version: 1, name: 'Many problems', nodes, edges });
}

test('the Problems list is capped, the problem with a fix first; all of them a click away', async ({ page }) => {
  await openApp(page, { width: 1280, height: 720 });
  await page
    .getByTestId('import-json')
    .setInputFiles({ name: 'many.json', mimeType: 'application/json', buffer: Buffer.from(manyProblemsDoc()) });
  await expect(node(page, 'c')).toBeVisible();
  const line = await page.getByTestId('problems-line').textContent();
  const total = Number(line?.match(/\d+/)?.[0]);
  expect(total, line ?? '').toBeGreaterThanOrEqual(8);
  const list = page.getByTestId('problems');
  const first = page.getByTestId('problem').first();
  await expect(first.getByTestId('problem-fix')).toBeVisible();
  await expect(first).toHaveAttribute('data-node-id', 'h');
  const column = (await page.locator('.ng-center').boundingBox())!;
  const listBox = (await list.boundingBox())!;
  expect(listBox.height, `the list in a column of ${column.height} px`).toBeLessThanOrEqual(column.height * 0.25);
  // The fix button is on screen without scrolling the list.
  const fix = (await first.getByTestId('problem-fix').boundingBox())!;
  expect(fix.y + fix.height).toBeLessThanOrEqual(listBox.y + listBox.height + 1);
  await page.getByTestId('problems-more').click();
  await expect(page.getByTestId('problem')).toHaveCount(total);
});

test('menus close on Esc and on a click outside them', async ({ page }) => {
  await page.goto('/');
  await expect(node(page, 'in')).toBeVisible();
  const menus: [string, string][] = [
    ['export-image', 'export-png'],
    ['share-link', 'share-box'],
    ['code-open', 'code-panel'],
  ];
  for (const [button, menu] of menus) {
    await page.getByTestId(button).click();
    await expect(page.getByTestId(menu), `${menu} opens`).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(page.getByTestId(menu), `${menu} after Esc`).toHaveCount(0);
    await page.getByTestId(button).click();
    await expect(page.getByTestId(menu)).toBeVisible();
    const status = (await page.locator('.ng-status').boundingBox())!;
    await page.mouse.click(status.x + 4, status.y + status.height / 2);
    await expect(page.getByTestId(menu), `${menu} after a click outside`).toHaveCount(0);
  }
});

test('1280×720: the shared-link banner shows both of its buttons whole, readable and clear of the column toggles', async ({
  context,
  page,
}) => {
  await openApp(page, { width: 1280, height: 720 });
  await page.getByTestId('train-epoch').click();
  await page.getByTestId('share-link').click();
  const url = await page.getByTestId('share-url').inputValue();
  const shared = await context.newPage();
  await shared.setViewportSize({ width: 1280, height: 720 });
  await shared.goto(url);
  await expect(shared.getByTestId('shared-banner')).toBeVisible();
  const banner = (await shared.getByTestId('shared-banner').boundingBox())!;
  const toggles = await Promise.all(
    ['toggle-left', 'toggle-results'].map(async (id) => (await shared.getByTestId(id).boundingBox())!),
  );
  for (const id of ['shared-keep', 'shared-back']) {
    const button = shared.getByTestId(id);
    const box = (await button.boundingBox())!;
    expect(box.x, id).toBeGreaterThanOrEqual(banner.x);
    expect(box.x + box.width, id).toBeLessThanOrEqual(banner.x + banner.width);
    for (const t of toggles) {
      const apart =
        box.x + box.width <= t.x || t.x + t.width <= box.x || box.y + box.height <= t.y || t.y + t.height <= box.y;
      expect(apart, `${id} clear of the column toggle`).toBe(true);
    }
    const look = await button.evaluate((e) => {
      const cs = getComputedStyle(e);
      return {
        color: cs.color,
        background: cs.backgroundColor,
        font: Number.parseFloat(cs.fontSize),
        height: (e as HTMLElement).offsetHeight,
      };
    });
    expect(look.background, `${id} has a background`).not.toBe('rgba(0, 0, 0, 0)');
    expect(look.background, `${id}: text and background differ`).not.toBe(look.color);
    expect(look.font, `${id} font size`).toBeGreaterThanOrEqual(11);
    expect(look.height, `${id} is a button, not a line of text`).toBeGreaterThanOrEqual(22);
  }
});

test('the timeline slider keeps its width when grabbed, so the first drag scrubs', async ({ page }) => {
  await openApp(page, { width: 1280, height: 720 });
  for (let i = 1; i <= 6; i++) {
    await page.getByTestId('train-epoch').click();
    await expect(page.getByTestId('metric-epoch')).toHaveText(String(i));
  }
  const slider = page.getByTestId('timeline-scrubber');
  await expect(slider).toBeVisible();
  const before = (await slider.boundingBox())!;
  // Grab the thumb at the right end and drag it to a quarter of the way.
  const y = before.y + before.height / 2;
  await page.mouse.move(before.x + before.width - 4, y);
  await page.mouse.down();
  const widths: number[] = [];
  for (let k = 1; k <= 8; k++) {
    await page.mouse.move(before.x + before.width - 4 - (k / 8) * (before.width * 0.75), y);
    widths.push((await slider.boundingBox())!.width);
  }
  await page.mouse.up();
  for (const w of widths)
    expect(Math.abs(w - before.width), `slider width ${w} while dragging (was ${before.width})`).toBeLessThanOrEqual(1);
  const shown = Number((await page.getByTestId('timeline-epoch').textContent())?.match(/\d+/)?.[0]);
  expect(shown, 'the epoch the first drag reached').toBeLessThanOrEqual(3);
  await expect(page.getByTestId('timeline-branch')).toBeVisible();
});
