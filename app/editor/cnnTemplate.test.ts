import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  analyzeGraph,
  createTrainer,
  hdf5Dataset,
  loadDataset,
  makeCatFixture,
  parseGraph,
} from '../../engine/index.ts';
import { cnnForImages } from './cnnTemplate.ts';

const xor = () => parseGraph(JSON.parse(readFileSync('public/examples/xor.json', 'utf8')));

describe('a CNN for these images', () => {
  it('compiles for images of any size and channels, with the loss their classes need', () => {
    for (const [shape, target, loss] of [
      [[64, 64, 3], [1], 'binary_cross_entropy'],
      [[32, 32, 3], [4], 'cross_entropy'],
      [[28, 28, 1], [10], 'cross_entropy'],
      [[3, 5, 1], [1], 'binary_cross_entropy'],
    ] as const) {
      const cnn = cnnForImages(xor(), shape, target, 'CNN')!;
      const a = analyzeGraph(cnn, { inputShape: [...shape], targetShape: [...target] });
      expect(a.problems, JSON.stringify(shape)).toEqual([]);
      expect(cnn.nodes.find((n) => n.type === 'loss')?.data).toEqual({ fn: loss });
      expect(cnn.nodes.some((n) => n.type === 'conv2d')).toBe(true);
      expect(parseGraph(JSON.parse(JSON.stringify(cnn))).nodes).toHaveLength(cnn.nodes.length);
    }
    expect(cnnForImages(xor(), [2], [1], 'CNN')).toBeNull();
  });

  it('keeps the Input and its data; on the cat/non-cat fixture it learns (≥ 90% test accuracy)', async () => {
    const { train, test } = await makeCatFixture({ train: 60, test: 30 });
    const doc = xor();
    const input = doc.nodes.find((n) => n.type === 'input')!;
    if (input.type === 'input') input.data.dataset = await hdf5Dataset(train, { test });
    const cnn = cnnForImages(doc, [64, 64, 3], [1], 'Cat CNN')!;
    expect(cnn.nodes[0]).toEqual(input);
    cnn.training.epochs = 8;
    const spec = input.type === 'input' ? input.data.dataset! : (undefined as never);
    const trainer = createTrainer(cnn, loadDataset(spec, { seed: 1 }));
    while (trainer.epoch < cnn.training.epochs) trainer.trainEpoch();
    expect(trainer.evaluate().testAccuracy).toBeGreaterThanOrEqual(0.9);
  });
});
