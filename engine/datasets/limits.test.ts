// Datasets that cannot be used as given get a precise, typed problem (issue 10, items 5 and 9):
// too many categories, values float32 cannot hold; and a CSV is parsed once per text.
import { describe, expect, it } from 'vitest';
import { analyzeGraph } from '../compiler/analyze.ts';
import { compile } from '../compiler/compile.ts';
import type { DatasetSpec, GraphDoc } from '../format/types.ts';
import { problemMessage } from '../nodes/index.ts';
import { chain } from '../testing/chain.ts';
import { checkCsvSpec, csvSpec } from '../data/csv.ts';
import { datasetSummary } from '../data/summary.ts';
import { csvParseCount, MAX_ONE_HOT_VALUES, rememberCsvFacts } from './csv.ts';
import { DatasetError, MAX_CLASSES } from './errors.ts';
import { datasetShapes, loadDataset } from './index.ts';

/** A CSV with `rows` rows whose label column cycles through `classes` categories. */
function labelled(rows: number, classes: number): string {
  const lines = ['a,b,label'];
  for (let i = 0; i < rows; i++) lines.push(`${i % 7},${i % 13},c${i % classes}`);
  return `${lines.join('\n')}\n`;
}

function thrown(f: () => unknown): DatasetError {
  try {
    f();
  } catch (e) {
    if (e instanceof DatasetError) return e;
    throw e;
  }
  throw new Error('expected a DatasetError');
}

/** Input → Dense(1) → Loss with the given dataset. */
const docWith = (dataset: DatasetSpec): GraphDoc => chain(dataset, [['dense', 1]], 8);

