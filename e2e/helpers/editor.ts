import { expect, type Page } from '@playwright/test';
import type { NodegradTestHooks } from '../../app/testing/hooks.ts';

export const node = (page: Page, id: string) => page.locator(`.react-flow__node[data-id="${id}"]`);
export const handle = (page: Page, id: string, port: string) =>
  node(page, id).locator(`.react-flow__handle[data-handleid="${port}"]`);

/** Opens the app (its autosave or the first example) and waits for the graph; `viewport`: the window's size first. */
export async function openApp(page: Page, viewport?: { width: number; height: number }): Promise<void> {
  if (viewport) await page.setViewportSize(viewport);
  await page.goto('/');
  await expect(node(page, 'in')).toBeVisible();
}

/** Opens the app with an empty graph (fresh browser storage per test). */
export async function openEmpty(page: Page): Promise<void> {
  await openApp(page);
  await page.getByRole('button', { name: 'New', exact: true }).click();
  await expect(page.locator('.react-flow__node')).toHaveCount(0);
}

export async function openExample(page: Page, name: string): Promise<void> {
  await openApp(page);
  await page.getByTestId(`example-${name}`).click();
  await waitForStillViewport(page);
}

/** Waits until the fit-view animation after loading has finished (the viewport stops moving). */
export async function waitForStillViewport(page: Page): Promise<void> {
  const viewport = page.locator('.react-flow__viewport');
  let last = '';
  for (let i = 0; i < 40; i++) {
    await page.waitForTimeout(100);
    const now = (await viewport.getAttribute('style')) ?? '';
    if (i >= 6 && now === last) return;
    last = now;
  }
}

/** Drags a palette entry onto the canvas at (x, y) relative to the canvas' top-left corner. */
export async function dropFromPalette(page: Page, type: string, x: number, y: number): Promise<void> {
  await page.getByTestId(`palette-${type}`).dragTo(page.locator('.react-flow__pane'), { targetPosition: { x, y } });
}

/** Drags an edge from an output handle to an input handle with the mouse. */
export async function connect(page: Page, from: [string, string], to: [string, string]): Promise<void> {
  const a = await handle(page, ...from).boundingBox();
  const b = await handle(page, ...to).boundingBox();
  if (!a || !b) throw new Error(`handle not found: ${from} → ${to}`);
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 5 });
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 5 });
  await page.mouse.up();
}

/** The ids of the nodes on the canvas, in DOM order. */
export async function nodeIds(page: Page): Promise<string[]> {
  return page.locator('.react-flow__node').evaluateAll((els) => els.map((e) => e.getAttribute('data-id') ?? ''));
}

/** Sets a field of the graph's training settings (the inspector with nothing selected). */
export async function setGraphField(page: Page, key: string, value: string): Promise<void> {
  await page.locator('.react-flow__pane').click({ position: { x: 60, y: 50 } });
  const field = page.getByTestId(`param-${key}`);
  await field.fill(value);
  await field.press('Enter');
}

/** Calls one of the app's test hooks (app/testing/hooks.ts) in the page. */
export async function testHook(page: Page, hook: keyof NodegradTestHooks): Promise<void> {
  await page.evaluate(
    (name) => (globalThis as unknown as { nodegradTest: NodegradTestHooks }).nodegradTest[name](),
    hook,
  );
}

/**
 * Pauses training if it runs, atomically inside the app: never "if Pause is visible, click it" (the run
 * can end in between and the click waits for a button that is gone). Training is not running afterwards.
 */
export async function pauseTraining(page: Page): Promise<void> {
  await testHook(page, 'pauseTraining');
  await expect(page.getByTestId('train-start')).toBeVisible();
}

/** On-screen font sizes of node text, node boxes (screen px, with the zoom) and overlapping node pairs. */
export async function measureNodes(page: Page) {
  return page.evaluate(() => {
    const zoom = Number(
      /scale\(([\d.]+)\)/.exec(document.querySelector('.react-flow__viewport')?.getAttribute('style') ?? '')?.[1] ?? 1,
    );
    const texts = [...document.querySelectorAll('.react-flow__node *')].filter((e) =>
      [...e.childNodes].some((c) => c.nodeType === 3 && (c.textContent ?? '').trim()),
    );
    const fonts = texts.map((e) => Number.parseFloat(getComputedStyle(e).fontSize) * zoom);
    const boxes = [...document.querySelectorAll<HTMLElement>('.react-flow__node')].map((n) => {
      const r = n.getBoundingClientRect();
      return { id: n.dataset.id ?? '', x: r.x, y: r.y, w: r.width, h: r.height, zoom };
    });
    const overlaps: string[] = [];
    for (const a of boxes)
      for (const b of boxes)
        if (a.id < b.id && a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h)
          overlaps.push(`${a.id}/${b.id}`);
    return {
      zoom,
      minFont: Math.min(...fonts),
      boxes,
      largest: boxes.map((b) => [b.id, Math.round(b.w / zoom), Math.round(b.h / zoom)] as const),
      overlaps,
    };
  });
}

/** Edge labels (shape text) that lie on another label or on a node, as "edge~edge" / "edge~node:id". */
export async function edgeLabelCollisions(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    type Box = { id: string; x: number; y: number; w: number; h: number };
    const box = (e: Element, id: string): Box => {
      const r = e.getBoundingClientRect();
      return { id, x: r.x, y: r.y, w: r.width, h: r.height };
    };
    const labels = [...document.querySelectorAll('.react-flow__edge-textwrapper')].map((e) =>
      box(e, e.closest('.react-flow__edge')?.getAttribute('data-id') ?? '?'),
    );
    const nodes = [...document.querySelectorAll('.react-flow__node')].map((n) =>
      box(n, `node:${n.getAttribute('data-id')}`),
    );
    const hit = (a: Box, b: Box) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
    const found: string[] = [];
    for (const [i, a] of labels.entries()) {
      for (const b of labels.slice(i + 1)) if (hit(a, b)) found.push(`${a.id}~${b.id}`);
      for (const n of nodes) if (hit(a, n)) found.push(`${a.id}~${n.id}`);
    }
    return found;
  });
}
