import { spawn } from 'node:child_process';
import { chromium } from '@playwright/test';
const port = 4206;
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
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
page.on('pageerror', (e) => console.log('PAGEERROR', e.message));
page.on('console', (m) => {
  if (m.type() === 'error') console.log('CONSOLE', m.text());
});
await page.goto(url);
await page.locator('.react-flow__node[data-id="in"]').waitFor();
await page.getByTestId('lessons').click();
await page.waitForTimeout(300);
await page.screenshot({ path: '/tmp/lx/list.png' });
await page.getByTestId('lesson-xor-2-2-1').click();
await page.waitForTimeout(500);
await page.screenshot({ path: '/tmp/lx/xor1.png' });
console.log(await page.locator('[data-testid=lesson-step]').evaluateAll((els) => els.map((e) => e.dataset.done)));
await browser.close();
server.kill();
