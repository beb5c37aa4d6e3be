import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';

test('probe', async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto('/');
  const text = readFileSync('/tmp/truth/images.json', 'utf8');
  await page.getByTestId('import-json').setInputFiles({ name: 'i.json', mimeType: 'application/json', buffer: Buffer.from(text) });
  await expect(page.locator('.ng-docname')).toHaveText('1000 images', { timeout: 60_000 });
  await page.waitForTimeout(2000);
  await page.getByTestId('train-start').click();
  await expect.poll(async () => Number(await page.getByTestId('metric-epoch').textContent()), { timeout: 90_000 }).toBeGreaterThan(1);
  const client = await page.context().newCDPSession(page);
  await client.send('Profiler.enable');
  await client.send('Profiler.start');
  await page.waitForTimeout(5000);
  const { profile } = await client.send('Profiler.stop');
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  const dt = profile.timeDeltas ?? [];
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const name = (n: (typeof profile.nodes)[number]) => `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber}:${n.callFrame.columnNumber}`;
  (profile.samples ?? []).forEach((id, i) => {
    const n = byId.get(id)!;
    const ms = (dt[i] ?? 0) / 1000;
    self.set(name(n), (self.get(name(n)) ?? 0) + ms);
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const k = name(byId.get(cur)!);
      if (!seen.has(k)) total.set(k, (total.get(k) ?? 0) + ms);
      seen.add(k);
    }
  });
  console.log('SELF\n' + [...self].sort((a, b) => b[1] - a[1]).slice(0, 20).map(([k, v]) => `${v.toFixed(0)}ms ${k}`).join('\n'));
  console.log('TOTAL\n' + [...total].sort((a, b) => b[1] - a[1]).slice(0, 40).map(([k, v]) => `${v.toFixed(0)}ms ${k}`).join('\n'));
});
