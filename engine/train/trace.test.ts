import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Model } from '../compiler/types.ts';
import type { TraceBackwardStep, TraceForwardStep, TraceStep } from './traceTypes.ts';
import { compile } from '../compiler/compile.ts';
import { loadDataset } from '../datasets/index.ts';
import { parseGraph } from '../format/parse.ts';
import { loadMnistFile } from '../node.ts';
import { createRng } from '../prng.ts';
import type { Tensor } from '../tensor.ts';
import { graph } from '../testing/checkGradients.ts';
import { gradientCheck } from './gradcheck.ts';
import { traceSample } from './trace.ts';

const example = (name: string) => parseGraph(JSON.parse(readFileSync(`public/examples/${name}.json`, 'utf8')));
const forwardOf = (steps: TraceStep[], id: string) =>
  steps.find((s): s is TraceForwardStep => s.phase === 'forward' && s.nodeId === id)!;
const backwardOf = (steps: TraceStep[], id: string) =>
  steps.find((s): s is TraceBackwardStep => s.phase === 'backward' && s.nodeId === id)!;
const list = (a: Float32Array | undefined) => [...(a ?? [])];

/** Every number the trace takes from the engine equals the engine's buffers after the same call. */
function expectEngineValues(model: Model, steps: TraceStep[]): void {
  const acts = model.activations();
  const outGrads = model.outputGrads();
  const order = model.info.nodes.map((n) => n.id);
  expect(steps.map((s) => `${s.phase} ${s.nodeId}`)).toEqual([
    ...order.map((id) => `forward ${id}`),
    ...[...order].reverse().map((id) => `backward ${id}`),
  ]);
  for (const s of steps) {
    const node = model.info.nodes.find((n) => n.id === s.nodeId)!;
    if (s.phase === 'forward') {
      if (s.type !== 'loss') expect(list(s.output.values), s.nodeId).toEqual(list(acts.get(s.nodeId)?.data));
      for (const i of s.inputs) if (i.fromPort !== 'y') expect(list(i.values)).toEqual(list(acts.get(i.from)?.data));
      for (const p of s.params ?? []) expect(list(p.values)).toEqual(list(model.params.get(p.key)!.data));
      continue;
    }
    if (s.type !== 'loss' && s.gradOut)
      expect(list(s.gradOut.values), s.nodeId).toEqual(list(outGrads.get(s.nodeId)!.data));
    if (s.gradOut === null) expect(s.type === 'input' || node.fusedIntoLoss).toBe(true);
    // A gradient passed down to a node with one consumer is the engine's gradient at that node's output.
    for (const g of s.gradIn) {
      const feeds = model.info.nodes.flatMap((n) => n.inputs).filter((w) => w.node === g.to).length;
      if (feeds === 1 && !g.wrt)
        expect(list(g.values), `${s.nodeId} → ${g.to}`).toEqual(list(outGrads.get(g.to)!.data));
    }
  }
}

/** A backward step's gradient of its parameter `name`. */
const grad = (s: TraceBackwardStep, name: string) => s.paramGrads.find((p) => p.name === name)!;

