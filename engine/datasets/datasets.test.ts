import { describe, expect, it } from 'vitest';
import type { DatasetSpec } from '../format/types.ts';
import { loadMnistFile } from '../node.ts';
import { datasetShapes, loadDataset } from './index.ts';
import { decodeMnist } from './mnist.ts';
import { datasetSummary } from '../data/summary.ts';

describe('datasets', () => {
  it('logic gates: the 4 points, train = test', () => {
    const d = loadDataset({ kind: 'xor' }, { seed: 1 });
    expect([...d.train.x.data]).toEqual([0, 0, 0, 1, 1, 0, 1, 1]);
    expect([...d.train.y.data]).toEqual([0, 1, 1, 0]);
    expect([...loadDataset({ kind: 'and' }, { seed: 1 }).test.y.data]).toEqual([0, 0, 0, 1]);
    expect([...loadDataset({ kind: 'or' }, { seed: 1 }).test.y.data]).toEqual([0, 1, 1, 1]);
  });

  it('function: seeded samples in the domain, y = f(x), 80/20 split', () => {
    const spec: DatasetSpec = { kind: 'function', expr: 'x^3 - 2.5*x^2', domain: [0, 3], samples: 100 };
    const d = loadDataset(spec, { seed: 4 });
    expect(d.train.x.shape).toEqual([80, 1]);
    expect(d.test.x.shape).toEqual([20, 1]);
    for (let i = 0; i < 80; i++) {
      const x = d.train.x.data[i]!;
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(3);
      expect(d.train.y.data[i]).toBeCloseTo(x ** 3 - 2.5 * x ** 2, 4);
    }
    expect([...loadDataset(spec, { seed: 4 }).train.x.data]).toEqual([...d.train.x.data]);
    expect(loadDataset(spec, { seed: 5 }).train.x.data[0]).not.toBe(d.train.x.data[0]);
    expect(() => loadDataset({ ...spec, expr: 'log(x)', domain: [-1, 1] }, { seed: 1 })).toThrow(/not finite at x = /);
  });

  it('2-D sets: balanced 0/1 labels, points near [-1, 1]²', () => {
    for (const kind of ['circle', 'spiral', 'gauss', 'xor_cloud'] as const) {
      const d = loadDataset({ kind, samples: 200, noise: 0.1 }, { seed: 1 });
      expect(d.train.x.shape).toEqual([160, 2]);
      const ones = [...d.train.y.data, ...d.test.y.data].filter((v) => v === 1).length;
      expect(ones, kind).toBeGreaterThan(70);
      expect(ones, kind).toBeLessThan(130);
      expect(Math.max(...d.train.x.data.map(Math.abs)), kind).toBeLessThan(2);
    }
  });

  it('xor_cloud labels follow the sign of x1·x2 without noise', () => {
    const d = loadDataset({ kind: 'xor_cloud', samples: 100, noise: 0 }, { seed: 2 });
    for (let i = 0; i < 80; i++)
      expect(d.train.y.data[i]).toBe(d.train.x.data[2 * i]! * d.train.x.data[2 * i + 1]! > 0 ? 1 : 0);
  });

  it('MNIST: real digits, one-hot or binary targets, seeded split', () => {
    const mnist = loadMnistFile();
    expect(mnist.count).toBe(10000);
    const d = loadDataset({ kind: 'mnist', train: 300, test: 100 }, { seed: 1, mnist });
    expect(d.train.x.shape).toEqual([300, 784]);
    expect(d.test.y.shape).toEqual([100, 10]);
    for (let r = 0; r < 300; r++) expect(d.train.y.data.subarray(r * 10, r * 10 + 10).reduce((a, b) => a + b)).toBe(1);
    expect(d.train.x.data.reduce((a, b) => Math.max(a, b), 0)).toBeLessThanOrEqual(1);
    const b = loadDataset({ kind: 'mnist', train: 1000, test: 10, binaryDigit: 3 }, { seed: 1, mnist });
    const threes = b.train.y.data.reduce((a, v) => a + v, 0);
    expect(threes).toBeGreaterThan(60);
    expect(threes).toBeLessThan(150);
    expect(() => decodeMnist(new Uint8Array(20))).toThrow(/wrong magic/);
    expect(() => loadDataset({ kind: 'mnist', train: 1, test: 1 }, { seed: 1 })).toThrow(/not loaded/);
  });

  it('a 0% test split holds nothing out: a 4-row AND CSV trains on all 4 and tests on the same rows', () => {
    const text = 'x1,x2,y\n0,0,0\n0,1,0\n1,0,0\n1,1,1\n';
    const spec = { kind: 'csv', text, target: 'y', testFraction: 0, standardize: false } as const;
    expect(datasetShapes(spec).trainSamples).toBe(4);
    const d = loadDataset(spec, { seed: 1 });
    expect(d.train.x.shape).toEqual([4, 2]);
    expect(d.test.x.shape).toEqual([4, 2]);
    const rows = (x: Float32Array) => [0, 1, 2, 3].map((r) => `${x[r * 2]},${x[r * 2 + 1]}`).sort();
    expect(rows(d.train.x.data)).toEqual(['0,0', '0,1', '1,0', '1,1']);
    expect(rows(d.test.x.data)).toEqual(rows(d.train.x.data));
    expect(datasetSummary(spec)).toBe(
      "4 rows, 2 features (not standardised), numeric target 'y', none held out (tested on the training rows)",
    );
    // Any other fraction still holds out at least one row and leaves at least one.
    expect(datasetShapes({ ...spec, testFraction: 0.01 }).trainSamples).toBe(3);
    expect(datasetShapes({ ...spec, testFraction: 0.9 }).trainSamples).toBe(1);
  });

  it('CSV: quoted fields, standardised features, one-hot categorical target, row/column errors', () => {
    const text = 'size,"colour, hue",label\n1,2,cat\n2,4,dog\n3,6,"cat"\n4,8,bird\n5,10,dog\n';
    const spec = { kind: 'csv', text, target: 'label', testFraction: 0.2 } as const;
    expect(datasetShapes(spec)).toEqual({ inputShape: [2], targetShape: [3], task: 'multiclass', trainSamples: 4 });
    const d = loadDataset(spec, { seed: 1 });
    expect(d.classNames).toEqual(['bird', 'cat', 'dog']);
    expect(d.featureNames).toEqual(['size', 'colour, hue']);
    expect(d.train.x.shape).toEqual([4, 2]);
    const col0 = [0, 1, 2, 3].map((r) => d.train.x.data[r * 2]!);
    expect(col0.reduce((a, b) => a + b) / 4).toBeCloseTo(0, 5);
    expect(datasetShapes({ kind: 'csv', text: 'a,b\n1,2\n3,4\n', target: 'b' })).toEqual({
      inputShape: [1],
      targetShape: [1],
      task: 'regression',
      trainSamples: 1,
    });
    expect(() => loadDataset({ kind: 'csv', text: 'a,b\n1,2\nx,4\n', target: 'b' }, { seed: 1 })).toThrow(
      "CSV row 3, column 'a' (1): 'x' is not a number",
    );
    expect(() => datasetShapes({ kind: 'csv', text: 'a,b\n1,2\n', target: 'c' })).toThrow("no column named 'c'");
    expect(() => datasetShapes({ kind: 'csv', text: 'a,b\n1,2,3\n', target: 'b' })).toThrow(
      'CSV row 2 has 3 fields, the header has 2',
    );
  });
});
