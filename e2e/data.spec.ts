// Data in: the cat/non-cat HDF5 pair, a CSV with its edge cases, the offers after an import (Flatten, Reshape, a CNN). Model out: the export buttons and the Code panel.
import { readFileSync } from 'node:fs';
import { expect, type Page, test } from '@playwright/test';
import onnxProto from 'onnx-proto';
import { graph } from '../engine/testing/checkGradients.ts';
import { catFiles, catGraph } from './helpers/data.ts';
import { node, openExample, waitForStillViewport } from './helpers/editor.ts';

async function importGraph(page: Page, json: string) {
  await page.goto('/');
  await expect(node(page, 'in')).toBeVisible();
  await page
    .getByTestId('import-json')
    .setInputFiles({ name: 'cat.json', mimeType: 'application/json', buffer: Buffer.from(json) });
  await expect(node(page, 'f')).toBeVisible();
  await waitForStillViewport(page);
}

test('the cat/non-cat HDF5 pair imports (tree, pickers, previews) and trains to ≥ 90% test accuracy in the app', async ({
  page,
}) => {
  await importGraph(page, catGraph());
  await page.getByTestId('import-data').setInputFiles(await catFiles());
  const dialog = page.getByTestId('import-dialog');
  await expect(dialog.getByTestId('h5-tree')).toContainText('train_set_x');
  await expect(dialog.getByTestId('h5-x')).toHaveValue('/train_set_x');
  await expect(dialog.getByTestId('h5-y')).toHaveValue('/train_set_y');
  await expect(dialog.getByTestId('import-preview').locator('figure')).toHaveCount(16);
  await expect(dialog.getByTestId('import-preview')).toContainText('cat');
  await expect(dialog.getByTestId('import-summary')).toContainText(
    '40 images 64×64×3, 2 classes (non-cat, cat), test 20',
  );
  await page.getByTestId('import-apply').click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByTestId('problems-line')).toContainText('compiles');
  await expect(node(page, 'in')).toContainText('x [B, 64, 64, 3]');

  await page.getByTestId('train-speed').selectOption('full');
  await page.getByTestId('train-start').click();
  await expect(page.getByTestId('metric-epoch')).toHaveText('30', { timeout: 60_000 });
  await expect(page.getByTestId('train-status')).toContainText('Done');
  const accuracy = Number.parseFloat((await page.getByTestId('metric-test-accuracy').textContent()) ?? '0');
  expect(accuracy).toBeGreaterThanOrEqual(90);
  // The output view: test images with predicted classes by name, and the confusion matrix.
  const view = page.getByTestId('output-view');
  await expect(view.getByTestId('digit-grid').locator('figure')).toHaveCount(20);
  await expect(view.getByTestId('confusion-matrix')).toContainText('non-cat');

  // The data is in the document: a reload keeps it, trained.
  await page.waitForTimeout(2500);
  await page.reload();
  await expect(node(page, 'in')).toContainText('x [B, 64, 64, 3]');
  await expect(page.getByTestId('train-status')).toContainText('Trained 30 epochs');
});

test('images into a graph without Flatten: the editor offers it, and one click makes the graph compile', async ({
  page,
}) => {
  await openExample(page, 'xor');
  await page.getByTestId('import-data').setInputFiles(await catFiles());
  await page.getByTestId('import-apply').click();
  await expect(page.getByTestId('insert-offer')).toContainText('[64, 64, 3]');
  await expect(page.getByTestId('offer-insert')).toHaveText('Insert Flatten');
  await page.getByTestId('offer-insert').click();
  await expect(page.getByTestId('import-dialog')).toHaveCount(0);
  await expect(node(page, 'flatten1')).toBeVisible();
  await expect(page.getByTestId('problems-line')).toContainText('compiles');
  await page.keyboard.press('Control+z');
  await expect(node(page, 'flatten1')).toHaveCount(0);
  // The problem itself offers the same fix.
  await page.getByTestId('problem-fix').click();
  await expect(node(page, 'flatten1')).toBeVisible();
});

test('images into a graph that does not take them: one click builds a CNN for them, which learns cat/non-cat', async ({
  page,
}) => {
  await openExample(page, 'xor');
  await page.getByTestId('import-data').setInputFiles(await catFiles());
  await page.getByTestId('import-apply').click();
  await expect(page.getByTestId('cnn-offer')).toContainText('64×64×3 images in 2 classes');
  await page.getByTestId('offer-cnn').click();
  await expect(page.getByTestId('import-dialog')).toHaveCount(0);
  await expect(page.getByTestId('problems-line')).toContainText('compiles');
  for (const id of ['c1', 'p1', 'c2', 'p2']) await expect(node(page, id)).toBeVisible();
  await expect(node(page, 'in')).toContainText('x [B, 64, 64, 3]');
  await page.getByTestId('train-speed').selectOption('full');
  await page.getByTestId('train-start').click();
  await expect(page.getByTestId('train-status')).toContainText('Done', { timeout: 120_000 });
  const accuracy = Number.parseFloat((await page.getByTestId('metric-test-accuracy').textContent()) ?? '0');
  expect(accuracy).toBeGreaterThanOrEqual(90);
  // Its feature maps are in the convolution node, and Undo gives the XOR graph back with the images.
  await expect(node(page, 'c1').getByTestId('node-maps')).toBeVisible();
  await page.keyboard.press('Control+z');
  await expect(node(page, 'c1')).toHaveCount(0);
  await expect(node(page, 'in')).toContainText('x [B, 64, 64, 3]');
});

