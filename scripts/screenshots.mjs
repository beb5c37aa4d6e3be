#!/usr/bin/env node
// `npm run screenshots [-- --out DIR]`: serves the built app (dist/, `npm run build` first), opens the
// XOR example, trains it, and saves screenshots at 1280×720, 1440×900 and 1920×1080 in English and
// Japanese into DIR (default /tmp/nodegrad-shots), with the 3-D panel open too (xor-3d-…), plus
// docs/screenshot.png, docs/mnist-cnn.png and docs/cnn-trace.png for the README.
// Prints the on-screen font sizes inside nodes and the boxes of the main panels. Learn mode: trace,
// gradcheck, timeline, health, compare. Lessons: every lesson's first and last step (lessonShots.mjs).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { chromiumLaunchOptions } from '../e2e/chromium.ts';
import { catFiles, catGraph } from '../e2e/helpers/data.ts';
import { lessonShots } from './lessonShots.mjs';

const outIndex = process.argv.indexOf('--out');
const out = outIndex > 0 ? process.argv[outIndex + 1] : '/tmp/nodegrad-shots';
mkdirSync(out, { recursive: true });
const port = Number(process.env.SHOTS_PORT ?? 4175);
const server = spawn('npx', ['vite', 'preview', '--port', String(port), '--strictPort', '--host', '127.0.0.1'], {
  stdio: 'ignore',
});
const url = `http://127.0.0.1:${port}/`;
for (let i = 0; i < 100; i++) {
  try {
    if ((await fetch(url)).ok) break;
  } catch {
    await new Promise((r) => setTimeout(r, 200));
  }
}
const browser = await chromium.launch(chromiumLaunchOptions);

/** The autosave's states at one size: an unreadable autosave kept aside, weights the browser refused,
 * and the Versions list. Prints the status bar's box (it must not overflow). */
async function autosaveStates(width, height) {
  const page = await browser.newPage({ viewport: { width, height } });
  await page.addInitScript(() => {
    const put = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function (value, key) {
      if (key === 'nodegrad:autosave:v2:trained')
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return put.call(this, value, key);
    };
  });
  await page.goto(url);
  await page.locator('.react-flow__node[data-id="in"]').waitFor();
  // An autosave that does not parse, written the way idb-keyval stores it.
  await page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('keyval-store');
        open.onsuccess = () => {
          const tx = open.result.transaction('keyval', 'readwrite');
          const record = {
            doc: { format: 'nodegrad-graph', version: 1, nodes: 'oops' },
            viewport: null,
            tabId: 'x',
            savedAt: 1,
            lineage: 'l',
          };
          tx.objectStore('keyval').put(record, 'nodegrad:autosave:v2');
          tx.oncomplete = resolve;
          tx.onerror = reject;
        };
        open.onerror = reject;
      }),
  );
  await page.reload();
  await page.locator('[data-testid="autosave-unreadable"]').waitFor();
  await page.getByTestId('train-step').click();
  await page.getByText('trained weights were not saved').waitFor();
  await page.getByTestId('versions').click();
  const file = join(out, `autosave-${width}x${height}-en.png`);
  await page.screenshot({ path: file });
  const box = await page.evaluate(() => {
    const r = document.querySelector('.ng-status').getBoundingClientRect();
    return {
      status: [Math.round(r.x), Math.round(r.y), Math.round(r.width), Math.round(r.height)],
      scrollWidth: document.documentElement.scrollWidth,
    };
  });
  console.log(`autosave ${width}x${height}: ${JSON.stringify(box)} → ${file}`);
  await page.close();
}
/** Prints a box [x, y, w, h] and whether it fits the window. */
const boxOf = (page, sel) =>
  page.evaluate((s) => {
    const el = document.querySelector(s);
    const r = el?.getBoundingClientRect();
    if (!r) return null;
    // The smallest text inside, as drawn (these panels are not zoomed).
    const fonts = [...el.querySelectorAll('*')]
      .filter((e) => [...e.childNodes].some((c) => c.nodeType === 3 && c.textContent.trim()))
      .map((e) => Number.parseFloat(getComputedStyle(e).fontSize));
    const box = [Math.round(r.x), Math.round(r.y), Math.round(r.width), Math.round(r.height)];
    return { box, minFont: Math.min(...fonts), bottom: Math.round(r.bottom), window: [innerWidth, innerHeight] };
  }, sel);

