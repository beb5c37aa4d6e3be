import { describe, expect, it } from 'vitest';
import { GraphFormatError, parseGraph } from '../format/parse.ts';
import { serializeGraph } from '../format/serialize.ts';
import type { DatasetSpec } from '../format/types.ts';
import { graph } from '../testing/checkGradients.ts';
import { decodeArray, encodeArray } from './arrays.ts';
import { datasetShapes, loadDataset } from './index.ts';

type ArraysSpec = Extract<DatasetSpec, { kind: 'arrays' }>;

/** N images 2×2×1 whose pixels are the sample's index, labels cycling through `classes`. */
function images(n: number, classes = 2): ArraysSpec {
  const x = Uint8Array.from({ length: n * 4 }, (_, i) => Math.floor(i / 4));
  const y = Float32Array.from({ length: n }, (_, i) => i % classes);
  return { kind: 'arrays', x: encodeArray(x, [n, 2, 2, 1]), y: encodeArray(y, [n]) };
}

const docWith = (dataset: ArraysSpec) =>
  graph(
    [
      ['in', 'input', { dataset }],
      ['f', 'flatten', {}],
      ['d', 'dense', { units: 1 }],
      ['L', 'loss', { fn: 'mse' }],
    ],
    [
      ['in', 'f'],
      ['f', 'd'],
      ['d', 'L.pred'],
      ['in.y', 'L.target'],
    ],
  );

/** The problems parseGraph reports for a document with this dataset, as "path: message". */
function problems(dataset: ArraysSpec): string[] {
  try {
    parseGraph(JSON.parse(JSON.stringify(docWith(dataset))));
  } catch (e) {
    if (e instanceof GraphFormatError) return e.problems.map((p) => `${p.path}: ${p.message}`);
    throw e;
  }
  return [];
}