describe('dataset limits', () => {
  it(`a categorical CSV target with more than ${MAX_CLASSES} categories is a problem naming the column`, () => {
    const text = labelled(MAX_CLASSES + 1, MAX_CLASSES + 1);
    const e = thrown(() => datasetShapes({ kind: 'csv', text, target: 'label' }));
    expect(e.code).toBe('dataset.too-many-classes');
    expect(e.params).toMatchObject({ column: 'label', count: MAX_CLASSES + 1, limit: MAX_CLASSES });
    expect(e.message).toBe(
      "The CSV target column 'label' has 1,001 different categories, more than the limit of 1,000 (each category is one output): choose a column with fewer categories, or treat it as numeric",
    );
    const analysis = analyzeGraph(docWith({ kind: 'csv', text, target: 'label' }));
    expect(analysis.problems.map((p) => [p.code, p.nodeId])).toEqual([['dataset.too-many-classes', 'in']]);
    expect(problemMessage('dataset.too-many-classes', analysis.problems[0]!.params, 'ja')).toContain('「label」');
    expect(() => compile(docWith({ kind: 'csv', text, target: 'label' }))).toThrow(/1,001 different categories/);
  });

  it('rows × categories of a one-hot target are bounded; up to the limits a CSV loads fast', () => {
    const rows = Math.floor(MAX_ONE_HOT_VALUES / MAX_CLASSES) + 1;
    const e = thrown(() => datasetShapes({ kind: 'csv', text: labelled(rows, MAX_CLASSES), target: 'label' }));
    expect(e.code).toBe('dataset.one-hot-too-large');
    expect(e.params).toMatchObject({ rows, count: MAX_CLASSES, limit: MAX_ONE_HOT_VALUES });
    // NOTE: looked up in a Map, not with indexOf per row (50k labels took 32 s and 9.8 GB before).
    const started = performance.now();
    const d = loadDataset({ kind: 'csv', text: labelled(20_000, MAX_CLASSES), target: 'label' }, { seed: 1 });
    expect(performance.now() - started).toBeLessThan(5000);
    expect(d.targetShape).toEqual([MAX_CLASSES]);
    for (let r = 0; r < 50; r++) {
      const row = d.train.y.data.subarray(r * MAX_CLASSES, (r + 1) * MAX_CLASSES);
      expect(row.reduce((a, b) => a + b)).toBe(1);
    }
  });

  it('an unchanged CSV is parsed once, however often the document is analysed', () => {
    const spec: DatasetSpec = { kind: 'csv', text: 'a,b\n1,2\n3,4\n5,6\n', target: 'b' };
    const doc = docWith(spec);
    analyzeGraph(doc);
    const before = csvParseCount();
    analyzeGraph(doc);
    analyzeGraph(structuredClone(doc));
    compile(doc);
    loadDataset(spec, { seed: 2 });
    expect(csvParseCount()).toBe(before);
    analyzeGraph(docWith({ ...spec, text: 'a,b\n1,2\n3,4\n5,7\n' }));
    expect(csvParseCount()).toBe(before + 1);
  });

  it('facts a worker read from a CSV spare this thread the parse: analysis and the summary take them, training still parses', () => {
    const text = 'a,b,kind\n1,2,x\n3,4,y\n5,6,x\n7,8,z\n';
    const spec = csvSpec(text, { target: 'kind', testFraction: 0.25 });
    // What a worker returns (computed there from its own copy of the text).
    const facts = checkCsvSpec(csvSpec(text.slice(0, 1) + text.slice(1), { target: 'kind', testFraction: 0.25 }));
    expect(facts).toEqual({
      header: ['a', 'b', 'kind'],
      rowCount: 4,
      featureColumns: [0, 1],
      targetColumn: 2,
      categorical: true,
      classNames: ['x', 'y', 'z'],
    });
    // A text this thread has not parsed: remembered facts answer shapes and the summary.
    const fresh = csvSpec(`${text}9,10,x\n`, { target: 'kind', testFraction: 0.25 });
    rememberCsvFacts(fresh, { ...facts, rowCount: 5 });
    const before = csvParseCount();
    expect(datasetShapes(fresh)).toEqual({ inputShape: [2], targetShape: [3], task: 'multiclass', trainSamples: 4 });
    expect(datasetSummary(fresh)).toBe('5 rows, 2 features, 3 classes (x, y, z), test 1 (25% held out)');
    analyzeGraph(docWith(fresh));
    expect(csvParseCount()).toBe(before);
    // Another column choice of the same text was not remembered: it parses.
    datasetShapes({ ...fresh, target: 'b', features: ['a'] });
    expect(csvParseCount()).toBe(before + 1);
    expect(loadDataset(fresh, { seed: 1 }).train.x.shape).toEqual([4, 2]);
    expect(spec.text).toBe(text);
  });

  it('a function whose values float32 cannot hold is a problem naming the expression, not "log of 0?"', () => {
    const spec: DatasetSpec = { kind: 'function', expr: '1e39+x', domain: [0, 1], samples: 50 };
    const e = thrown(() => loadDataset(spec, { seed: 1 }));
    expect(e.code).toBe('dataset.not-finite');
    expect(e.params).toMatchObject({ expr: '1e39+x', value: '1e+39', what: 'target' });
    expect(e.message).toMatch(/^f\(x\) = 1e39\+x is not finite at x = [\d.]+ \(1e\+39\); training data must be finite/);
    const analysis = analyzeGraph(docWith(spec));
    expect(analysis.problems.map((p) => [p.code, p.nodeId])).toEqual([['dataset.not-finite', 'in']]);
    expect(problemMessage('dataset.not-finite', analysis.problems[0]!.params, 'ja')).toContain('1e39+x');
    const wide = thrown(() => datasetShapes({ ...spec, expr: 'x', domain: [-1e39, 1e39] }));
    expect(wide.params).toMatchObject({ what: 'input' });
    // The noise counts too; a function only undefined at 0 of a symmetric domain is still fine.
    expect(thrown(() => loadDataset({ ...spec, expr: 'x', noise: 1e300 }, { seed: 1 })).code).toBe(
      'dataset.not-finite',
    );
    expect(analyzeGraph(docWith({ ...spec, expr: 'sin(x)/x', domain: [-5, 5] })).problems).toEqual([]);
  });

  it('a CSV number beyond float32 names its row and column', () => {
    const e = thrown(() => loadDataset({ kind: 'csv', text: 'a,b\n1,2\n1e39,4\n', target: 'b' }, { seed: 1 }));
    expect(e.code).toBe('dataset.csv-out-of-range');
    expect(e.message).toBe(
      "CSV row 3, column 'a': 1e39 is beyond what float32 training data can hold (within ±3.4e38)",
    );
  });

  it('targets that are not finite are named as such when the loss is not finite', () => {
    const model = compile(docWith({ kind: 'xor' }));
    model.lossAndGrads(
      { shape: [2, 2], data: new Float32Array(4) },
      { shape: [2, 1], data: Float32Array.from([0, Infinity]) },
    );
    expect(model.findNonFinite()).toEqual({
      nodeId: 'L',
      where: 'loss',
      message: "the targets fed to Loss 'L' hold Infinity: check the dataset",
    });
  });
});
