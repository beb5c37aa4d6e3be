import { chromium } from '@playwright/test';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
page.on('console', (m) => {
  if (m.type() === 'error' || m.type() === 'warning') console.log('console', m.type(), m.text());
});
page.on('pageerror', (e) => console.log('pageerror', e.message));
await page.goto(process.argv[2] ?? 'http://127.0.0.1:4173/');
await page.waitForTimeout(1500);
await page.screenshot({ path: process.argv[3] ?? '/tmp/shot.png' });
await browser.close();