test('flat rows into a convolution: the import offers the Reshape into an image, and one click makes it compile', async ({
  page,
}) => {
  const doc = graph(
    [
      ['in', 'input', { dataset: { kind: 'xor' } }],
      ['c', 'conv2d', { filters: 2, kernelSize: 3, padding: 'same' }],
      ['f', 'flatten', {}],
      ['o', 'dense', { units: 1 }],
      ['oa', 'activation', { fn: 'sigmoid' }],
      ['L', 'loss', { fn: 'binary_cross_entropy' }],
    ],
    [
      ['in', 'c'],
      ['c', 'f'],
      ['f', 'o'],
      ['o', 'oa'],
      ['oa', 'L.pred'],
      ['in.y', 'L.target'],
    ],
  );
  await importGraph(page, JSON.stringify(doc));
  const header = Array.from({ length: 16 }, (_, i) => `p${i}`).join(',');
  const row = (k: number) => `${Array.from({ length: 16 }, (_, i) => ((i + k) % 3) / 2).join(',')},${k % 2}`;
  const csv = `${header},y\n${Array.from({ length: 8 }, (_, k) => row(k)).join('\n')}\n`;
  await page
    .getByTestId('import-data')
    .setInputFiles({ name: 'flat.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.getByTestId('import-apply').click();
  await expect(page.getByTestId('insert-offer')).toContainText('[16]');
  await expect(page.getByTestId('offer-insert')).toHaveText('Insert Reshape');
  await expect(page.getByTestId('cnn-offer')).toHaveCount(0);
  await page.getByTestId('offer-insert').click();
  await expect(page.getByTestId('problems-line')).toContainText('compiles');
  await expect(node(page, 'reshape1')).toContainText('[B, 4, 4, 1]');
});

test('a CSV: preview, column roles and kinds, standardisation; a ragged row is named by row', async ({ page }) => {
  await openExample(page, 'xor');
  const csv =
    '\uFEFFsize,"colour, name",weight,kind\n1.5,"red, dark",10,apple\n2.5,green,,pear\n3,"say ""hi""",12,apple\n';
  await page
    .getByTestId('import-data')
    .setInputFiles({ name: 'fruit.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  const dialog = page.getByTestId('import-dialog');
  await expect(dialog.getByTestId('csv-preview')).toContainText('say "hi"');
  await expect(dialog.getByTestId('csv-role-3')).toHaveValue('target');
  await expect(dialog.getByTestId('csv-preview').locator('th').nth(1)).toContainText('categorical');
  // A categorical feature and an empty cell: the problem names the row and column.
  await expect(dialog.getByTestId('import-error')).toBeVisible();
  await dialog.getByTestId('csv-role-1').selectOption('ignore');
  await expect(dialog.getByTestId('import-error')).toContainText('row 3');
  await dialog.getByTestId('csv-role-2').selectOption('ignore');
  await expect(dialog.getByTestId('import-summary')).toContainText('3 rows, 1 features');
  await dialog.getByTestId('csv-standardize').uncheck();
  await expect(dialog.getByTestId('import-summary')).toContainText('not standardised');
  await page.getByTestId('import-apply').click();
  await expect(dialog).toHaveCount(0);

  await page
    .getByTestId('import-data')
    .setInputFiles({ name: 'ragged.csv', mimeType: 'text/csv', buffer: Buffer.from('a,b,c\n1,2,3\n4,5\n') });
  await expect(page.getByTestId('import-error')).toContainText('row 3');
  await page.getByTestId('import-cancel').click();
});

test('ONNX, PyTorch and NumPy download; the Code panel shows the code with the weights elided', async ({ page }) => {
  await openExample(page, 'xor');
  await page.getByTestId('train-epoch').click();
  const expected = { onnx: 'xor_2_3_1.onnx', pytorch: 'xor_2_3_1_pytorch.py', numpy: 'xor_2_3_1_numpy.py' };
  for (const [format, name] of Object.entries(expected)) {
    const download = page.waitForEvent('download');
    await page.getByTestId(`export-${format}`).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe(name);
    const bytes = readFileSync((await file.path()) as string);
    if (format === 'onnx') {
      const model = onnxProto.onnx.ModelProto.decode(bytes);
      expect(model.graph?.input?.[0]?.name).toBe('x');
      expect(Number(model.opsetImport[0]?.version)).toBeGreaterThanOrEqual(13);
    } else expect(bytes.toString()).toContain(format === 'pytorch' ? 'def build_model' : 'def loss_and_grads');
  }
  await page.getByTestId('code-open').click();
  const code = page.getByTestId('code-text');
  await expect(code).toContainText('def loss_and_grads');
  await expect(code).toContainText('trained weights elided');
  await page.getByTestId('code-tab-pytorch').click();
  await expect(code).toContainText('DistributedDataParallel');
});
