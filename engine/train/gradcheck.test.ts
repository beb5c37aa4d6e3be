import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Model } from '../compiler/types.ts';
import { compile } from '../compiler/compile.ts';
import { loadDataset } from '../datasets/index.ts';
import { parseGraph } from '../format/parse.ts';
import type { GraphDoc } from '../format/types.ts';
import { loadMnistFile } from '../node.ts';
import { createRng } from '../prng.ts';
import type { Tensor } from '../tensor.ts';
import { graph } from '../testing/checkGradients.ts';
import { gradientCheck } from './gradcheck.ts';

const example = (name: string) => parseGraph(JSON.parse(readFileSync(`public/examples/${name}.json`, 'utf8')));

/** The document's first training batch of its own dataset. */
function firstBatch(doc: GraphDoc): { x: Tensor; y: Tensor } {
  const input = doc.nodes.find((n) => n.type === 'input')!;
  const spec = input.type === 'input' ? input.data.dataset! : undefined;
  const data = loadDataset(spec!, {
    seed: doc.training.seed,
    mnist: spec?.kind === 'mnist' ? loadMnistFile() : undefined,
  });
  const rows = Math.min(doc.training.batchSize, data.train.x.shape[0]!);
  const head = (t: Tensor) => {
    const per = t.data.length / t.shape[0]!;
    return { shape: [rows, ...t.shape.slice(1)], data: t.data.slice(0, rows * per) };
  };
  return { x: head(data.train.x), y: head(data.train.y) };
}

/** Random features in ±[0.1, 1) and targets of the kind the loss expects. */
function randomBatch(batch: number, inputShape: number[], outSize: number, targets: 'uniform' | 'onehot' | 'binary') {
  const rng = createRng(5);
  const inSize = inputShape.reduce((a, b) => a * b, 1);
  const x = Float32Array.from({ length: batch * inSize }, () => rng.range(0.1, 1) * (rng.uniform() < 0.5 ? -1 : 1));
  const y = new Float32Array(batch * outSize);
  for (let r = 0; r < batch; r++) {
    if (targets === 'onehot') y[r * outSize + rng.int(outSize)] = 1;
    else for (let j = 0; j < outSize; j++) y[r * outSize + j] = targets === 'binary' ? rng.int(2) : rng.uniform();
  }
  return { x: { shape: [batch, ...inputShape], data: x }, y: { shape: [batch, outSize], data: y } };
}

