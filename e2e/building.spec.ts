// Building one's own graph by hand: the tutorials can be built from the palette, nodes keep their
// size while wired and trained, and the canvas stays readable.
import { expect, type Page, test } from '@playwright/test';
import { schemaDatasetKinds } from '../app/testing/schemaKinds.ts';
import { connect, dropFromPalette, measureNodes, node, openEmpty } from './helpers/editor.ts';

/** Each node's size on screen, by id (rounded to whole px). */
async function sizes(page: Page): Promise<Map<string, string>> {
  const m = await measureNodes(page);
  return new Map(m.boxes.map((b) => [b.id, `${Math.round(b.w)}×${Math.round(b.h)}`]));
}

test('the AND tutorial built from the palette: every dataset kind offered, nodes keep their size through wiring and training', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await openEmpty(page);
  // Dropped close together, as a learner does: each lands in the free space beside the last.
  for (const type of ['input', 'dense', 'activation', 'loss']) await dropFromPalette(page, type, 160, 160);
  await expect(page.locator('.react-flow__node')).toHaveCount(4);
  const ids = ['in1', 'dense1', 'activation1', 'loss1'];
  const dropped = await sizes(page);
  expect((await measureNodes(page)).overlaps).toEqual([]);

  await node(page, 'in1').click();
  const offered = await page
    .getByTestId('param-dataset.kind')
    .locator('option')
    .evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
  for (const kind of schemaDatasetKinds()) expect(offered, 'the dataset menu').toContain(kind);
  await page.getByTestId('param-dataset.kind').selectOption('and');
  await node(page, 'dense1').click();
  await page.getByTestId('param-units').fill('1');
  await page.getByTestId('param-units').press('Enter');
  await node(page, 'activation1').click();
  await page.getByTestId('param-fn').selectOption('sigmoid');

  const wires: [[string, string], [string, string]][] = [
    [
      ['in1', 'x'],
      ['dense1', 'in'],
    ],
    [
      ['dense1', 'out'],
      ['activation1', 'in'],
    ],
    [
      ['activation1', 'out'],
      ['loss1', 'pred'],
    ],
    [
      ['in1', 'y'],
      ['loss1', 'target'],
    ],
  ];
  for (const [i, [from, to]] of wires.entries()) {
    await connect(page, from, to);
    await expect(page.locator('.react-flow__edge'), `wire ${from} → ${to}`).toHaveCount(i + 1);
    expect(await sizes(page), `sizes after wiring ${from} → ${to}`).toEqual(dropped);
  }
  await expect(page.getByTestId('problems-line')).toHaveClass(/ng-ok/);

  await page.getByTestId('train-start').click();
  await expect
    .poll(async () => Number(await page.getByTestId('metric-epoch').textContent()), { timeout: 30_000 })
    .toBeGreaterThan(20);
  await page.waitForTimeout(500);
  const m = await measureNodes(page);
  expect(await sizes(page), 'sizes while training').toEqual(dropped);
  expect(m.overlaps, 'overlapping nodes while training').toEqual([]);
  for (const id of ids) await expect(node(page, id)).toBeVisible();
});
