// One screen, nothing clipped, readable nodes: every example at three window sizes.
import { expect, type Page, test } from '@playwright/test';
import { MIN_SCREEN_FONT_PX, NODE_MAX } from '../app/nodes/nodeLook.ts';
import { EXAMPLES } from '../app/panels/exampleNames.ts';
import {
  edgeLabelCollisions,
  measureNodes,
  node,
  openApp,
  pauseTraining,
  waitForStillViewport,
} from './helpers/editor.ts';

const SIZES = [
  [1280, 720],
  [1440, 900],
  [1920, 1080],
] as const;

async function inViewport(page: Page, testId: string, width: number, height: number, minSide = 0) {
  const box = await page.getByTestId(testId).boundingBox();
  expect(box, testId).not.toBeNull();
  expect(box!.x, testId).toBeGreaterThanOrEqual(0);
  expect(box!.y, testId).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width, testId).toBeLessThanOrEqual(width);
  // Not under the status bar either: the bottom of what the panels can show.
  const status = await page.locator('.ng-status').boundingBox();
  expect(box!.y + box!.height, testId).toBeLessThanOrEqual(Math.min(height, status!.y));
  expect(Math.min(box!.width, box!.height), testId).toBeGreaterThanOrEqual(minSide);
}

for (const [width, height] of SIZES) {
  test(`${width}×${height}: every example trains with canvas, output view and loss chart on one screen, nodes readable`, async ({
    page,
  }) => {
    test.setTimeout(120_000);
    await page.setViewportSize({ width, height });
    await page.goto('/');
    await expect(node(page, 'in')).toBeVisible();
    for (const example of EXAMPLES) {
      await page.getByTestId(`example-${example}`).click();
      await waitForStillViewport(page);
      await page.getByTestId('train-start').click();
      await expect(page.getByTestId('output-view')).toBeVisible({ timeout: 30_000 });
      await page.waitForTimeout(1500);
      await inViewport(page, 'output-view', width, height, example.startsWith('mnist') ? 0 : 300);
      await inViewport(page, 'chart-loss', width, height);
      const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(scroll, 'no horizontal scrolling').toBeLessThanOrEqual(width);
      const m = await measureNodes(page);
      expect(m.minFont, `${example}: smallest node text on screen`).toBeGreaterThanOrEqual(MIN_SCREEN_FONT_PX - 0.01);
      for (const [id, w, h] of m.largest) {
        expect(w, `${example}: width of ${id}`).toBeLessThanOrEqual(NODE_MAX.width);
        expect(h, `${example}: height of ${id}`).toBeLessThanOrEqual(NODE_MAX.height);
      }
      expect(m.overlaps, `${example}: overlapping nodes`).toEqual([]);
      console.log(
        `${width}x${height} ${example}: min font ${m.minFont.toFixed(1)} px, nodes ${JSON.stringify(m.largest)}`,
      );
      await pauseTraining(page);
    }
  });
}

test('adds and pastes never land on another node', async ({ page }) => {
  await page.goto('/');
  await expect(node(page, 'in')).toBeVisible();
  await page.getByTestId('example-xor').click();
  await waitForStillViewport(page);
  for (let i = 0; i < 4; i++) await page.getByTestId('palette-dense').dblclick();
  await page.locator('.react-flow__pane').click({ position: { x: 60, y: 50 } });
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.press('ControlOrMeta+c');
  await page.keyboard.press('ControlOrMeta+v');
  await expect(page.locator('.react-flow__node')).toHaveCount(20);
  await page.waitForTimeout(300);
  expect((await measureNodes(page)).overlaps).toEqual([]);
});

test('1280×720: the small examples laid out (XOR in two rows) keep every edge label off nodes and other labels, trained too', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await openApp(page, { width: 1280, height: 720 });
  // NOTE: MNIST's and the CNN's wider labels ([B, 784], [B, 28, 28, 1]) are wider than the gap between
  // two layers; these examples' labels fit it.
  for (const example of ['xor', 'and', 'function-fit']) {
    await page.getByTestId(`example-${example}`).click();
    await waitForStillViewport(page);
    await page.getByTestId('auto-layout').click();
    await waitForStillViewport(page);
    if (example === 'xor') {
      const tops = await page
        .locator('.react-flow__node')
        .evaluateAll((ns) => ns.map((n) => n.getBoundingClientRect().y));
      expect(new Set(tops.map(Math.round)).size, 'XOR in two rows').toBeGreaterThan(1);
    }
    await expect.poll(() => edgeLabelCollisions(page), `${example} laid out`).toEqual([]);
    await page.getByTestId('train-epoch').click();
    await expect(page.getByTestId('metric-epoch')).toHaveText('1', { timeout: 30_000 });
    await expect.poll(() => edgeLabelCollisions(page), `${example} trained`).toEqual([]);
  }
});
