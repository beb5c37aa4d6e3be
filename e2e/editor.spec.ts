import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { connect, dropFromPalette, handle, node, nodeIds, openEmpty, openExample } from './helpers/editor.ts';

const mod = process.platform === 'darwin' ? 'Meta' : 'Control';

test('drag from the palette drops a node where the pointer is', async ({ page }) => {
  await openEmpty(page);
  const pane = await page.locator('.react-flow__pane').boundingBox();
  await dropFromPalette(page, 'dense', 300, 200);
  await expect(node(page, 'dense1')).toBeVisible();
  const box = (await node(page, 'dense1').boundingBox())!;
  // The node is placed around the drop point (centred on it, snapped to the grid).
  expect(Math.abs(box.x + box.width / 2 - (pane!.x + 300))).toBeLessThan(60);
  expect(Math.abs(box.y + box.height / 2 - (pane!.y + 200))).toBeLessThan(60);
  await expect(page.getByTestId('param-units')).toHaveValue('8');
});

test('connect two handles; an invalid connection is refused with the reason', async ({ page }) => {
  await openEmpty(page);
  await dropFromPalette(page, 'input', 120, 150);
  await dropFromPalette(page, 'dense', 420, 150);
  await connect(page, ['in1', 'x'], ['dense1', 'in']);
  await expect(page.locator('.react-flow__edge')).toHaveCount(1);
  await expect(page.locator('.react-flow__edge-text')).toHaveText('[B, 2]');
  // A second edge into the occupied input is refused while dragging.
  const a = (await handle(page, 'in1', 'y').boundingBox())!;
  const b = (await handle(page, 'dense1', 'in').boundingBox())!;
  await page.mouse.move(a.x + 5, a.y + 5);
  await page.mouse.down();
  await page.mouse.move(b.x + 5, b.y + 5, { steps: 8 });
  await expect(page.getByTestId('connection-hint')).toContainText("'in' input is already connected");
  await page.mouse.up();
  await expect(page.locator('.react-flow__edge')).toHaveCount(1);
});

test('edit a field, then undo and redo it', async ({ page }) => {
  await openExample(page, 'xor');
  await node(page, 'h').click();
  const units = page.getByTestId('param-units');
  await expect(units).toHaveValue('3');
  await units.fill('0');
  await expect(page.locator('.ng-field.invalid')).toContainText('must be between 1 and 100000');
  await units.fill('5');
  await units.press('Enter');
  await expect(node(page, 'h')).toContainText('5 units');
  await page.locator('.react-flow__pane').click({ position: { x: 600, y: 500 } });
  await page.keyboard.press(`${mod}+z`);
  await expect(node(page, 'h')).toContainText('3 units');
  await page.keyboard.press(`${mod}+Shift+z`);
  await expect(node(page, 'h')).toContainText('5 units');
  await page.keyboard.press(`${mod}+z`);
  await page.keyboard.press(`${mod}+y`);
  await expect(node(page, 'h')).toContainText('5 units');
});

test('a whole drag is one undo step; delete, select all, copy and paste', async ({ page }) => {
  await openExample(page, 'xor');
  const before = (await node(page, 'o').boundingBox())!;
  await page.mouse.move(before.x + 30, before.y + 10);
  await page.mouse.down();
  await page.mouse.move(before.x + 130, before.y + 160, { steps: 12 });
  await page.mouse.up();
  const moved = (await node(page, 'o').boundingBox())!;
  expect(moved.y - before.y).toBeGreaterThan(100);
  await page.keyboard.press(`${mod}+z`);
  await expect.poll(async () => Math.round((await node(page, 'o').boundingBox())!.y)).toBe(Math.round(before.y));
  await node(page, 'oa').click();
  await page.keyboard.press('Delete');
  await expect(node(page, 'oa')).toHaveCount(0);
  await expect(page.getByTestId('problem').first()).toBeVisible();
  await page.keyboard.press(`${mod}+z`);
  await expect(node(page, 'oa')).toBeVisible();
  await page.locator('.react-flow__pane').click({ position: { x: 600, y: 500 } });
  await page.keyboard.press(`${mod}+a`);
  await page.keyboard.press(`${mod}+c`);
  await page.keyboard.press(`${mod}+v`);
  await expect(page.locator('.react-flow__node')).toHaveCount(12);
  await expect(page.locator('.react-flow__edge')).toHaveCount(12);
  expect(await nodeIds(page)).toContain('dense1');
});

test('problems panel lists problems live; clicking one selects and centres the node', async ({ page }) => {
  await openExample(page, 'xor');
  await expect(page.getByText('The graph compiles.')).toBeVisible();
  await page.getByTestId('palette-dense').dblclick();
  const problem = page.locator('[data-testid="problem"][data-node-id="dense1"]').first();
  await expect(problem).toContainText("Dense 'dense1' has nothing connected to its 'in' input");
  await expect(node(page, 'dense1').getByTestId('node-problem-badge')).toHaveAttribute('title', /nothing connected/);
  await page.locator('.react-flow__pane').click({ position: { x: 60, y: 50 } });
  await page.locator('.react-flow__pane').dragTo(page.locator('.react-flow__pane'), {
    sourcePosition: { x: 400, y: 300 },
    targetPosition: { x: 50, y: 50 },
  });
  await problem.click();
  await expect(node(page, 'dense1')).toHaveClass(/selected/);
  await page.waitForTimeout(500);
  const pane = (await page.locator('.react-flow__pane').boundingBox())!;
  const box = (await node(page, 'dense1').boundingBox())!;
  expect(Math.abs(box.x + box.width / 2 - (pane.x + pane.width / 2))).toBeLessThan(80);
  expect(Math.abs(box.y + box.height / 2 - (pane.y + pane.height / 2))).toBeLessThan(80);
});