/** The smallest and largest text inside the graph's nodes as drawn (times the canvas zoom), the zoom, and
 * the boxes of the canvas, the loss chart and the output view. */
const nodeFonts = (page) =>
  page.evaluate(() => {
    const zoom = Number(
      /scale\(([\d.]+)\)/.exec(document.querySelector('.react-flow__viewport')?.getAttribute('style') ?? '')?.[1] ?? 1,
    );
    const sizes = [...document.querySelectorAll('.react-flow__node *')]
      .filter((e) => e.childNodes.length > 0 && [...e.childNodes].some((c) => c.nodeType === 3 && c.textContent.trim()))
      .map((e) => Number.parseFloat(getComputedStyle(e).fontSize) * zoom);
    const box = (sel) => {
      const r = document.querySelector(sel)?.getBoundingClientRect();
      return r ? [Math.round(r.x), Math.round(r.y), Math.round(r.width), Math.round(r.height)] : null;
    };
    return {
      zoom,
      minFont: Math.min(...sizes).toFixed(1),
      maxFont: Math.max(...sizes).toFixed(1),
      canvas: box('.ng-canvas'),
      chart: box('[data-testid="chart-loss"]'),
      output: box('[data-testid="output-view"]'),
    };
  });

/** Saves the page as `<name>-<w>x<h>-<lang>.png` and prints the box and smallest font of `sel`. */
const shooter = (page, width, height, lang) => async (name, sel) => {
  const file = join(out, `${name}-${width}x${height}-${lang}.png`);
  await page.screenshot({ path: file });
  console.log(`${name} ${width}x${height} ${lang}: ${JSON.stringify(sel ? await boxOf(page, sel) : null)} → ${file}`);
};

