// The largest model the format allows round-trips within the one document size limit (issue 10,
// item 6): the CLI writes it, the CLI and the app read it back.
import { describe, expect, it } from 'vitest';
import { analyzeGraph } from '../compiler/analyze.ts';
import { compile } from '../compiler/compile.ts';
import { loadDataset } from '../datasets/index.ts';
import { createOptimizer } from '../optim/optimizers.ts';
import { parseGraph } from './parse.ts';
import { serializeGraph } from './serialize.ts';
import { documentSizeProblem, MAX_DOCUMENT_BYTES } from './size.ts';
import { chain, type Layer } from '../testing/chain.ts';
import { type DatasetSpec, type GraphDoc, MAX_PARAMETERS } from './types.ts';

const FEATURES = 1723;
const UNITS = 2151;
const HIDDEN = 11;

/**
 * Exactly MAX_PARAMETERS parameters in layers small enough that no product needs a large buffer:
 * 3 CSV rows of 1723 features → 11 × Dense(2151) (3,708,324 + 10 × 4,628,952) → Dense(1) (2152)
 * → 2 × Dense(1) (2 each) → Loss.
 */
function largestModel(): GraphDoc {
  const header = [...Array.from({ length: FEATURES }, (_, i) => `f${i}`), 'y'].join(',');
  const row = (r: number) => [...Array.from({ length: FEATURES }, (_, i) => ((i * 7 + r * 3) % 11) / 10), r].join(',');
  const dataset: DatasetSpec = { kind: 'csv', text: `${header}\n${row(0)}\n${row(1)}\n${row(2)}\n`, target: 'y' };
  const layers: Layer[] = [
    ...Array.from({ length: HIDDEN }, (): Layer => ['dense', UNITS]),
    ['dense', 1],
    ['dense', 1],
    ['dense', 1],
  ];
  const doc = chain(dataset, layers, 2);
  doc.training.optimizer = { type: 'sgd', learningRate: 0.001 };
  return doc;
}

describe('one document size limit', () => {
  it('a model of exactly MAX_PARAMETERS trains a step, serialises within MAX_DOCUMENT_BYTES and predicts the same after parsing', () => {
    const doc = largestModel();
    const analysis = analyzeGraph(doc);
    expect(analysis.problems).toEqual([]);
    expect(analysis.totalParams).toBe(MAX_PARAMETERS);
    const data = loadDataset(doc.nodes[0]!.type === 'input' ? doc.nodes[0].data.dataset! : { kind: 'xor' }, {
      seed: 1,
    });
    // NOTE: in a function, so the trained model can be collected before the document is read back.
    const trainAndWrite = () => {
      const model = compile(doc);
      createOptimizer(doc.training.optimizer, model.params).step(model.lossAndGrads(data.train.x, data.train.y).grads);
      // As the CLI writes --out: indented JSON, one string.
      return {
        text: `${JSON.stringify(serializeGraph(doc, model), null, 2)}\n`,
        before: model.predict(data.test.x).data.slice(),
      };
    };
    const { text, before } = trainAndWrite();
    expect(text.length).toBeLessThanOrEqual(MAX_DOCUMENT_BYTES);
    expect(documentSizeProblem(text.length)).toBeNull();
    const after = compile(parseGraph(JSON.parse(text))).predict(data.test.x).data;
    expect([...after]).toEqual([...before]);
  });

  it('a larger file is refused with one message, in English and Japanese', () => {
    expect(documentSizeProblem(MAX_DOCUMENT_BYTES)).toBeNull();
    const p = documentSizeProblem(400_000_000)!;
    expect(p).toMatchObject({ path: '(file)', code: 'format.too-large' });
    expect(p.message).toBe(
      'the file is 400 MB, more than the 376.7 MB a nodegrad document may hold (50,000,000 parameters with their weights, a CSV and the graph)',
    );
  });
});
