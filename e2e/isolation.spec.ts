// Without cross-origin isolation (a host that does not send COOP/COEP) there is no SharedArrayBuffer:
// the kernels cannot keep a model in a shared WebAssembly memory and copy operands into their own
// instead. The built app, served here by a plain static server without those headers, still trains,
// on one thread or on two that exchange messages (engine/parallel/messages.ts).
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { expect, test } from '@playwright/test';
import { node, waitForStillViewport } from './helpers/editor.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

let server: Server;
let url = '';

test.beforeAll(async () => {
  const root = join(process.cwd(), 'dist');
  server = createServer((req, res) => {
    const path = normalize(decodeURIComponent((req.url ?? '/').split('?')[0]!)).replace(/^([/\\])+/, '');
    let file = join(root, path);
    if (!file.startsWith(root) || !existsSync(file) || statSync(file).isDirectory()) file = join(root, 'index.html');
    res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});

test.afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const accuracy = async (page: import('@playwright/test').Page) =>
  Number.parseFloat((await page.getByTestId('metric-test-accuracy').textContent()) ?? '0');

/** The MNIST example on the page without the headers, Threads set to `threads`. */
async function mnistWithThreads(page: import('@playwright/test').Page, threads: '1' | '2') {
  await page.goto(url);
  expect(await page.evaluate(() => [crossOriginIsolated, typeof SharedArrayBuffer])).toEqual([false, 'undefined']);
  await expect(node(page, 'in')).toBeVisible();
  await page.getByTestId('example-mnist').click();
  await waitForStillViewport(page);
  await page.getByTestId('train-threads').selectOption(threads);
}

test('without cross-origin isolation (no SharedArrayBuffer) MNIST still trains past 85% on the WebAssembly kernels', async ({
  page,
}) => {
  // One thread asked for: the setting says why two would exchange messages here.
  await mnistWithThreads(page, '1');
  await expect(page.getByTestId('train-threads-now')).toHaveText(/cross-origin isolated/);
  await page.getByTestId('train-start').click();
  await expect.poll(() => accuracy(page), { timeout: 60_000 }).toBeGreaterThan(85);
  await expect(page.getByTestId('metric-speed')).toHaveAttribute('title', /wasm/);
  await expect(page.getByTestId('train-threads-now')).toHaveAttribute('data-threads', '1');
});

test('without cross-origin isolation, MNIST asked for two threads trains on two by messages past 85%', async ({
  page,
}) => {
  await mnistWithThreads(page, '2');
  await page.getByTestId('train-start').click();
  const now = page.getByTestId('train-threads-now');
  await expect(now).toHaveAttribute('data-threads', '2', { timeout: 30_000 });
  await expect(now).toHaveAttribute('data-threads-by', 'messages');
  await expect(now).toHaveText('2 threads (by messages: this page is not cross-origin isolated)');
  await expect.poll(() => accuracy(page), { timeout: 60_000 }).toBeGreaterThan(85);
  await expect(page.getByTestId('train-error')).toHaveCount(0);
});