test('export → import round trip is identical; a broken file is refused and changes nothing', async ({ page }) => {
  await openExample(page, 'xor');
  const download = page.waitForEvent('download');
  await page.getByTestId('export-json').click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('XOR 2-3-1.nodegrad.json');
  const exported = readFileSync((await file.path())!, 'utf8');
  expect(JSON.parse(exported)).toEqual(JSON.parse(readFileSync('public/examples/xor.json', 'utf8')));

  await node(page, 'h').click();
  await page.getByTestId('param-units').fill('9');
  await page.getByTestId('param-units').press('Enter');
  await expect(node(page, 'h')).toContainText('9 units');
  await page
    .getByTestId('import-json')
    .setInputFiles({ name: 'xor.nodegrad.json', mimeType: 'application/json', buffer: Buffer.from(exported) });
  await expect(node(page, 'h')).toContainText('3 units');

  const broken = JSON.parse(exported);
  broken.nodes[1].data.units = 'many';
  broken.edges[0].target = 'ghost';
  await page
    .getByTestId('import-json')
    .setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(broken)) });
  const report = page.getByTestId('import-problems');
  await expect(report).toContainText('broken.json was not imported: 2 problems');
  await expect(page.getByTestId('import-problem').nth(0)).toContainText('nodes[1].data.units');
  await expect(page.getByTestId('import-problem').nth(1)).toContainText('edges[0].target');
  await expect(node(page, 'h')).toContainText('3 units');
  await page.getByTestId('import-problems-dismiss').click();
  await expect(report).toHaveCount(0);
  await page
    .getByTestId('import-json')
    .setInputFiles({ name: 'notjson.json', mimeType: 'application/json', buffer: Buffer.from('{"format":') });
  await expect(report).toContainText('not valid JSON');
  // Import is one undoable step.
  await page.getByTestId('import-problems-dismiss').click();
  await page.keyboard.press(`${mod}+z`);
  await expect(node(page, 'h')).toContainText('9 units');
});

test('reload restores the graph and the viewport', async ({ page }) => {
  await openExample(page, 'xor');
  await node(page, 'h').click();
  await page.getByTestId('param-units').fill('7');
  await page.getByTestId('param-units').press('Enter');
  await page.getByRole('button', { name: 'Zoom Out' }).click();
  await expect(page.getByTestId('autosave-state')).toContainText('Saved in this browser');
  await page.waitForTimeout(600);
  const transform = await page.locator('.react-flow__viewport').getAttribute('style');
  await page.reload();
  await expect(node(page, 'h')).toContainText('7 units');
  await expect(page.locator('.react-flow__viewport')).toHaveAttribute('style', transform!);
});

test('a new user builds XOR from an empty canvas by pointer and sees it compile', async ({ page }) => {
  await openEmpty(page);
  const at: Record<string, [number, number]> = {
    input: [70, 200],
    dense: [280, 120],
    activation: [520, 120],
    loss: [620, 330],
  };
  await dropFromPalette(page, 'input', ...at.input!);
  await dropFromPalette(page, 'dense', ...at.dense!);
  await dropFromPalette(page, 'activation', ...at.activation!);
  await dropFromPalette(page, 'dense', 150, 420);
  await dropFromPalette(page, 'activation', 380, 420);
  await dropFromPalette(page, 'loss', ...at.loss!);
  expect(await nodeIds(page)).toEqual(['in1', 'dense1', 'activation1', 'dense2', 'activation2', 'loss1']);
  await connect(page, ['in1', 'x'], ['dense1', 'in']);
  await connect(page, ['dense1', 'out'], ['activation1', 'in']);
  await connect(page, ['activation1', 'out'], ['dense2', 'in']);
  await connect(page, ['dense2', 'out'], ['activation2', 'in']);
  await connect(page, ['activation2', 'out'], ['loss1', 'pred']);
  await connect(page, ['in1', 'y'], ['loss1', 'target']);
  await expect(page.locator('.react-flow__edge')).toHaveCount(6);
  // dense2 must output one unit to match the target
  await expect(page.locator('[data-testid="problem"][data-node-id="loss1"]')).toContainText(
    'compares pred [8] with target [1]',
  );
  await node(page, 'dense2').click();
  await page.getByTestId('param-units').fill('1');
  await page.getByTestId('param-units').press('Enter');
  await node(page, 'activation2').click();
  await page.getByTestId('param-fn').selectOption('sigmoid');
  await expect(page.getByText('The graph compiles.')).toBeVisible();
  await expect(page.locator('.react-flow__edge-text')).toHaveText([
    '[B, 2]',
    '[B, 8]',
    '[B, 8]',
    '[B, 1]',
    '[B, 1]',
    '[B, 1]',
  ]);
});
