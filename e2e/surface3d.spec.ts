// The 3-D output surface: drawn with WebGL beside the 2-D view, rotatable, live, closable with Esc.
import { expect, type Locator, type Page, test } from '@playwright/test';
import { decode } from 'fast-png';
import { openExample, pauseTraining } from './helpers/editor.ts';

/** Pixels of a screenshot that are not the white background, and the orange and blue ones among them. */
async function pixels(target: Locator) {
  const png = decode(await target.screenshot());
  const step = png.channels;
  const data = png.data;
  let drawn = 0;
  let orange = 0;
  let blue = 0;
  for (let i = 0; i < data.length; i += step) {
    const [r, g, b] = [data[i]!, data[i + 1]!, data[i + 2]!];
    if (r < 245 || g < 245 || b < 245) drawn++;
    if (r > g + 30 && g > b + 30) orange++;
    if (b > r + 60) blue++;
  }
  return { drawn, orange, blue, total: data.length / step, data };
}

function differing(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let n = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i += 4)
    if (Math.abs(a[i]! - b[i]!) + Math.abs(a[i + 1]! - b[i + 1]!) + Math.abs(a[i + 2]! - b[i + 2]!) > 30) n++;
  return n;
}

/** Trains until the surface has bent (loss < 0.1) and stops; the run may end on its own first, which is fine. */
async function trainALittle(page: Page) {
  await page.getByTestId('train-start').click();
  await expect.poll(async () => Number(await page.getByTestId('metric-epoch').textContent())).toBeGreaterThan(0);
  await expect
    .poll(async () => Number(await page.getByTestId('metric-loss').textContent()), { timeout: 60_000 })
    .toBeLessThan(0.1);
  await pauseTraining(page);
}

const frames = async (canvas: Locator) => Number((await canvas.getAttribute('data-frames')) ?? 0);

test('XOR: the 3-D view draws the surface, follows training live, rotates on drag, closes with Esc', async ({
  page,
}) => {
  await openExample(page, 'xor');
  await page.getByTestId('train-step').click();
  const toggle = page.getByTestId('output-3d-toggle');
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  const panel = page.getByTestId('output-3d');
  await expect(panel).toBeVisible();
  await expect(panel).toContainText('drag to rotate, wheel to zoom');
  const canvas = page.getByTestId('output-3d-canvas');
  await expect.poll(() => frames(canvas), { timeout: 20_000 }).toBeGreaterThan(0);
  await page.waitForTimeout(200);
  const untrained = await pixels(canvas);
  const element = await canvas.elementHandle();
  const untrainedFrames = await frames(canvas);

  // Training redraws the same canvas (buffers updated in place) until the surface has bent.
  await trainALittle(page);
  expect(await element!.evaluate((e) => e.isConnected), 'the same canvas').toBe(true);
  expect(await frames(canvas)).toBeGreaterThan(untrainedFrames);
  await page.waitForTimeout(200);
  const trained = await pixels(canvas);
  expect(
    differing(untrained.data, trained.data) / trained.total,
    'share of pixels changed by training',
  ).toBeGreaterThan(0.02);
  // Non-blank: the surface in both of the 2-D view's colours.
  expect(trained.drawn / trained.total, 'share of drawn pixels').toBeGreaterThan(0.15);
  expect(trained.orange, 'orange pixels (output near 0)').toBeGreaterThan(200);
  expect(trained.blue, 'blue pixels (output near 1)').toBeGreaterThan(200);

  // The panel sits beside the results column, not over it, and inside the window.
  const [p, column] = [await panel.boundingBox(), await page.locator('.ng-right').boundingBox()];
  expect(p!.x).toBeGreaterThanOrEqual(0);
  expect(p!.x + p!.width).toBeLessThanOrEqual(column!.x);
  expect(p!.y + p!.height).toBeLessThanOrEqual((await page.locator('.ng-status').boundingBox())!.y);

  // Dragging rotates the view.
  const box = (await canvas.boundingBox())!;
  const drawnFrames = await frames(canvas);
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + 120, box.y + box.height / 2 + 20, { steps: 8 });
  await page.mouse.up();
  await expect.poll(() => frames(canvas)).toBeGreaterThan(drawnFrames);
  await page.waitForTimeout(200);
  const rotated = await pixels(canvas);
  expect(differing(trained.data, rotated.data) / rotated.total, 'share of pixels changed by the drag').toBeGreaterThan(
    0.03,
  );

  await page.keyboard.press('Escape');
  await expect(panel).toBeHidden();
  await expect(toggle).toHaveAttribute('aria-pressed', 'false');
  // Reopens, and the close button closes it too.
  await toggle.click();
  await expect(canvas).toBeVisible();
  await page.getByTestId('output-3d-close').click();
  await expect(panel).toBeHidden();
});

