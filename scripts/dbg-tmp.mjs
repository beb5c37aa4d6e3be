import { chromium } from '@playwright/test';
import { chromiumLaunchOptions } from '/work/main/e2e/chromium.ts';
const browser = await chromium.launch(chromiumLaunchOptions);
const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
await page.goto('http://127.0.0.1:4173/');
await page.locator('.react-flow__node[data-id="in"]').waitFor();
await page.getByTestId('example-function-fit').click();
await page.waitForTimeout(1000);
await page.locator('.react-flow__pane').click({ position: { x: 60, y: 50 } });
await page.getByTestId('param-epochs').fill('1000000');
await page.getByTestId('param-epochs').press('Enter');
await page.getByTestId('train-start').click();
for (let i = 0; i < 12; i++) {
  await page.waitForTimeout(700);
  console.log(
    i,
    await page.getByTestId('metric-epoch').textContent(),
    await page.getByTestId('autosave-state').textContent(),
  );
}
const longs = await page.evaluate(() => performance.getEntriesByType('longtask')?.length);
console.log('longtasks', longs);
await browser.close();