describe('arrays datasets', () => {
  it('two classes give one 0/1 target, x scaled by 1/255, images described, a seeded 80/20 split', () => {
    const spec = { ...images(10), classNames: ['non-cat', 'cat'] };
    expect(datasetShapes(spec)).toEqual({ inputShape: [2, 2, 1], targetShape: [1], task: 'binary', trainSamples: 8 });
    const d = loadDataset(spec, { seed: 3 });
    expect(d.train.x.shape).toEqual([8, 2, 2, 1]);
    expect(d.test.y.shape).toEqual([2, 1]);
    expect(d.classNames).toEqual(['non-cat', 'cat']);
    expect(d.image).toEqual({ height: 2, width: 2, channels: 1 });
    // each sample's pixels are its index / 255 and its label is index % 2
    for (let r = 0; r < 8; r++) {
      const index = Math.round(d.train.x.data[r * 4]! * 255);
      expect(d.train.x.data[r * 4 + 3]).toBeCloseTo(index / 255, 7);
      expect(d.train.y.data[r]).toBe(index % 2);
    }
    expect([...loadDataset(spec, { seed: 3 }).test.x.data]).toEqual([...d.test.x.data]);
  });

  it('more classes give one-hot rows named "0", "1", …; testX/testY are the test split as given', () => {
    const train = images(6, 3);
    const test = images(3, 3);
    const spec: ArraysSpec = { ...train, scale: 1, testX: test.x, testY: test.y };
    const d = loadDataset(spec, { seed: 1 });
    expect(d.task).toBe('multiclass');
    expect(d.classNames).toEqual(['0', '1', '2']);
    expect(d.train.x.shape).toEqual([6, 2, 2, 1]);
    expect([...d.test.y.data]).toEqual([1, 0, 0, 0, 1, 0, 0, 0, 1]);
    expect(d.test.x.data[8]).toBe(2); // scale 1: raw pixel values
  });

  it('testFraction 0 trains on every row and tests on the same rows', () => {
    const spec: ArraysSpec = { ...images(5, 2), scale: 1, testFraction: 0 };
    expect(datasetShapes(spec).trainSamples).toBe(5);
    const d = loadDataset(spec, { seed: 1 });
    expect(d.train.x.shape[0]).toBe(5);
    expect(d.test.x.shape[0]).toBe(5);
  });

  it('[N, k] float targets are regression', () => {
    const x = new Float32Array([1, 2, 3, 4, 5, 6]);
    const y = new Float32Array([0.5, -1, 2, 3, 4, 5]);
    const spec: ArraysSpec = {
      kind: 'arrays',
      x: encodeArray(x, [3, 2]),
      y: encodeArray(y, [3, 2]),
      testFraction: 0.34,
    };
    expect(datasetShapes(spec)).toMatchObject({
      inputShape: [2],
      targetShape: [2],
      task: 'regression',
      trainSamples: 2,
    });
    expect(loadDataset(spec, { seed: 1 }).image).toBeUndefined();
  });

  it('round-trips through serializeGraph and parseGraph bit-identically; a 12 MB x decodes in < 0.5 s', () => {
    const n = 1000;
    const x = new Uint8Array(n * 64 * 64 * 3);
    for (let i = 0; i < x.length; i++) x[i] = (i * 2654435761) >>> 24;
    const spec: ArraysSpec = {
      kind: 'arrays',
      x: encodeArray(x, [n, 64, 64, 3]),
      y: encodeArray(
        Float32Array.from({ length: n }, (_, i) => i & 1),
        [n],
      ),
    };
    const text = JSON.stringify(serializeGraph(docWith(spec)));
    const back = parseGraph(JSON.parse(text)).nodes[0]!;
    const got = back.type === 'input' && back.data.dataset?.kind === 'arrays' ? back.data.dataset : undefined;
    expect(got?.x.shape).toEqual([n, 64, 64, 3]);
    const started = performance.now();
    const decoded = decodeArray(got!.x);
    const seconds = (performance.now() - started) / 1000;
    expect(Buffer.compare(Buffer.from(decoded), Buffer.from(x))).toBe(0);
    expect(seconds).toBeLessThan(0.5);
  });

  it('names the path of a wrong byte count, a sample-count mismatch and a non-integer label', () => {
    const ok = images(4);
    expect(problems(ok)).toEqual([]);
    const short = { ...ok, x: { ...ok.x, shape: [4, 2, 2, 2] } };
    expect(problems(short)).toEqual([
      'nodes[0].data.dataset.x.base64: x holds 16 bytes but uint8 of shape [4, 2, 2, 2] needs 32',
    ]);
    const fewer = { ...ok, y: encodeArray(new Float32Array([0, 1, 0]), [3]) };
    expect(problems(fewer)).toEqual([
      'nodes[0].data.dataset.y.shape[0]: y has 3 samples but x has 4; they must be the same',
    ]);
    const half = { ...ok, y: encodeArray(new Float32Array([0, 1, 0.5, 1]), [4]) };
    expect(problems(half)).toEqual(['nodes[0].data.dataset.y: y[2] is 0.5; class labels must be whole numbers ≥ 0']);
    expect(() => datasetShapes(half)).toThrow('y[2] is 0.5; class labels must be whole numbers ≥ 0');
    const negative = { ...ok, y: encodeArray(new Float32Array([0, -1, 0, 1]), [4]) };
    expect(problems(negative)).toEqual(['nodes[0].data.dataset.y: y[1] is -1; class labels must be whole numbers ≥ 0']);
  });

  it('names unpaired test arrays, a test sample shape unlike x, a label beyond classNames and one sample', () => {
    const ok = images(4);
    const other = images(2);
    expect(problems({ ...ok, testX: other.x })).toEqual([
      'nodes[0].data.dataset.testX: testX is given without testY; a test split needs both',
    ]);
    const wide = encodeArray(new Uint8Array(2 * 6), [2, 3, 2, 1]);
    expect(problems({ ...ok, testX: wide, testY: other.y })).toEqual([
      "nodes[0].data.dataset.testX.shape: testX's samples are [3, 2, 1] but x's are [2, 2, 1]; they must be the same",
    ]);
    expect(problems({ ...images(4, 3), classNames: ['a', 'b'] })).toEqual([
      'nodes[0].data.dataset.classNames: y holds label 2 but classNames names only 2 classes (0 to 1)',
    ]);
    expect(problems(images(1))).toEqual(['nodes[0].data.dataset.x.shape[0]: x has 1 samples; it needs at least 2']);
    expect(problems({ ...ok, x: { dtype: 'uint8', shape: [4], base64: 'AAAAAA==' } })).toEqual([
      'nodes[0].data.dataset.x.shape: x has shape [4]; it must be [N, …]',
    ]);
  });
});
