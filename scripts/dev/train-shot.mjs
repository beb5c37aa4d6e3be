// Dev aid: opens the built app, loads an example, trains for a while and saves a screenshot.
import { chromium } from '@playwright/test';

const [example = 'xor', seconds = '4', out = '/tmp/train.png'] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
page.on('console', (m) => m.type() === 'error' && console.log('console', m.text().slice(0, 300)));
page.on('pageerror', (e) => console.log('pageerror', e.message));
await page.goto(`http://127.0.0.1:${process.env.PORT ?? 4173}/`);
await page.getByTestId(`example-${example}`).click();
await page.waitForTimeout(500);
await page.getByTestId('train-start').click();
await page.waitForTimeout(Number(seconds) * 1000);
console.log(
  'loss',
  await page.getByTestId('metric-loss').textContent(),
  'epoch',
  await page.getByTestId('metric-epoch').textContent(),
  await page.getByTestId('metric-speed').textContent(),
);
await page.screenshot({ path: out });
await browser.close();