/** Data in and model out: the HDF5 dialog, the Flatten offer, the cat run's output view, a CSV, the Code panel, the share box. */
async function dataAndCode(width, height, lang) {
  const page = await browser.newPage({ viewport: { width, height } });
  const shot = shooter(page, width, height, lang);
  await page.goto(url);
  await page.locator('.react-flow__node[data-id="in"]').waitFor();
  await page.getByTestId('lang').selectOption(lang);
  await page.getByTestId('import-data').setInputFiles(await catFiles());
  await page.getByTestId('import-summary').waitFor();
  await shot('import-h5', '[data-testid="import-dialog"]');
  await page.getByTestId('import-apply').click();
  await page.getByTestId('import-offer').waitFor();
  await shot('import-offer', '[data-testid="import-dialog"]');
  await page.getByTestId('import-cancel').click();
  const csv =
    'sepal_length,sepal_width,petal_length,petal_width,species\n5.1,3.5,1.4,0.2,setosa\n7.0,3.2,4.7,1.4,versicolor\n6.3,3.3,6.0,2.5,virginica\n4.9,3.0,1.4,0.2,setosa\n6.4,3.2,4.5,1.5,versicolor\n5.8,2.7,5.1,1.9,virginica\n';
  await page
    .getByTestId('import-data')
    .setInputFiles({ name: 'iris.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.getByTestId('import-summary').waitFor();
  await shot('import-csv', '[data-testid="import-dialog"]');
  await page.getByTestId('import-cancel').click();
  await page
    .getByTestId('import-json')
    .setInputFiles({ name: 'cat.json', mimeType: 'application/json', buffer: Buffer.from(catGraph()) });
  await page.locator('.react-flow__node[data-id="f"]').waitFor();
  await page.getByTestId('auto-layout').click();
  await page.getByTestId('import-data').setInputFiles(await catFiles());
  await page.getByTestId('import-apply').click();
  await page.getByTestId('train-speed').selectOption('full');
  await page.getByTestId('train-start').click();
  await page.getByTestId('metric-epoch').filter({ hasText: /^30$/ }).waitFor({ timeout: 60_000 });
  await page.waitForTimeout(500);
  await shot('cat-trained', '[data-testid="output-view"]');
  await page.getByTestId('code-open').click();
  await shot('code', '[data-testid="code-panel"]');
  await page.getByTestId('code-open').click();
  await page.getByTestId('share-link').click();
  await shot('share', '[data-testid="share-box"]');
  await page.close();
}

/** Learn mode: the step-through at the output layer's backward step, the gradient check, the
 * timeline scrubbed back, and health badges on a network whose learning rate is far too small. */
async function learnMode(width, height, lang) {
  const page = await browser.newPage({ viewport: { width, height } });
  const shot = shooter(page, width, height, lang);
  const graphField = async (key, value) => {
    await page.locator('.react-flow__pane').click({ position: { x: 60, y: 50 } });
    await page.getByTestId(`param-${key}`).fill(value);
    await page.getByTestId(`param-${key}`).press('Enter');
  };
  await page.goto(url);
  await page.locator('.react-flow__node[data-id="in"]').waitFor();
  await page.getByTestId('lang').selectOption(lang);
  await page.getByTestId('example-xor').click();
  await page.waitForTimeout(800);
  await page.getByTestId('trace-start').click();
  await page.getByTestId('trace-step').waitFor();
  for (let i = 0; i < 8; i++) await page.keyboard.press('ArrowRight');
  await page.waitForTimeout(400);
  await shot('trace', '[data-testid="trace-panel"]');
  await page.keyboard.press('Escape');
  await page.getByTestId('gradcheck-run').click();
  await page.getByTestId('gradcheck-result').first().waitFor();
  await shot('gradcheck', '[data-testid="gradcheck-panel"]');
  await page.keyboard.press('Escape');
  await page.getByTestId('example-function-fit').click();
  await page.waitForTimeout(800);
  await page.getByTestId('train-speed').selectOption('full');
  await graphField('epochs', '120');
  await page.getByTestId('train-start').click();
  await page.getByTestId('metric-epoch').filter({ hasText: /^120$/ }).waitFor({ timeout: 60_000 });
  await page.getByTestId('timeline-scrubber').fill('15');
  await page.getByTestId('timeline-epoch').filter({ hasText: /15/ }).waitFor();
  await page.waitForTimeout(400);
  await shot('timeline', '.ng-timeline');
  await page.getByTestId('timeline-live').click();
  await graphField('learningRate', '0.00001');
  await page.getByTestId('train-reset').click();
  await page.getByTestId('train-start').click();
  await page.getByTestId('metric-epoch').filter({ hasText: /^120$/ }).waitFor({ timeout: 60_000 });
  await page.getByTestId('health-badge').first().waitFor();
  await page.getByTestId('health-badge').first().click();
  await page.waitForTimeout(300);
  await shot('health', '[data-testid="health"]');
  await page.keyboard.press('Escape');
  // Compare runs: the tutorial's units study on the fit (1, 3 and 10 sigmoid units).
  await graphField('learningRate', '0.05');
  await page.getByTestId('compare-open').click();
  await page.getByTestId('compare-values-1').fill('1, 3, 10');
  await page.getByTestId('compare-epochs').fill('600');
  await page.getByTestId('compare-run').click();
  await page.locator('[data-testid="compare-status"][data-state="done"]').waitFor({ timeout: 60_000 });
  await shot('compare', '[data-testid="compare-dialog"]');
  await page.close();
}

/** The CNN example trained to the end at full speed (its accuracy and wall-clock time printed; at
 * 1440×900 in English docs/mnist-cnn.png for the README), mid-training first, then the larger view of
 * c1's feature maps, then the step-through at the first Conv2D forward (the feature maps, one window ×
 * one filter; docs/cnn-trace.png) and backward (where a window's gradient goes). */
async function cnn(width, height, lang) {
  const page = await browser.newPage({ viewport: { width, height }, locale: lang === 'ja' ? 'ja-JP' : 'en-US' });
  const shot = shooter(page, width, height, lang);
  const readme = width === 1440 && lang === 'en';
  await page.goto(url);
  await page.locator('.react-flow__node[data-id="in"]').waitFor();
  await page.getByTestId('lang').selectOption(lang);
  await page.getByTestId('example-mnist-cnn').click();
  await page.waitForTimeout(800);
  await page.getByTestId('train-speed').selectOption('full');
  const started = Date.now();
  await page.getByTestId('train-start').click();
  await page.waitForTimeout(8000);
  await shot('cnn-training', '.ng-canvas');
  const done = lang === 'ja' ? '完了' : 'Done';
  await page.getByTestId('train-status').filter({ hasText: done }).waitFor({ timeout: 600_000 });
  const seconds = (Date.now() - started) / 1000;
  // NOTE: the autosave of the final weights follows a moment later (the status line's "trained to epoch").
  await page.waitForTimeout(3000);
  const accuracy = await page.getByTestId('metric-test-accuracy').textContent();
  const epochs = await page.getByTestId('metric-epoch').textContent();
  console.log(
    `mnist-cnn ${width}x${height} ${lang}: ${epochs} epochs, test accuracy ${accuracy}, ${seconds.toFixed(1)} s from Train to Done`,
  );
  await shot('cnn-trained', '.ng-canvas');
  console.log(`cnn-trained ${width}x${height} ${lang} text in nodes: ${JSON.stringify(await nodeFonts(page))}`);
  if (readme) await page.screenshot({ path: 'docs/mnist-cnn.png' });
  await page.locator('.react-flow__node[data-id="c1"]').getByTestId('maps-open').click();
  await page.getByTestId('maps-view').waitFor();
  await page.waitForTimeout(400);
  await shot('cnn-maps', '[data-testid="maps-view"]');
  await page
    .getByTestId('maps-view')
    .getByRole('button', { name: /close|閉じる/i })
    .click();
  await page.getByTestId('trace-start').click();
  const step = page.getByTestId('trace-step');
  await step.waitFor();
  for (const phase of ['forward', 'backward']) {
    for (let i = 0; i < 40; i++) {
      if ((await step.getAttribute('data-node-id')) === 'c1' && (await step.getAttribute('data-phase')) === phase)
        break;
      await page.keyboard.press('ArrowRight');
      await page.waitForTimeout(60);
    }
    await page.waitForTimeout(400);
    await shot(`cnn-trace-conv-${phase}`, '[data-testid="trace-panel"]');
    if (readme && phase === 'forward') await page.screenshot({ path: 'docs/cnn-trace.png' });
  }
  await page.close();
}

/** SHOTS_ONLY=xor|autosave|learn|data|lessons|cnn takes one group of shots (all by default). */
const only = process.env.SHOTS_ONLY;
const wanted = (group) => !only || only === group;

try {
  for (const [width, height] of [
    [1280, 720],
    [1440, 900],
    [1920, 1080],
  ]) {
    for (const lang of wanted('xor') ? ['en', 'ja'] : []) {
      const page = await browser.newPage({ viewport: { width, height }, locale: lang === 'ja' ? 'ja-JP' : 'en-US' });
      await page.goto(url);
      await page.locator('.react-flow__node[data-id="in"]').waitFor();
      await page.getByTestId('lang').selectOption(lang);
      await page.getByTestId('example-xor').click();
      await page.waitForTimeout(800);
      await page.getByTestId('train-start').click();
      await page.waitForTimeout(2500);
      const file = join(out, `xor-${width}x${height}-${lang}.png`);
      await page.screenshot({ path: file });
      const fonts = await nodeFonts(page);
      console.log(`${width}x${height} ${lang}: ${JSON.stringify(fonts)} → ${file}`);
      if (width === 1440 && lang === 'en') {
        // The README shows the run at its end: the surface formed, the curve down, every node's numbers final.
        await page.getByTestId('train-status').getByText('Done').waitFor({ timeout: 120_000 });
        await page.waitForTimeout(500);
        if (!existsSync('docs')) mkdirSync('docs');
        await page.screenshot({ path: 'docs/screenshot.png' });
      }
      // The same run in 3-D: the panel beside the results column, and its mean CPU time per frame.
      await page.getByTestId('output-3d-toggle').click();
      await page.getByTestId('output-3d-canvas').waitFor();
      await page.waitForTimeout(1000);
      const file3d = join(out, `xor-3d-${width}x${height}-${lang}.png`);
      await page.screenshot({ path: file3d });
      const renderMs = await page.getByTestId('output-3d-canvas').getAttribute('data-render-ms');
      console.log(
        `xor-3d ${width}x${height} ${lang}: ${JSON.stringify(await boxOf(page, '[data-testid="output-3d"]'))}, ${renderMs} ms per render → ${file3d}`,
      );
      await page.close();
    }
    if (wanted('autosave')) await autosaveStates(width, height);
    for (const lang of ['en', 'ja']) if (wanted('learn')) await learnMode(width, height, lang);
    for (const lang of ['en', 'ja']) if (wanted('data')) await dataAndCode(width, height, lang);
    if (wanted('lessons')) await lessonShots({ browser, url, out, width, height, boxOf });
    for (const lang of ['en', 'ja']) if (wanted('cnn')) await cnn(width, height, lang);
  }
} finally {
  await browser.close();
  server.kill();
}
