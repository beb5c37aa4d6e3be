// Share links open a graph without touching the autosaved one until it is kept; pictures of the graph download.
import { readFileSync } from 'node:fs';
import { expect, type Page, test } from '@playwright/test';
import { node, openExample, setGraphField } from './helpers/editor.ts';

const nodeCount = (page: Page) => page.locator('.react-flow__node').count();

/** The link the Share button makes for the graph on screen. */
async function makeLink(page: Page): Promise<string> {
  await page.getByTestId('share-link').click();
  const url = await page.getByTestId('share-url').inputValue();
  expect(url).toContain('#g=');
  return url;
}

test('a share link shows the trained graph, leaves the autosave alone until kept, and Keep keeps both', async ({
  context,
  page,
}) => {
  // The sender: function-fit, trained a little (the link carries the weights).
  await openExample(page, 'function-fit');
  for (let i = 0; i < 3; i++) await page.getByTestId('train-epoch').click();
  await expect(page.getByTestId('metric-epoch')).toHaveText('3');
  const url = await makeLink(page);
  await expect(page.getByTestId('share-box')).toContainText('with the trained weights');

  // The receiver's own graph: XOR renamed "Mine", autosaved.
  await openExample(page, 'xor');
  await setGraphField(page, 'name', 'Mine');
  await expect(page.getByTestId('autosave-state')).toContainText('Saved in this browser');

  const shared = await context.newPage();
  await shared.goto(url);
  await expect(shared.getByTestId('shared-banner')).toContainText('with trained weights');
  await expect(shared.locator('.ng-docname')).toHaveText(/Fit x²/);
  // The weights arrived: the output view draws the trained fit without training.
  await expect(shared.getByTestId('output-view')).toBeVisible();
  await shared.waitForTimeout(3500); // longer than the autosave's delays and the "last working" mark
  const mine = await context.newPage();
  await mine.goto('/');
  await expect(mine.locator('.ng-docname')).toHaveText('Mine');
  await expect(mine.getByTestId('shared-banner')).toHaveCount(0);
  await mine.close();

  await shared.getByTestId('shared-keep').click();
  await expect(shared.getByTestId('shared-banner')).toHaveCount(0);
  expect(new URL(shared.url()).hash).toBe('');
  await expect(shared.getByTestId('autosave-state')).toContainText('Saved in this browser');
  await shared.reload();
  await expect(shared.locator('.ng-docname')).toHaveText(/Fit x²/);
  await expect(node(shared, 'in')).toBeVisible();
  // The graph the kept link replaced is under Versions.
  await shared.getByTestId('versions').click();
  await expect(shared.getByTestId('version-replaced')).toContainText('Mine');
});

test('Back to my graph leaves the shared one; a damaged link names the problem and opens the autosave', async ({
  context,
  page,
}) => {
  await openExample(page, 'and');
  const url = await makeLink(page);
  await openExample(page, 'xor');
  await setGraphField(page, 'name', 'Mine');
  await expect(page.getByTestId('autosave-state')).toContainText('Saved in this browser');

  const shared = await context.newPage();
  await shared.goto(url);
  await expect(shared.locator('.ng-docname')).toHaveText(/AND/);
  await shared.getByTestId('shared-back').click();
  await expect(shared.locator('.ng-docname')).toHaveText('Mine');
  expect(new URL(shared.url()).hash).toBe('');

  const broken = await context.newPage();
  await broken.goto(url.slice(0, url.length - 30));
  await expect(broken.getByText('the link is cut off or was changed on the way')).toBeVisible();
  await expect(broken.locator('.ng-docname')).toHaveText('Mine');
  // One character changed (it could decompress to another graph): refused by the link's checksum.
  const at = url.length - 40;
  const changed = await context.newPage();
  await changed.goto(`${url.slice(0, at)}${url[at] === 'A' ? 'B' : 'A'}${url.slice(at + 1)}`);
  await expect(changed.getByText('the link is cut off or was changed on the way')).toBeVisible();
  await expect(changed.locator('.ng-docname')).toHaveText('Mine');
  // A link made before links carried a checksum opens, and says it cannot be checked.
  const old = await context.newPage();
  await old.goto(url.replace(/#g=[0-9a-f]{8}\./, '#g='));
  await expect(old.locator('.ng-docname')).toHaveText(/AND/);
  await expect(old.getByTestId('shared-banner')).toContainText('carries no checksum');
});

test('PNG and SVG pictures of the whole graph download', async ({ page }) => {
  await openExample(page, 'xor');
  for (const format of ['png', 'svg'] as const) {
    await page.getByTestId('export-image').click();
    const download = page.waitForEvent('download');
    await page.getByTestId(`export-${format}`).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe(`XOR 2-3-1.${format}`);
    const bytes = readFileSync((await file.path()) as string);
    if (format === 'png') {
      expect([...bytes.subarray(1, 4)].map((b) => String.fromCharCode(b)).join('')).toBe('PNG');
      // Every node is in the picture: at 2× it is wider than the six nodes side by side would be at 1×.
      const width = bytes.readUInt32BE(16);
      expect(width).toBeGreaterThan(600);
    } else {
      const text = bytes.toString('utf8');
      expect(text).toContain('<svg');
      for (const id of ['in', 'h', 'ha', 'o', 'oa', 'L']) expect(text).toContain(`data-id="${id}"`);
    }
  }
  expect(await nodeCount(page)).toBe(6);
});