describe('gradientCheck', () => {
  for (const name of readdirSync('public/examples').map((f) => f.replace(/\.json$/, ''))) {
    it(`${name}: every parameter's sampled gradient within 1e-3 of float64 central differences`, () => {
      const doc = example(name);
      const { x, y } = firstBatch(doc);
      const model = compile(doc);
      const entriesPerParam = 20; // the default
      const start = performance.now();
      const check = gradientCheck(doc, model, x, y);
      const ms = performance.now() - start;
      const checked = check.params.reduce((s, p) => s + p.checked, 0);
      console.log(
        `gradcheck ${name}: maxRelError ${check.maxRelError.toExponential(2)}, ${checked} entries, batch ${x.shape[0]}, ${ms.toFixed(0)} ms`,
      );
      expect(check.params.map((p) => p.key)).toEqual([...model.params.keys()]);
      for (const p of check.params) {
        expect(p.checked, p.key).toBe(Math.min(entriesPerParam, model.params.get(p.key)!.data.length));
        expect(p.maxRelError, `${p.key}: ${JSON.stringify(p.worst)}`).toBeLessThan(1e-3);
      }
      expect(check.maxRelError).toBe(Math.max(...check.params.map((p) => p.maxRelError)));
      expect(Math.abs(check.loss - check.referenceLoss)).toBeLessThan(1e-5 * Math.max(1, check.referenceLoss));
    });
  }

  it('a model whose gradient of one parameter is 10% too large is reported on that parameter only', () => {
    const doc = example('function-fit');
    const { x, y } = firstBatch(doc);
    const inner = compile(doc);
    const scaled = new Map<string, Tensor>();
    const wrapped: Model = {
      get params() {
        return inner.params;
      },
      buffers: inner.buffers,
      decayKeys: inner.decayKeys,
      info: inner.info,
      lossFn: inner.lossFn,
      fusedActivation: inner.fusedActivation,
      lossAndGrads(bx, by) {
        const { loss, grads } = inner.lossAndGrads(bx, by);
        for (const [k, t] of grads)
          scaled.set(k, { shape: t.shape, data: k === 'h.W' ? t.data.map((v) => v * 1.1) : t.data });
        return { loss, grads: scaled };
      },
      predict: (bx) => inner.predict(bx),
      loss: (bx, by) => inner.loss(bx, by),
      activations: () => inner.activations(),
      outputGrads: () => inner.outputGrads(),
      dropoutMasks: () => inner.dropoutMasks(),
      findNonFinite: () => inner.findNonFinite(),
    };
    const check = gradientCheck(doc, wrapped, x, y);
    const byKey = new Map(check.params.map((p) => [p.key, p]));
    // |1.1 a − a| / |1.1 a| = 0.1 / 1.1
    expect(byKey.get('h.W')!.maxRelError).toBeCloseTo(0.1 / 1.1, 4);
    for (const key of ['h.b', 'o.W', 'o.b']) expect(byKey.get(key)!.maxRelError, key).toBeLessThan(1e-3);
    expect(check.maxRelError).toBe(byKey.get('h.W')!.maxRelError);
    expect(gradientCheck(doc, inner, x, y).maxRelError).toBeLessThan(1e-3);
  });

  it('dropout: the reference applies the masks of the analytic pass', () => {
    const doc = graph(
      [
        ['in', 'input'],
        ['h', 'dense', { units: 6 }],
        ['a', 'activation', { fn: 'tanh' }],
        ['d', 'dropout', { rate: 0.4 }],
        ['o', 'dense', { units: 2 }],
        ['L', 'loss', { fn: 'mse' }],
      ],
      [
        ['in', 'h'],
        ['h', 'a'],
        ['a', 'd'],
        ['d', 'o'],
        ['o', 'L.pred'],
        ['in.y', 'L.target'],
      ],
    );
    const model = compile(doc, { inputShape: [3], targetShape: [2], seed: 4 });
    const { x, y } = randomBatch(5, [3], 2, 'uniform');
    const check = gradientCheck(doc, model, x, y, { entriesPerParam: 100 });
    const mask = model.dropoutMasks().get('d')!.data;
    expect(mask.some((m) => m === 0)).toBe(true);
    expect(mask.every((m) => m === 0 || Math.abs(m - 1 / 0.6) < 1e-6)).toBe(true);
    // Without the same mask the two losses would differ by far more than float32 rounding.
    expect(Math.abs(check.loss - check.referenceLoss)).toBeLessThan(1e-6);
    expect(Math.abs(check.loss - model.loss(x, y))).toBeGreaterThan(1e-3);
    expect(check.maxRelError).toBeLessThan(1e-3);
    expect(check.params.reduce((s, p) => s + p.checked, 0)).toBe(3 * 6 + 6 + 6 * 2 + 2);
  });

  it('flatten, add and concat with fan-out, every activation, and every loss (plain and fused)', () => {
    const losses = [
      ['squared_error', 'sigmoid', 'uniform'],
      ['mse', 'identity', 'uniform'],
      ['cross_entropy', 'softmax', 'onehot'],
      ['binary_cross_entropy', 'sigmoid', 'binary'],
      // guarded (unfused) forms: an identity between the activation and the loss
      ['cross_entropy', 'softmax+identity', 'onehot'],
      ['binary_cross_entropy', 'sigmoid+identity', 'binary'],
    ] as const;
    for (const [fn, last, targets] of losses) {
      const [act, extra] = last.split('+') as [string, string | undefined];
      const doc = graph(
        [
          ['in', 'input'],
          ['f', 'flatten'],
          ['h', 'dense', { units: 4 }],
          ['r', 'activation', { fn: 'relu' }],
          ['l', 'activation', { fn: 'leaky_relu' }],
          ['t', 'activation', { fn: 'tanh' }],
          ['s', 'activation', { fn: 'softmax' }],
          ['sum', 'add'],
          ['cat', 'concat'],
          ['cat2', 'concat'],
          ['o', 'dense', { units: 3 }],
          ['p', 'activation', { fn: act }],
          ...(extra ? [['q', 'activation', { fn: extra }] as [string, 'activation', { fn: string }]] : []),
          ['L', 'loss', { fn }],
        ],
        [
          ['in', 'f'],
          ['f', 'h'],
          ['h', 'r'],
          ['h', 'l'],
          ['h', 't'],
          ['h', 's'],
          ['r', 'sum.a'],
          ['l', 'sum.b'],
          ['sum', 'cat.a'],
          ['t', 'cat.b'],
          ['cat', 'cat2.a'],
          ['s', 'cat2.b'],
          ['cat2', 'o'],
          ['o', 'p'],
          ...(extra
            ? ([
                ['p', 'q'],
                ['q', 'L.pred'],
              ] as [string, string][])
            : [['p', 'L.pred'] as [string, string]]),
          ['in.y', 'L.target'],
        ],
      );
      const model = compile(doc, { inputShape: [2, 3], targetShape: [3], seed: 2 });
      expect(model.fusedActivation, fn).toBe(extra || fn === 'squared_error' || fn === 'mse' ? null : act);
      const { x, y } = randomBatch(4, [2, 3], 3, targets);
      const check = gradientCheck(doc, model, x, y, { entriesPerParam: 1000 });
      expect(check.params.reduce((s, p) => s + p.checked + p.skipped, 0)).toBe(6 * 4 + 4 + 12 * 3 + 3);
      expect(check.maxRelError, `${fn} after ${last}: ${JSON.stringify(check.params)}`).toBeLessThan(1e-3);
    }
  });

  it('a relu kink at exactly 0 (zero weights) is differenced on the smooth side, matching relu′(0) = 1', () => {
    const doc = graph(
      [
        ['in', 'input'],
        ['h', 'dense', { units: 3, init: 'zeros' }],
        ['r', 'activation', { fn: 'relu' }],
        ['o', 'dense', { units: 1 }],
        ['L', 'loss', { fn: 'squared_error' }],
      ],
      [
        ['in', 'h'],
        ['h', 'r'],
        ['r', 'o'],
        ['o', 'L.pred'],
        ['in.y', 'L.target'],
      ],
    );
    const model = compile(doc, { inputShape: [2], targetShape: [1] });
    const { x, y } = randomBatch(3, [2], 1, 'uniform');
    const check = gradientCheck(doc, model, x, y);
    const hb = check.params.find((p) => p.key === 'h.b')!;
    // Every h.b entry puts the relu inputs exactly on the kink: −h crosses it, +h does not.
    expect(hb.oneSided).toBe(3);
    expect(hb.worst.analytic).not.toBe(0);
    expect(check.maxRelError).toBeLessThan(1e-3);
  });

  it('rejects a bad entriesPerParam and a model without the graph’s parameters', () => {
    const doc = example('xor');
    const { x, y } = firstBatch(doc);
    expect(() => gradientCheck(doc, compile(doc), x, y, { entriesPerParam: 0 })).toThrow(/entriesPerParam/);
    const other = compile(example('and'));
    expect(() => gradientCheck(doc, other, x, y)).toThrow();
  });
});
