import { describe, expect, it } from 'vitest';
import { compile } from '../compiler/compile.ts';
import type { ActivationFn, LossFn } from '../format/types.ts';
import { checkGradients, graph } from '../testing/checkGradients.ts';

const chain = (fn: ActivationFn, loss: LossFn = 'mse', units = 3) =>
  graph(
    [
      ['in', 'input'],
      ['h', 'dense', { units: 4 }],
      ['a', 'activation', { fn }],
      ['o', 'dense', { units }],
      ['L', 'loss', { fn: loss }],
    ],
    [
      ['in', 'h'],
      ['h', 'a'],
      ['a', 'o'],
      ['o', 'L.pred'],
      ['in.y', 'L.target'],
    ],
  );

describe('every op backward matches central differences of the float64 reference', () => {
  for (const fn of ['identity', 'relu', 'leaky_relu', 'sigmoid', 'tanh', 'softmax'] as const) {
    it(`activation ${fn}`, () => {
      expect(checkGradients(chain(fn), [5], [3])).toBe(5 * 4 + 4 + 4 * 3 + 3);
    });
    it(`activation ${fn} with a batch of 1`, () => {
      expect(checkGradients(chain(fn), [5], [3], { batch: 1, seed: 3 })).toBeGreaterThan(0);
    });
  }

  const lossCase = (loss: LossFn, last: ActivationFn | null, targets: 'uniform' | 'onehot' | 'binary') => {
    const nodes: Parameters<typeof graph>[0] = [
      ['in', 'input'],
      ['h', 'dense', { units: 3 }],
      ['L', 'loss', { fn: loss }],
    ];
    const edges: Parameters<typeof graph>[1] = [
      ['in', 'h'],
      ['in.y', 'L.target'],
    ];
    if (last) {
      nodes.push(['p', 'activation', { fn: last }]);
      edges.push(['h', 'p'], ['p', 'L.pred']);
    } else edges.push(['h', 'L.pred']);
    return { doc: graph(nodes, edges), targets };
  };
  const losses: [string, ReturnType<typeof lossCase>][] = [
    ['squared_error', lossCase('squared_error', null, 'uniform')],
    ['mse', lossCase('mse', null, 'uniform')],
    ['cross_entropy fused with softmax', lossCase('cross_entropy', 'softmax', 'onehot')],
    ['binary_cross_entropy fused with sigmoid', lossCase('binary_cross_entropy', 'sigmoid', 'binary')],
  ];
  for (const [name, { doc, targets }] of losses) {
    it(`loss ${name}`, () => {
      expect(checkGradients(doc, [4], [3], { targets })).toBe(4 * 3 + 3);
    });
  }

  it('guarded cross-entropy and binary cross-entropy (not fused: identity in between)', () => {
    for (const [loss, act, targets] of [
      ['cross_entropy', 'softmax', 'onehot'],
      ['binary_cross_entropy', 'sigmoid', 'binary'],
    ] as const) {
      const doc = graph(
        [
          ['in', 'input'],
          ['h', 'dense', { units: 3 }],
          ['p', 'activation', { fn: act }],
          ['id', 'activation', { fn: 'identity' }],
          ['L', 'loss', { fn: loss }],
        ],
        [
          ['in', 'h'],
          ['h', 'p'],
          ['p', 'id'],
          ['id', 'L.pred'],
          ['in.y', 'L.target'],
        ],
      );
      expect(compile(doc, { inputShape: [4], targetShape: [3] }).fusedActivation).toBeNull();
      checkGradients(doc, [4], [3], { targets });
    }
  });

  it('add with the same value used twice, and fan-out into concat', () => {
    const doc = graph(
      [
        ['in', 'input'],
        ['h', 'dense', { units: 3 }],
        ['t', 'activation', { fn: 'tanh' }],
        ['s', 'add'],
        ['c', 'concat'],
        ['o', 'dense', { units: 2 }],
        ['L', 'loss', { fn: 'squared_error' }],
      ],
      [
        ['in', 'h'],
        ['h', 't'],
        ['t', 's.a'],
        ['t', 's.b'],
        ['s', 'c.a'],
        ['h', 'c.b'],
        ['c', 'o'],
        ['o', 'L.pred'],
        ['in.y', 'L.target'],
      ],
    );
    expect(checkGradients(doc, [4], [2])).toBe(4 * 3 + 3 + 6 * 2 + 2);
  });

  it('dense without bias has no b parameter and a correct W gradient', () => {
    const doc = chain('tanh');
    const h = doc.nodes.find((n) => n.id === 'h')!;
    if (h.type === 'dense') h.data.bias = false;
    expect(checkGradients(doc, [5], [3])).toBe(5 * 4 + 4 * 3 + 3);
  });

  it('NaN propagates to the loss and is reported at the node that produced it', () => {
    const model = compile(chain('relu'), { inputShape: [5], targetShape: [3] });
    model.params.get('o.W')!.data[2] = Number.NaN;
    const x = { shape: [2, 5], data: new Float32Array(10).fill(0.5) };
    const y = { shape: [2, 3], data: new Float32Array(6) };
    const { loss, grads } = model.lossAndGrads(x, y);
    expect(loss).toBeNaN();
    expect([...grads.get('h.W')!.data].some(Number.isNaN)).toBe(true);
    expect(model.findNonFinite()).toMatchObject({ nodeId: 'o', where: 'output' });
  });
});