test('without WebGL the 3-D panel says so instead of staying blank', async ({ page }) => {
  await page.addInitScript(() => {
    // A browser without WebGL: no context of the webgl kinds, 2-D canvases as usual.
    const getContext = HTMLCanvasElement.prototype.getContext;
    Object.defineProperty(HTMLCanvasElement.prototype, 'getContext', {
      value(this: HTMLCanvasElement, kind: string, ...rest: unknown[]) {
        return kind.startsWith('webgl') ? null : Reflect.apply(getContext, this, [kind, ...rest]);
      },
    });
  });
  await openExample(page, 'xor');
  await page.getByTestId('train-step').click();
  await page.getByTestId('output-3d-toggle').click();
  await expect(page.getByTestId('output-3d-error')).toContainText('WebGL');
  await expect(page.getByTestId('output-3d-canvas')).toHaveCount(0);
});

test('the 3-D view is offered only for two inputs and one output', async ({ page }) => {
  await openExample(page, 'function-fit');
  await page.getByTestId('train-step').click();
  await expect(page.getByTestId('function-fit')).toBeVisible();
  await expect(page.getByTestId('output-3d-toggle')).toHaveCount(0);
});

for (const [width, height] of [
  [1280, 720],
  [1440, 900],
  [1920, 1080],
] as const)
  test(`${width}×${height}: the 3-D panel fits beside the results column, text ≥ 11 px`, async ({ page }) => {
    await page.setViewportSize({ width, height });
    await openExample(page, 'xor');
    await page.getByTestId('train-step').click();
    await page.getByTestId('output-3d-toggle').click();
    await expect(page.getByTestId('output-3d-canvas')).toBeVisible();
    const panel = (await page.getByTestId('output-3d').boundingBox())!;
    const column = (await page.locator('.ng-right').boundingBox())!;
    const status = (await page.locator('.ng-status').boundingBox())!;
    const canvas = (await page.getByTestId('output-3d-canvas').boundingBox())!;
    expect(panel.x).toBeGreaterThanOrEqual((await page.locator('.ng-center').boundingBox())!.x);
    expect(panel.x + panel.width).toBeLessThanOrEqual(column.x);
    expect(panel.y + panel.height).toBeLessThanOrEqual(status.y);
    expect(canvas.width).toBeGreaterThanOrEqual(320);
    // The output view and the loss chart stay where they were, unclipped.
    for (const id of ['output-view', 'chart-loss']) {
      const box = (await page.getByTestId(id).boundingBox())!;
      expect(box.x + box.width, id).toBeLessThanOrEqual(width);
      expect(box.y + box.height, id).toBeLessThanOrEqual(status.y);
    }
    const fonts = await page
      .getByTestId('output-3d')
      .locator('*')
      .evaluateAll((els) =>
        els
          .filter((e) => [...e.childNodes].some((c) => c.nodeType === 3 && (c.textContent ?? '').trim()))
          .map((e) => Number.parseFloat(getComputedStyle(e).fontSize)),
      );
    expect(Math.min(...fonts)).toBeGreaterThanOrEqual(11);
    console.log(`${width}x${height}: 3-D panel ${JSON.stringify(panel)}, canvas side ${canvas.width}`);
  });
