// The benchmark's browser rows: training loops in a Web Worker of a headless Chromium (Playwright),
// served from memory without COOP/COEP (so the page is not cross-origin isolated: no shared memory),
// so the cost of running in a browser worker is known.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { build } from 'esbuild';
import { chromiumLaunchOptions } from '../../e2e/chromium.ts';
import type { BrowserReply } from './browserWorker.ts';

const ORIGIN = 'http://nodegrad-bench.localhost';

export type BrowserResult = BrowserReply & { browser: string };

/**
 * Runs scripts/bench/`entry` (bundled) in a Chromium worker: posts `request` with the MNIST file's
 * bytes as `mnist` and the bundle's text as `script`, and resolves with its one reply, or why it could not run.
 */
export async function inBrowserWorker<Reply>(
  entry: string,
  mnistPath: string,
  request: Record<string, unknown>,
): Promise<(Reply & { browser: string }) | string> {
  const bundle = await build({
    entryPoints: [join(process.cwd(), 'scripts', 'bench', entry)],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'chrome114',
    write: false,
    logLevel: 'error',
  });
  const files: Record<string, { body: string | Buffer; contentType: string }> = {
    '/': { body: '<!doctype html><title>nodegrad bench</title>', contentType: 'text/html' },
    '/worker.js': { body: bundle.outputFiles[0]!.text, contentType: 'text/javascript' },
    '/mnist.bin': { body: readFileSync(mnistPath), contentType: 'application/octet-stream' },
  };
  let browser: Awaited<ReturnType<typeof chromium.launch>>;
  try {
    browser = await chromium.launch(chromiumLaunchOptions);
  } catch (e) {
    return `no Chromium to run in (${(e as Error).message.split('\n')[0]})`;
  }
  try {
    const page = await browser.newPage();
    await page.route(`${ORIGIN}/**`, (route) => {
      const file = files[new URL(route.request().url()).pathname];
      return file ? route.fulfill({ status: 200, ...file }) : route.fulfill({ status: 404, body: '' });
    });
    await page.goto(`${ORIGIN}/`);
    const reply = await page.evaluate(
      (request) =>
        new Promise<Reply>((resolve, reject) => {
          const worker = new Worker('/worker.js');
          worker.onmessage = (e: MessageEvent<Reply>) => resolve(e.data);
          worker.onerror = (e) => reject(new Error(e.message));
          // NOTE: the worker's own script goes along: a nested worker of it starts from a Blob (this
          // page's routes do not serve a worker's requests).
          Promise.all([
            fetch('/mnist.bin').then((r) => r.arrayBuffer()),
            fetch('/worker.js').then((r) => r.text()),
          ]).then(([mnist, script]) => worker.postMessage({ ...request, mnist, script }, [mnist]), reject);
        }),
      request,
    );
    return { ...reply, browser: `Chromium ${browser.version()}` };
  } finally {
    await browser.close();
  }
}

/** Samples/s of `runs` epochs in a Chromium worker, or why it could not run. */
export function mnistInBrowserWorker(
  mnistPath: string,
  example: unknown,
  runs: number,
  samples: number,
): Promise<BrowserResult | string> {
  return inBrowserWorker<BrowserReply>('browserWorker.ts', mnistPath, { example, runs, samples });
}
