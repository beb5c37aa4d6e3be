// The per-unit weight view of a Dense layer: 28×28 tiles of what each hidden unit looks for (image
// inputs), a table of the weights for small layers, with a colour legend; readable at 1280×720.
import { expect, type Page, test } from '@playwright/test';
import { node, openExample } from './helpers/editor.ts';

/** The view's box inside the window and its smallest text size (CSS px). */
async function measureView(page: Page) {
  return page.getByTestId('units-view').evaluate((root) => {
    const r = root.getBoundingClientRect();
    const texts = [...root.querySelectorAll('*')].filter((e) =>
      [...e.childNodes].some((c) => c.nodeType === 3 && (c.textContent ?? '').trim()),
    );
    return {
      box: { x: r.x, y: r.y, right: r.right, bottom: r.bottom },
      minFont: Math.min(...texts.map((e) => Number.parseFloat(getComputedStyle(e).fontSize))),
      window: { width: innerWidth, height: innerHeight },
    };
  });
}

async function expectReadable(page: Page) {
  const m = await measureView(page);
  expect(m.box.x).toBeGreaterThanOrEqual(0);
  expect(m.box.y).toBeGreaterThanOrEqual(0);
  expect(m.box.right).toBeLessThanOrEqual(m.window.width);
  expect(m.box.bottom).toBeLessThanOrEqual(m.window.height);
  expect(m.minFont, 'smallest text in the weight view').toBeGreaterThanOrEqual(11);
}

test('1280×720 MNIST: the hidden layer opens as one 28×28 tile per unit with a colour legend', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await openExample(page, 'mnist');
  await page.getByTestId('train-step').click();
  await node(page, 'h').getByTestId('units-open').click();
  const view = page.getByTestId('units-view');
  await expect(view).toBeVisible();
  await expect(view.getByTestId('unit-tile')).toHaveCount(64);
  const tile = (await view.getByTestId('unit-tile').first().locator('canvas').boundingBox())!;
  expect(tile.width, 'a tile shows each of the 28 pixels at least 2 px wide').toBeGreaterThanOrEqual(56);
  expect(Math.abs(tile.width - tile.height)).toBeLessThanOrEqual(1);
  await expect(view.getByTestId('units-legend')).toBeVisible();
  await expectReadable(page);
  // Every tile can be scrolled to inside the view.
  await view.getByTestId('unit-tile').last().scrollIntoViewIfNeeded();
  await expect(view.getByTestId('unit-tile').last()).toBeInViewport();
  await page.keyboard.press('Escape');
  await expect(view).toHaveCount(0);
});

test('1280×720 XOR: a small layer opens as a table of its weights, inputs by units, coloured by value', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await openExample(page, 'xor');
  await page.getByTestId('train-step').click();
  await node(page, 'h').getByTestId('units-open').click();
  const table = page.getByTestId('units-table');
  await expect(table).toBeVisible();
  const cells = table.getByTestId('weight-cell');
  await expect(cells).toHaveCount(2 * 3);
  for (const text of await cells.allTextContents()) expect(Number.isFinite(Number(text)), text).toBe(true);
  const colours = await cells.evaluateAll((cs) => cs.map((c) => getComputedStyle(c).backgroundColor));
  expect(new Set(colours).size, 'cells coloured by their value').toBeGreaterThan(1);
  await expect(page.getByTestId('units-legend')).toBeVisible();
  await expectReadable(page);
  // The view follows training: another step changes the weights shown.
  const before = await cells.allTextContents();
  await page.getByTestId('train-step').click();
  await expect.poll(() => cells.allTextContents()).not.toEqual(before);
});