describe('traceSample', () => {
  it('XOR 2-2-1 with sigmoids: forward and backward match a hand computation', () => {
    const doc = graph(
      [
        ['in', 'input'],
        ['h', 'dense', { units: 2 }],
        ['ha', 'activation', { fn: 'sigmoid' }],
        ['o', 'dense', { units: 1 }],
        ['oa', 'activation', { fn: 'sigmoid' }],
        ['L', 'loss', { fn: 'squared_error' }],
      ],
      [
        ['in', 'h'],
        ['h', 'ha'],
        ['ha', 'o'],
        ['o', 'oa'],
        ['oa', 'L.pred'],
        ['in.y', 'L.target'],
      ],
    );
    const model = compile(doc, { inputShape: [2], targetShape: [1] });
    // W1 is [in, units]: W1[k][j] connects input k to hidden unit j.
    const W1 = [
      [0.1, -0.2],
      [0.3, 0.4],
    ];
    const b1 = [0.05, -0.1];
    const W2 = [0.5, -0.6];
    const b2 = 0.2;
    model.params.get('h.W')!.data.set(W1.flat());
    model.params.get('h.b')!.data.set(b1);
    model.params.get('o.W')!.data.set(W2);
    model.params.get('o.b')!.data.set([b2]);
    const x = [1, 0];
    const t = 1;
    const steps = traceSample(
      model,
      { shape: [1, 2], data: Float32Array.from(x) },
      { shape: [1, 1], data: Float32Array.of(t) },
    );

    // By hand.
    const sigma = (v: number) => 1 / (1 + Math.exp(-v));
    const z1 = [0, 1].map((j) => x[0]! * W1[0]![j]! + x[1]! * W1[1]![j]! + b1[j]!); // [0.15, −0.3]
    const a1 = z1.map(sigma);
    const z2 = a1[0]! * W2[0]! + a1[1]! * W2[1]! + b2;
    const p = sigma(z2);
    const L = 0.5 * (p - t) ** 2;
    const dp = p - t; // dL/dp
    const dz2 = dp * p * (1 - p); // dL/dz2 = dL/dp · σ′(z2)
    const dW2 = a1.map((a) => a * dz2);
    const da1 = W2.map((w) => dz2 * w); // δ · W2ᵀ
    const dz1 = da1.map((d, j) => d * a1[j]! * (1 - a1[j]!));
    const dW1 = [0, 1].flatMap((k) => [0, 1].map((j) => x[k]! * dz1[j]!));

    const near = (actual: Float32Array | undefined, expected: number[]) => {
      expect(actual?.length).toBe(expected.length);
      for (const [i, v] of expected.entries()) expect(actual![i]).toBeCloseTo(v, 6);
    };
    near(forwardOf(steps, 'h').output.values, z1);
    near(forwardOf(steps, 'ha').output.values, a1);
    near(forwardOf(steps, 'o').output.values, [z2]);
    near(forwardOf(steps, 'oa').output.values, [p]);
    near(forwardOf(steps, 'L').output.values, [L]);
    expect(forwardOf(steps, 'L').fused).toBe(false);

    const loss = backwardOf(steps, 'L');
    expect(loss.local).toMatchObject({ kind: 'loss', params: { fn: 'squared_error', wrt: 'pred', formula: 'p − t' } });
    near(loss.gradIn[0]!.values, [dp]);
    expect(loss.gradIn.map((g) => g.to)).toEqual(['oa']);
    const oa = backwardOf(steps, 'oa');
    near(oa.gradOut!.values, [dp]);
    expect(oa.local.kind).toBe('activation');
    expect(list(oa.local.values.derivative!.values)[0]).toBeCloseTo(p * (1 - p), 6);
    near(oa.gradIn[0]!.values, [dz2]);
    const o = backwardOf(steps, 'o');
    near(o.gradOut!.values, [dz2]);
    near(grad(o, 'W').values, dW2);
    expect(grad(o, 'W').shape).toEqual([2, 1]);
    near(grad(o, 'b').values, [dz2]);
    near(o.gradIn[0]!.values, da1);
    const ha = backwardOf(steps, 'ha');
    near(ha.gradIn[0]!.values, dz1);
    const h = backwardOf(steps, 'h');
    expect(h.local.kind).toBe('dense');
    expect(h.local.values.W!.shape).toEqual([2, 2]);
    near(grad(h, 'W').values, dW1);
    near(grad(h, 'b').values, dz1);
    expect(h.gradIn).toEqual([]); // the Input's data gets no gradient
    expect(backwardOf(steps, 'in')).toMatchObject({ gradOut: null, local: { kind: 'input' }, gradIn: [] });
    expectEngineValues(model, steps);
  });

  for (const name of ['xor', 'mnist', 'mnist-binary'])
    it(`${name}: every step's numbers are the engine's from the same call (fused losses included)`, () => {
      const doc = example(name);
      const spec = doc.nodes.find((n) => n.type === 'input')!.data as { dataset: Parameters<typeof loadDataset>[0] };
      const data = loadDataset(spec.dataset, {
        seed: 1,
        mnist: name.startsWith('mnist') ? loadMnistFile() : undefined,
      });
      const one = (t: Tensor) => ({
        shape: [1, ...t.shape.slice(1)],
        data: t.data.slice(0, t.data.length / t.shape[0]!),
      });
      const model = compile(doc);
      const steps = traceSample(model, one(data.train.x), one(data.train.y));
      expectEngineValues(model, steps);
      // The same sample again (no dropout here: the same numbers) gives the parameter gradients to compare.
      const { grads } = model.lossAndGrads(one(data.train.x), one(data.train.y));
      const dense = steps.filter((s): s is TraceBackwardStep => s.phase === 'backward' && s.type === 'dense');
      expect(dense.length).toBe(2);
      for (const s of dense) {
        expect(list(grad(s, 'W').values)).toEqual(list(grads.get(`${s.nodeId}.W`)!.data));
        expect(list(grad(s, 'b').values)).toEqual(list(grads.get(`${s.nodeId}.b`)!.data));
      }
      const fused = model.fusedActivation;
      const lossF = forwardOf(steps, 'L');
      expect(lossF.fused).toBe(fused !== null);
      if (!fused) return;
      // The loss gives dL/dz straight to the logits; the fused activation passes it down unchanged.
      const act = model.info.nodes.find((n) => n.fusedIntoLoss)!;
      const logits = act.inputs[0]!.node;
      expect(list(lossF.loss!.logits!.values)).toEqual(list(model.activations().get(logits)!.data));
      expect(list(lossF.loss!.prediction.values)).toEqual(list(model.activations().get(act.id)!.data));
      const lossB = backwardOf(steps, 'L');
      expect(lossB.local).toMatchObject({ kind: 'loss', params: { wrt: 'logits', activation: fused } });
      expect(lossB.gradIn).toHaveLength(1);
      expect(lossB.gradIn[0]).toMatchObject({ to: act.id, wrt: 'logits' });
      const dz = list(model.outputGrads().get(logits)!.data);
      expect(list(lossB.gradIn[0]!.values)).toEqual(dz);
      const p = lossF.loss!.prediction.values;
      const y = one(data.train.y).data;
      // (p − t), resp. (p − t)/N with N = 1 output for the binary case
      for (const [i, v] of dz.entries()) expect(v).toBeCloseTo(p[i]! - y[i]!, 6);
      const actB = backwardOf(steps, act.id);
      expect(actB.gradOut).toBeNull();
      expect(actB.local).toMatchObject({ kind: 'fused', params: { loss: 'L', fn: fused } });
      expect(list(actB.gradIn[0]!.values)).toEqual(dz);
    });

  it('fan-out: each consumer’s share is computed, and the shares sum to the engine’s gradient', () => {
    const consumers: [string, Parameters<typeof graph>[0][number][1], Record<string, unknown>?][] = [
      ['r', 'activation', { fn: 'relu' }],
      ['l', 'activation', { fn: 'leaky_relu' }],
      ['g', 'activation', { fn: 'sigmoid' }],
      ['t', 'activation', { fn: 'tanh' }],
      ['s', 'activation', { fn: 'softmax' }],
      ['i', 'activation', { fn: 'identity' }],
      ['d', 'dropout', { rate: 0.5 }],
      ['k', 'dense', { units: 2 }],
      ['f', 'flatten'],
    ];
    // Every consumer but t (which feeds only sum.b) is joined into the output.
    const loose = [...consumers.map(([id]) => id).filter((id) => id !== 't'), 'sum', 'c0'];
    const doc = graph(
      [
        ['in', 'input'],
        ['h', 'dense', { units: 5 }],
        ...consumers,
        ['sum', 'add'],
        ['c0', 'concat'],
        ...loose.slice(1).map((_, i) => [`j${i}`, 'concat'] as [string, 'concat']),
        ['o', 'dense', { units: 2 }],
        ['L', 'loss', { fn: 'mse' }],
      ],
      [
        ['in', 'h'],
        ...consumers.map(([id]): [string, string] => ['h', id]),
        ['h', 'sum.a'],
        ['t', 'sum.b'],
        ['h', 'c0.a'],
        ['h', 'c0.b'],
        ...loose.slice(1).flatMap((id, i): [string, string][] => [
          [i === 0 ? loose[0]! : `j${i - 1}`, `j${i}.a`],
          [id, `j${i}.b`],
        ]),
        [`j${loose.length - 2}`, 'o'],
        ['o', 'L.pred'],
        ['in.y', 'L.target'],
      ],
    );
    const model = compile(doc, { inputShape: [3], targetShape: [2], seed: 3 });
    const rng = createRng(9);
    const x = { shape: [1, 3], data: Float32Array.from({ length: 3 }, () => rng.range(-1, 1)) };
    const y = { shape: [1, 2], data: Float32Array.of(0.3, -0.2) };
    const steps = traceSample(model, x, y);
    expectEngineValues(model, steps);
    const h = backwardOf(steps, 'h');
    const shares = h.contributions!;
    expect(shares.map((c) => `${c.to}.${c.port}`).sort()).toEqual(
      [...consumers.map(([id]) => `${id}.in`), 'sum.a', 'c0.a', 'c0.b'].sort(),
    );
    const total = list(model.outputGrads().get('h')!.data);
    for (const [e, v] of total.entries()) {
      const sum = shares.reduce((s, c) => s + c.values[e]!, 0);
      expect(Math.abs(sum - v), `element ${e}`).toBeLessThan(1e-6 + 1e-5 * Math.abs(v));
    }
    // Each share is the gradient its consumer passed down; the dropout's follows its mask.
    for (const c of shares) {
      const down = backwardOf(steps, c.to).gradIn.find((g) => g.port === c.port)!;
      expect(down.to).toBe('h');
      expect(down.values).toBe(c.values);
    }
    const d = backwardOf(steps, 'd');
    expect(d.local.kind).toBe('dropout');
    const mask = list(d.local.values.mask!.values);
    expect(mask).toEqual(list(model.dropoutMasks().get('d')!.data));
    const dShare = shares.find((c) => c.to === 'd')!;
    for (const [e, v] of list(dShare.values).entries()) expect(v).toBeCloseTo(d.gradOut!.values[e]! * mask[e]!, 6);
    // A single consumer's gradient is the engine's own: t feeds only sum.b.
    expect(list(backwardOf(steps, 'sum').gradIn.find((g) => g.port === 'b')!.values)).toEqual(
      list(model.outputGrads().get('t')!.data),
    );
    expect(backwardOf(steps, 't').contributions).toBeUndefined();
  });

  it('a graph without parameters (the Input straight into a fused softmax): a loss, no gradients', () => {
    const doc = graph(
      [
        ['in', 'input'],
        ['s', 'activation', { fn: 'softmax' }],
        ['L', 'loss', { fn: 'cross_entropy' }],
      ],
      [
        ['in', 's'],
        ['s', 'L.pred'],
        ['in.y', 'L.target'],
      ],
    );
    const model = compile(doc, { inputShape: [3], targetShape: [3] });
    const x = { shape: [1, 3], data: Float32Array.of(1, 2, 3) };
    const y = { shape: [1, 3], data: Float32Array.of(0, 0, 1) };
    const steps = traceSample(model, x, y);
    const p3 = Math.exp(3) / (Math.exp(1) + Math.exp(2) + Math.exp(3));
    expect(forwardOf(steps, 'L').output.values[0]).toBeCloseTo(-Math.log(p3), 6);
    expect(steps.filter((s) => s.phase === 'backward').flatMap((s) => s.gradIn)).toEqual([]);
    expect(gradientCheck(doc, model, x, y)).toMatchObject({ params: [], maxRelError: 0 });
  });

  it('takes exactly one sample', () => {
    const model = compile(example('xor'));
    expect(() =>
      traceSample(model, { shape: [2, 2], data: new Float32Array(4) }, { shape: [2, 1], data: new Float32Array(2) }),
    ).toThrow(/one sample/);
  });
});
