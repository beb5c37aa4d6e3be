import { chromium } from '@playwright/test';
import { chromiumLaunchOptions } from '/work/main/e2e/chromium.ts';
const [, , example = 'xor', w = '1280', h = '720', out = '/tmp/shot.png', train = '1'] = process.argv;
const browser = await chromium.launch(chromiumLaunchOptions);
const page = await browser.newPage({ viewport: { width: +w, height: +h } });
await page.goto('http://127.0.0.1:4173/');
await page.locator('.react-flow__node[data-id="in"]').waitFor();
await page.getByTestId(`example-${example}`).click();
await page.waitForTimeout(1000);
if (train === '1') {
  await page.getByTestId('train-start').click();
  await page.waitForTimeout(3000);
}
await page.screenshot({ path: out });
const info = await page.evaluate(() => {
  const box = (sel) => {
    const r = document.querySelector(sel)?.getBoundingClientRect();
    return r ? [Math.round(r.x), Math.round(r.y), Math.round(r.width), Math.round(r.height)] : null;
  };
  const zoom = Number(
    /scale\(([\d.]+)\)/.exec(document.querySelector('.react-flow__viewport')?.getAttribute('style') ?? '')?.[1] ?? 1,
  );
  const sizes = [...document.querySelectorAll('.react-flow__node *')]
    .filter((e) => [...e.childNodes].some((c) => c.nodeType === 3 && c.textContent.trim()))
    .map((e) => Number.parseFloat(getComputedStyle(e).fontSize) * zoom);
  const nodes = [...document.querySelectorAll('.react-flow__node')].map((n) => {
    const r = n.getBoundingClientRect();
    return [n.dataset.id, Math.round(r.width / zoom), Math.round(r.height / zoom)];
  });
  return {
    zoom,
    minFont: Math.min(...sizes).toFixed(1),
    output: box('[data-testid="output-view"]'),
    chart: box('[data-testid="chart-loss"]'),
    canvas: box('.ng-canvas'),
    nodes,
    scrollW: document.documentElement.scrollWidth,
  };
});
console.log(JSON.stringify(info));
await browser.close();
