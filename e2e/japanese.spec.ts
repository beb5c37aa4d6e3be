// Every screen in Japanese: the test walks the app as a Japanese learner and fails on any Latin word
// that is not a technical name (the allow-list: app/i18n/technicalTerms.ts).
import { expect, type Page, test } from '@playwright/test';
import { NODE_DEFINITIONS } from '../engine/index.ts';
import { isTechnicalWord } from '../app/i18n/technicalTerms.ts';
import { catFiles } from './helpers/data.ts';
import { node, waitForStillViewport } from './helpers/editor.ts';

test.use({ locale: 'ja-JP' });

/** Visible text, tooltips, labels, placeholders and menu entries of the page, or of the part `within`
 * (user data and code excluded). */
async function shownTexts(page: Page, within = 'body'): Promise<string[]> {
  return page.evaluate((root) => {
    const base = document.querySelector(root) ?? document.body;
    const out: string[] = [];
    const skip = 'script, style, code, pre, input, textarea, .ng-node-id, .ng-docname, .react-flow__attribution';
    const shown = (e: Element) => {
      const r = e.getBoundingClientRect();
      return r.width > 0 && r.height > 0 && getComputedStyle(e).visibility !== 'hidden';
    };
    const walker = document.createTreeWalker(base, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const el = walker.currentNode.parentElement;
      if (el && shown(el) && !el.closest(skip)) out.push(walker.currentNode.textContent ?? '');
    }
    for (const el of base.querySelectorAll('[title], [aria-label], [placeholder]')) {
      if (el.closest(skip) && !el.matches('input, textarea')) continue;
      for (const a of ['title', 'aria-label', 'placeholder']) out.push(el.getAttribute(a) ?? '');
    }
    for (const o of base.querySelectorAll('option')) out.push(o.textContent ?? '');
    return out;
  }, within);
}

/** Fails, naming them, on Latin words outside the allow-list (on the page, or in the part `within`). */
async function expectJapanese(page: Page, screen: string, within?: string): Promise<void> {
  const words = new Set<string>();
  // Node ids are the user's names (they show in titles and connection labels).
  const ids = new Set(
    await page.locator('.react-flow__node').evaluateAll((ns) => ns.map((n) => n.getAttribute('data-id') ?? '')),
  );
  for (const text of await shownTexts(page, within))
    for (const w of text.match(/[A-Za-z][A-Za-z0-9_.'’()²-]*/g) ?? []) {
      const word = w.replace(/['’.()-]+$/, '');
      if (!isTechnicalWord(word) && !ids.has(word)) words.add(word);
    }
  expect([...words].sort(), `English left on the screen "${screen}"`).toEqual([]);
}

test('every screen and dialog in Japanese shows only Japanese and technical names', async ({ context, page }) => {
  test.setTimeout(240_000);
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto('/');
  await expect(node(page, 'in')).toBeVisible();
  await expect(page.getByTestId('lang')).toHaveValue('ja');
  await expectJapanese(page, 'start');

  // Every example, trained a little: node overlays, output views, chart, timeline, health badges.
  for (const example of ['xor', 'and', 'function-fit', 'mnist', 'mnist-binary']) {
    await page.getByTestId(`example-${example}`).click();
    await waitForStillViewport(page);
    await page.getByTestId('train-epoch').click();
    await page.getByTestId('train-epoch').click();
    await expect(page.getByTestId('metric-epoch')).toHaveText('2', { timeout: 30_000 });
    await expectJapanese(page, `example ${example}, trained 2 epochs`);
  }
  await page.getByTestId('example-xor').click();
  await waitForStillViewport(page);
  for (let i = 0; i < 3; i++) await page.getByTestId('train-epoch').click();
  await node(page, 'h').getByTestId('units-open').click();
  await expectJapanese(page, 'weights per unit');
  await page.keyboard.press('Escape');

  // Menus of the toolbar.
  for (const [button, what] of [
    ['export-image', 'image menu'],
    ['share-link', 'share box'],
    ['code-open', 'code panel'],
    ['compare-open', 'compare dialog'],
  ] as const) {
    await page.getByTestId(button).click();
    await page.waitForTimeout(300);
    await expectJapanese(page, what);
    await page.keyboard.press('Escape');
    if (button === 'compare-open') await page.getByTestId(button).click();
  }

  // Learn: the step-through and the gradient check.
  await page.getByTestId('trace-start').click();
  await expect(page.getByTestId('trace-step')).toBeVisible();
  await expectJapanese(page, 'step-through, forward');
  for (let i = 0; i < 8; i++) await page.getByTestId('trace-next').click();
  await expectJapanese(page, 'step-through, backward');
  await page.getByTestId('trace-exit').click();
  await page.getByTestId('gradcheck-run').click();
  await expect(page.getByTestId('gradcheck-result').first()).toBeVisible({ timeout: 30_000 });
  await expectJapanese(page, 'gradient check');
  await page.keyboard.press('Escape');

  // The graph settings and the inspector of every node type, with the problems of loose nodes.
  await page.locator('.react-flow__pane').click({ position: { x: 20, y: 300 } });
  await expectJapanese(page, 'graph settings');
  await page.getByTestId('param-optimizer').selectOption('adam');
  await expectJapanese(page, 'graph settings, Adam');
  await page.getByRole('button', { name: '新規', exact: true }).click();
  for (const def of NODE_DEFINITIONS) {
    await page.getByTestId(`palette-${def.type}`).dblclick();
    await page.waitForTimeout(200);
    await expectJapanese(page, `inspector of ${def.type}`);
  }
  await page.getByTestId('problems-more').click();
  await expectJapanese(page, 'problems, all of them');

  // Importing a CSV.
  await page.getByTestId('example-xor').click();
  await waitForStillViewport(page);
  await node(page, 'in').click();
  await page.getByTestId('import-data').setInputFiles({
    name: 'and.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from('x1,x2,y\n0,0,0\n0,1,0\n1,0,0\n1,1,1\n'),
  });
  await expect(page.getByTestId('import-dialog')).toBeVisible();
  await expectJapanese(page, 'CSV import');
  await page.getByTestId('import-cancel').click();
  // Images into XOR: the offers of a Flatten and of a CNN for them.
  await page.getByTestId('import-data').setInputFiles(await catFiles());
  await page.getByTestId('import-apply').click();
  await expect(page.getByTestId('cnn-offer')).toBeVisible();
  // NOTE: the offers only: the canvas now shows the file's own names (classes 'cat', 'non-cat').
  await expectJapanese(page, 'offers after an image import', '[data-testid="import-offer"]');
  await page.getByTestId('import-cancel').click();

  // A shared link: the banner.
  await page.getByTestId('share-link').click();
  const url = await page.getByTestId('share-url').inputValue();
  const shared = await context.newPage();
  await shared.setViewportSize({ width: 1280, height: 720 });
  await shared.goto(url);
  await expect(shared.getByTestId('shared-banner')).toBeVisible();
  await expectJapanese(shared, 'shared-link banner');
});
