// Every screen in Japanese: the test walks the app as a Japanese learner and fails on any Latin word
// that is not a technical name (the allow-list: app/i18n/technicalTerms.ts).
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { expect, type Page, test } from '@playwright/test';
import { NODE_DEFINITIONS } from '../engine/index.ts';
import { challenges, lessons } from '../engine/lessons/index.ts';
import { isTechnicalWord } from '../app/i18n/technicalTerms.ts';
import { halfWidthMarks, hasJapanese } from '../engine/testing/japanese.ts';
import { catFiles } from './helpers/data.ts';
import { node, openApp, pauseTraining, testHook, waitForStillViewport } from './helpers/editor.ts';

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

/**
 * Fails, naming them, on Latin words outside the allow-list (softly: every screen of a walk is reported).
 * `userWords`: names the learner's own data brings (class names of an imported file); `within`: only that part of the page.
 */
async function expectJapanese(
  page: Page,
  screen: string,
  userWords: readonly string[] = [],
  within?: string,
): Promise<void> {
  const words = new Set<string>();
  const marks = new Set<string>();
  // Node ids are the user's names (they show in titles and connection labels).
  const ids = new Set(
    await page.locator('.react-flow__node').evaluateAll((ns) => ns.map((n) => n.getAttribute('data-id') ?? '')),
  );
  for (const text of await shownTexts(page, within)) {
    if (hasJapanese(text)) for (const m of halfWidthMarks(text)) marks.add(`${m}  ← ${text}`);
    for (const w of text.match(/[A-Za-z][A-Za-z0-9_.'’()²-]*/g) ?? []) {
      const word = w.replace(/['’.()-]+$/, '');
      if (!isTechnicalWord(word) && !ids.has(word) && !userWords.includes(word)) words.add(word);
    }
  }
  expect.soft([...marks].sort(), `English brackets or quotes in Japanese on the screen "${screen}"`).toEqual([]);
  expect.soft([...words].sort(), `English left on the screen "${screen}"`).toEqual([]);
}

test('every screen and dialog in Japanese shows only Japanese and technical names', async ({ context, page }) => {
  test.setTimeout(240_000);
  await openApp(page, { width: 1280, height: 720 });
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
  await expectJapanese(page, 'offers after an image import', [], '[data-testid="import-offer"]');
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

test('Versions, every lesson and challenge step by step, and the crash screen in Japanese', async ({ page }) => {
  test.setTimeout(240_000);
  await openApp(page, { width: 1280, height: 720 });

  // A trained graph replaced by an example is kept under Versions.
  await page.getByTestId('train-epoch').click();
  await expect(page.getByTestId('metric-epoch')).toHaveText('1', { timeout: 30_000 });
  await page.getByTestId('example-and').click();
  await waitForStillViewport(page);
  await page.getByTestId('versions').click();
  await expect(page.getByTestId('versions-list')).toBeVisible();
  await expectJapanese(page, 'Versions');
  await page.keyboard.press('Escape');

  await page.getByTestId('lessons').click();
  await expect(page.getByTestId('lesson-list')).toBeVisible();
  await expectJapanese(page, 'lesson list');
  for (const lesson of [...lessons, ...challenges]) {
    await page.getByTestId(`lesson-${lesson.id}`).click();
    await expect(page.getByTestId('lesson-panel')).toHaveAttribute('data-lesson', lesson.id);
    for (const [i, step] of lesson.steps.entries()) {
      await page.getByTestId('lesson-step').nth(i).click();
      await expect(page.getByTestId('lesson-current')).toHaveAttribute('data-step', step.id);
      await expectJapanese(page, `lesson ${lesson.id}, step ${i + 1}`);
    }
    await page.getByTestId('lesson-exit').click();
    await page.getByTestId('lessons').click();
  }

  await testHook(page, 'crashUi');
  await expect(page.locator('.ng-crash')).toBeVisible();
  await expectJapanese(page, 'crash screen');
});

/** A PNG of w×h pixels of one colour (RGB). */
function png(w: number, h: number, rgb: readonly [number, number, number]): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), body.length + 4);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(w, 0);
  header.writeUInt32BE(h, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const rows = Buffer.alloc(h * (1 + 3 * w));
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) rows.set(rgb, y * (1 + 3 * w) + 1 + 3 * x);
  const signature = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]);
  return Buffer.concat([
    signature,
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

test('the HDF5 and image-folder import steps and the convolution nodes trained, inspected and broken, in Japanese', async ({
  page,
}) => {
  test.setTimeout(240_000);
  await openApp(page, { width: 1280, height: 720 });

  // HDF5: the dialog, then the Flatten offer after Apply.
  await node(page, 'in').click();
  await page.getByTestId('import-data').setInputFiles(await catFiles());
  await expect(page.getByTestId('import-dialog')).toBeVisible();
  await expect(page.getByTestId('import-summary')).toBeVisible();
  const catClasses = ['cat', 'non-cat'];
  await expectJapanese(page, 'HDF5 import', catClasses);
  await page.getByTestId('import-apply').click();
  await expect(page.getByTestId('insert-offer')).toBeVisible();
  await expectJapanese(page, 'HDF5 imported, Flatten offered', catClasses);
  await page.getByTestId('offer-dismiss').click();
  await expect(page.getByTestId('import-dialog')).toBeHidden();

  // A folder of images, one sub-folder per class.
  const folder = join(mkdtempSync(join(tmpdir(), 'nodegrad-ja-')), 'fruit');
  for (const [name, rgb] of [
    ['apple', [200, 30, 30]],
    ['pear', [40, 180, 40]],
  ] as const) {
    mkdirSync(join(folder, name), { recursive: true });
    for (let i = 0; i < 3; i++) writeFileSync(join(folder, name, `${i}.png`), png(12, 12, rgb));
  }
  await node(page, 'in').click();
  await page.getByTestId('import-data-folder').setInputFiles(folder);
  await expect(page.getByTestId('import-dialog')).toBeVisible();
  await expect(page.getByTestId('import-summary')).toBeVisible();
  await expectJapanese(page, 'image-folder import', ['apple', 'pear', 'fruit', ...catClasses]);
  await page.getByTestId('import-cancel').click();

  // The CNN: trained a few steps (feature maps and filters on the nodes), its larger view, inspectors, gradient check.
  await page.getByTestId('example-mnist-cnn').click();
  await waitForStillViewport(page);
  await page.getByTestId('train-start').click();
  await expect(node(page, 'c1').getByTestId('maps-open')).toBeVisible({ timeout: 60_000 });
  await pauseTraining(page);
  await expectJapanese(page, 'CNN trained, paused');
  await node(page, 'c1').getByTestId('maps-open').click();
  await expect(page.getByTestId('maps-view')).toBeVisible();
  await expectJapanese(page, 'feature maps and filters, larger view');
  await page.keyboard.press('Escape');
  for (const id of ['img', 'c1', 'n1', 'p1']) {
    await node(page, id).click({ position: { x: 12, y: 10 } });
    await expectJapanese(page, `CNN inspector of ${id}`);
  }
  await page.getByTestId('gradcheck-run').click();
  await expect(page.getByTestId('gradcheck-result').first()).toBeVisible({ timeout: 60_000 });
  await expectJapanese(page, 'CNN gradient check');
  await page.keyboard.press('Escape');

  // The convolution types' problems: an image shape the convolution cannot take, a window larger than the image.
  for (const [id, key, value, what] of [
    ['img', 'shape', '784', 'not an image'],
    ['c2', 'kernelSize', '20', 'window too large'],
  ] as const) {
    await node(page, id).click({ position: { x: 12, y: 10 } });
    await page.getByTestId(`param-${key}`).fill(value);
    await page.getByTestId(`param-${key}`).press('Enter');
    await expect(page.getByTestId('problem').first()).toBeVisible();
    await expectJapanese(page, `CNN problems: ${what}`);
    await page.keyboard.press('Control+z');
  }
});
