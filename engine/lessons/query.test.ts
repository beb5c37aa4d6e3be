import { describe, expect, it } from 'vitest';
import type { GraphDoc } from '../format/types.ts';
import { graph } from '../testing/checkGradients.ts';
import { checkLesson, findLesson } from './index.ts';
import { queryGraph } from './query.ts';
import { train } from './testing/solutions.ts';

/** XOR with 7 parameters: one hidden sigmoid unit, and the output neuron also sees the inputs (a Concat). */
function skipXor(): GraphDoc {
  const doc = graph(
    [
      ['in', 'input', { dataset: { kind: 'xor' } }],
      ['__proto__', 'dense', { units: 1, init: 'uniform', scale: 1 }],
      ['constructor', 'activation', { fn: 'sigmoid' }],
      ['toString', 'concat', {}],
      ['o', 'dense', { units: 1, init: 'uniform', scale: 1 }],
      ['oa', 'activation', { fn: 'sigmoid' }],
      ['L', 'loss', { fn: 'squared_error' }],
    ],
    [
      ['in', '__proto__'],
      ['__proto__', 'constructor'],
      ['constructor', 'toString.a'],
      ['in', 'toString.b'],
      ['toString', 'o'],
      ['o', 'oa'],
      ['oa', 'L.pred'],
      ['in.y', 'L.target'],
    ],
  );
  return { ...doc, training: { optimizer: { type: 'sgd', learningRate: 2 }, batchSize: 4, epochs: 3000, seed: 1 } };
}

describe('queryGraph', () => {
  it("follows the main path back from the Loss's pred through each node's first input (a Concat's a)", () => {
    const q = queryGraph(skipXor());
    expect(q.connected).toBe(true);
    expect(q.targetWired).toBe(true);
    expect(q.path.map((n) => n.id)).toEqual(['__proto__', 'constructor', 'toString', 'o', 'oa']);
    expect(q.layers.map((l) => [l.node.id, l.units, l.activation])).toEqual([
      ['__proto__', 1, 'sigmoid'],
      ['o', 1, 'sigmoid'],
    ]);
    expect([q.task, q.lossFn, q.inputShape]).toEqual(['binary', 'squared_error', [2]]);
  });

  it('while there is no Loss yet, follows the Input forward; a layer without activation says so', () => {
    const doc = graph(
      [
        ['in', 'input', { dataset: { kind: 'function', expr: 'x^2', domain: [0, 1], samples: 20 } }],
        ['a', 'dense', { units: 3 }],
        ['b', 'dense', { units: 1 }],
      ],
      [
        ['in', 'a'],
        ['a', 'b'],
      ],
    );
    const q = queryGraph(doc);
    expect(q.connected).toBe(false);
    expect(q.layers.map((l) => [l.node.id, l.units, l.activation])).toEqual([
      ['a', 3, null],
      ['b', 1, null],
    ]);
    expect(q.task).toBe('regression');
  });

  it('the 7-parameter XOR trains below 0.01 and scores 7 in the fewest-parameters challenge', () => {
    const doc = skipXor();
    const check = checkLesson(findLesson('xor-fewest')!, { doc, run: train(doc) });
    expect(check).toMatchObject({ done: true, score: 7 });
  });
});
