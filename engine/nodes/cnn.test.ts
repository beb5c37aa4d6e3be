// The convolution family as DESIGN.md fixes it: shapes (channels last, TensorFlow's `same` split),
// the problems that suggest Reshape, max-pool's first winner, BatchNorm's PyTorch semantics and its
// buffers in the document, and gradients of random CNN graphs against the float64 reference.
import { describe, expect, it } from 'vitest';
import { analyzeGraph } from '../compiler/analyze.ts';
import { compile } from '../compiler/compile.ts';
import { parseGraph } from '../format/parse.ts';
import { serializeGraph } from '../format/serialize.ts';
import { createRng, type Rng } from '../prng.ts';
import { checkGradients, graph } from '../testing/checkGradients.ts';
import { gradientCheck } from '../train/gradcheck.ts';
import { traceSample } from '../train/trace.ts';
import { applySetting, settingPaths } from '../sweep/index.ts';
import { readFileSync } from 'node:fs';
import { axis } from './spatial.ts';
import { conv2d } from './conv2d.ts';

type Nodes = Parameters<typeof graph>[0];
type Edges = Parameters<typeof graph>[1];

/** in → <layers…> → flatten → dense → softmax → cross-entropy. */
function net(layers: Nodes, edges: Edges = [], last = layers.at(-1)![0], classes = 3) {
  const chain: Edges = [];
  let prev = 'in';
  for (const [id] of layers) {
    if (!edges.some(([, to]) => to.split('.')[0] === id)) chain.push([prev, id]);
    prev = id;
  }
  return graph(
    [
      ['in', 'input'],
      ...layers,
      ['f', 'flatten'],
      ['o', 'dense', { units: classes }],
      ['p', 'activation', { fn: 'softmax' }],
      ['L', 'loss', { fn: 'cross_entropy' }],
    ],
    [...chain, ...edges, [last, 'f'], ['f', 'o'], ['o', 'p'], ['p', 'L.pred'], ['in.y', 'L.target']],
  );
}

const shapeOf = (doc: ReturnType<typeof graph>, inputShape: number[], id: string) =>
  analyzeGraph(doc, { inputShape, targetShape: [3] }).nodes.find((n) => n.id === id)?.outputShape;

describe('conv2d and the pools: shapes', () => {
  it("valid: H′ = ⌊(H − k)/s⌋ + 1; same: ⌈H/s⌉ with TensorFlow's split (the odd extra at the bottom/right)", () => {
    expect(axis(7, 3, 2, 'valid')).toEqual({ out: 3, before: 0, after: 0 });
    expect(axis(7, 4, 2, 'same')).toEqual({ out: 4, before: 1, after: 2 });
    expect(axis(5, 2, 1, 'same')).toEqual({ out: 5, before: 0, after: 1 });
    expect(axis(6, 3, 3, 'same')).toEqual({ out: 2, before: 0, after: 0 });
    const conv = (data: Record<string, unknown>) => shapeOf(net([['c', 'conv2d', data]]), [7, 9, 2], 'c');
    expect(conv({ filters: 4, kernelSize: 3 })).toEqual([5, 7, 4]);
    expect(conv({ filters: 4, kernelSize: [4, 2], stride: [2, 3], padding: 'same' })).toEqual([4, 3, 4]);
    expect(conv({ filters: 1, kernelSize: [3, 5], stride: 2 })).toEqual([3, 3, 1]);
    expect(shapeOf(net([['m', 'maxpool2d', {}]]), [7, 9, 2], 'm')).toEqual([3, 4, 2]);
    expect(shapeOf(net([['m', 'avgpool2d', { size: 3, stride: 1 }]]), [7, 9, 2], 'm')).toEqual([5, 7, 2]);
    expect(shapeOf(net([['g', 'globalavgpool']]), [7, 9, 2], 'g')).toEqual([2]);
    expect(shapeOf(net([['r', 'reshape', { shape: [3, 21, 2] }]]), [7, 9, 2], 'r')).toEqual([3, 21, 2]);
  });

  it('a conv or pool fed a flat input is a problem that suggests Reshape; a window larger than the image another', () => {
    for (const type of ['conv2d', 'maxpool2d', 'avgpool2d', 'globalavgpool'] as const) {
      const data = type === 'conv2d' ? { filters: 2, kernelSize: 3 } : {};
      const p = analyzeGraph(net([['c', type, data]]), { inputShape: [784], targetShape: [3] }).problems;
      expect(p.map((x) => [x.code, x.nodeId])).toEqual([[`${type}.input-rank`, 'c']]);
      expect(p[0]!.message).toContain('insert a Reshape node before it');
    }
    const small = analyzeGraph(net([['c', 'conv2d', { filters: 2, kernelSize: 5 }]]), {
      inputShape: [4, 4, 1],
      targetShape: [3],
    });
    expect(small.problems.map((x) => x.code)).toEqual(['conv2d.too-small']);
    const reshape = analyzeGraph(net([['r', 'reshape', { shape: [28, 28, 1] }]]), {
      inputShape: [100],
      targetShape: [3],
    });
    expect(reshape.problems.map((x) => x.code)).toEqual(['reshape.size-mismatch']);
  });

  it('counts a convolution’s multiply-adds by its sliding kernel, not by its parameters', () => {
    const doc = net([['c', 'conv2d', { filters: 8, kernelSize: 5, padding: 'same' }]]);
    const step = analyzeGraph(doc, { inputShape: [28, 28, 1], targetShape: [3] }).step;
    // 28·28·8 outputs × 25 multiply-adds, three times (forward, dW, dx) — far above 3 × 208 parameters
    expect(step.multiplyAddsPerSample).toBeGreaterThan(3 * 28 * 28 * 8 * 25);
  });
});

describe('conv2d: the step-through', () => {
  it('speaks of a bias only when the layer has one (mnist-cnn has none before its BatchNorm)', () => {
    for (const bias of [true, false]) {
      const doc = net([['c', 'conv2d', { filters: 2, kernelSize: 3, bias }]]);
      const model = compile(doc, { inputShape: [5, 5, 1], targetShape: [3] });
      const x = { shape: [1, 5, 5, 1], data: Float32Array.from({ length: 25 }, (_, i) => Math.sin(i)) };
      const steps = traceSample(model, x, { shape: [1, 3], data: Float32Array.of(0, 1, 0) });
      const rows = steps
        .filter((s) => s.nodeId === 'c')
        .flatMap((s) => (s.phase === 'forward' ? s.rows : [s.local, ...s.rows]));
      for (const lang of ['en', 'ja'] as const) {
        const texts = rows.map((r) => conv2d.text[lang].trace?.[r.text] ?? '').join(' ');
        expect(/bias|バイアス|dL\/db/.test(texts), `${lang} bias ${bias}: ${texts}`).toBe(bias);
      }
    }
  });
});

describe('maxpool2d', () => {
  it('sends the gradient to the first maximum of a window in row-major order', () => {
    const doc = net([['m', 'maxpool2d', { size: 2 }]]);
    const model = compile(doc, { inputShape: [2, 2, 1], targetShape: [3] });
    model.lossAndGrads(
      { shape: [1, 2, 2, 1], data: Float32Array.of(1, 5, 5, 2) },
      { shape: [1, 3], data: Float32Array.of(1, 0, 0) },
    );
    const dIn = model.outputGrads().get('m')!.data[0]!;
    expect(dIn).not.toBe(0);
    // The input gets no gradient buffer; pool a layer output instead to see where it goes.
    const doc2 = net([
      ['a', 'activation', { fn: 'identity' }],
      ['m', 'maxpool2d', { size: 2 }],
    ]);
    const m2 = compile(doc2, { inputShape: [2, 2, 1], targetShape: [3] });
    m2.lossAndGrads(
      { shape: [1, 2, 2, 1], data: Float32Array.of(1, 5, 5, 2) },
      { shape: [1, 3], data: Float32Array.of(1, 0, 0) },
    );
    const g = [...m2.outputGrads().get('a')!.data];
    expect(g[1]).toBe(m2.outputGrads().get('m')!.data[0]);
    expect([g[0], g[2], g[3]]).toEqual([0, 0, 0]);
  });
});

describe('batchnorm', () => {
  const doc = net([['bn', 'batchnorm', { momentum: 0.2, epsilon: 1e-3 }]]);
  const rng = createRng(5);
  const x = { shape: [4, 3, 2, 2], data: Float32Array.from({ length: 48 }, () => rng.normal() * 2 + 1) };
  const y = { shape: [4, 3], data: Float32Array.from({ length: 12 }, (_, i) => (i % 4 === 0 ? 1 : 0)) };

  it('trains with the batch’s statistics and moves the running ones as PyTorch does; predicts with the running ones', () => {
    const model = compile(doc, { inputShape: [3, 2, 2], targetShape: [3] });
    expect([...model.buffers.keys()]).toEqual(['bn.runningMean', 'bn.runningVar']);
    expect([...model.params.keys()]).toContain('bn.gamma');
    model.lossAndGrads(x, y);
    const n = 24; // 4 samples × 3 × 2 pixels per channel
    for (let c = 0; c < 2; c++) {
      let mean = 0;
      for (let i = c; i < 48; i += 2) mean += x.data[i]! / n;
      let variance = 0;
      for (let i = c; i < 48; i += 2) variance += (x.data[i]! - mean) ** 2 / n;
      expect(model.buffers.get('bn.runningMean')!.data[c]).toBeCloseTo(0.2 * mean, 5);
      expect(model.buffers.get('bn.runningVar')!.data[c]).toBeCloseTo(0.8 + (0.2 * variance * n) / (n - 1), 5);
      // training output: normalised with the batch statistics (γ = 1, β = 0)
      const out = model.activations().get('bn')!.data;
      expect(out[c]).toBeCloseTo((x.data[c]! - mean) / Math.sqrt(variance + 1e-3), 4);
    }
    model.predict(x);
    const out = model.activations().get('bn')!.data;
    const rm = model.buffers.get('bn.runningMean')!.data;
    const rv = model.buffers.get('bn.runningVar')!.data;
    expect(out[1]).toBeCloseTo((x.data[1]! - rm[1]!) / Math.sqrt(rv[1]! + 1e-3), 5);
  });

  it('a trace or a gradient check looks at the model without moving its running statistics', () => {
    const model = compile(doc, { inputShape: [3, 2, 2], targetShape: [3] });
    model.lossAndGrads(x, y);
    const before = [...model.buffers.values()].map((t) => [...t.data]);
    gradientCheck(doc, model, x, y, { entriesPerParam: 2 });
    traceSample(model, { shape: [1, 3, 2, 2], data: x.data.slice(0, 12) }, { shape: [1, 3], data: y.data.slice(0, 3) });
    expect([...model.buffers.values()].map((t) => [...t.data])).toEqual(before);
  });

  it('saves its running statistics in `weights` beside the parameters and loads them back; no optimizer sees them', () => {
    const model = compile(doc, { inputShape: [3, 2, 2], targetShape: [3] });
    model.lossAndGrads(x, y);
    const { grads } = model.lossAndGrads(x, y);
    expect(grads.has('bn.runningMean')).toBe(false);
    const saved = serializeGraph(doc, model) as { weights: Record<string, Record<string, unknown>> };
    expect(Object.keys(saved.weights.bn!).sort()).toEqual(['beta', 'gamma', 'runningMean', 'runningVar']);
    const again = compile(parseGraph(JSON.parse(JSON.stringify(saved))), { inputShape: [3, 2, 2], targetShape: [3] });
    expect([...again.buffers.get('bn.runningVar')!.data]).toEqual([...model.buffers.get('bn.runningVar')!.data]);
    expect([...again.predict(x).data]).toEqual([...model.predict(x).data]);
  });
});

/** A random small CNN: odd sizes, strides, `same` with odd padding, channels 1 and many, pools, BatchNorm, a residual add. */
function randomCnn(rng: Rng): { doc: ReturnType<typeof graph>; inputShape: number[] } {
  const pick = <T>(xs: readonly T[]) => xs[rng.int(xs.length)]!;
  const inputShape = [4 + rng.int(5), 4 + rng.int(5), pick([1, 3])];
  const layers: Nodes = [];
  const edges: Edges = [];
  let last = 'in';
  let channels = inputShape[2]!;
  const add = (id: string, type: Nodes[number][1], data: Record<string, unknown> = {}) => {
    layers.push([id, type, data]);
    edges.push([last, id]);
    last = id;
  };
  const filters = pick([1, 2, 4]);
  add('c1', 'conv2d', {
    filters,
    kernelSize: pick([1, 2, 3, [2, 3]]),
    stride: pick([1, 2]),
    padding: pick(['valid', 'same']),
  });
  channels = filters;
  add('a1', 'activation', { fn: pick(['tanh', 'sigmoid', 'identity']) });
  if (rng.uniform() < 0.5) add('bn', 'batchnorm', { momentum: 0.1 });
  // residual: a same-padded stride-1 conv of equal channels, added to its input
  const before = last;
  add('c2', 'conv2d', { filters: channels, kernelSize: pick([2, 3]), padding: 'same' });
  layers.push(['res', 'add', {}]);
  edges.push([before, 'res.a'], ['c2', 'res.b']);
  last = 'res';
  add('pool', pick(['maxpool2d', 'avgpool2d', 'globalavgpool'] as const), rng.uniform() < 0.5 ? {} : {});
  return { doc: withEdges(layers, edges, last), inputShape };
}

function withEdges(layers: Nodes, edges: Edges, last: string) {
  return graph(
    [
      ['in', 'input'],
      ...layers,
      ['f', 'flatten'],
      ['o', 'dense', { units: 3 }],
      ['p', 'activation', { fn: 'softmax' }],
      ['L', 'loss', { fn: 'cross_entropy' }],
    ],
    [...edges, [last, 'f'], ['f', 'o'], ['o', 'p'], ['p', 'L.pred'], ['in.y', 'L.target']],
  );
}

describe('random CNN graphs: every gradient matches central differences of the float64 reference', () => {
  let checked = 0;
  for (let seed = 1; seed <= 16; seed++) {
    it(`seed ${seed}`, () => {
      const rng = createRng(seed);
      const { doc, inputShape } = randomCnn(rng);
      const problems = analyzeGraph(doc, { inputShape, targetShape: [3] }).problems;
      if (problems.length > 0) {
        // a window that does not fit a small image is a fair refusal; anything else is a bug
        expect(problems.every((p) => p.code.endsWith('.too-small'))).toBe(true);
        return;
      }
      for (const batch of [1, 3])
        expect(
          checkGradients(doc, inputShape, [3], { batch, seed: seed + batch, targets: 'onehot', rtol: 3e-3 }),
        ).toBeGreaterThan(0);
      checked++;
    });
  }
  it('most of them compiled (a window too large for a small image is refused)', () => {
    expect(checked).toBeGreaterThanOrEqual(12);
  });
});

describe('the mnist-cnn example', () => {
  const doc = parseGraph(JSON.parse(readFileSync('public/examples/mnist-cnn.json', 'utf8')));

  it('compiles: a Reshape of the 784 pixels into [28, 28, 1], convolutions, pools, Dense', () => {
    const a = analyzeGraph(doc);
    expect(a.problems).toEqual([]);
    expect(a.nodes.find((n) => n.id === 'img')?.outputShape).toEqual([28, 28, 1]);
  });

  it('sweeps and Compare vary conv fields: c1.filters=4,8,16', () => {
    expect(settingPaths(doc)).toEqual(expect.arrayContaining(['c1.filters', 'c1.padding', 'c2.filters']));
    for (const filters of [4, 8, 16]) {
      const next = applySetting(doc, 'c1.filters', String(filters));
      expect(analyzeGraph(next).nodes.find((n) => n.id === 'c1')?.outputShape?.[2]).toBe(filters);
    }
    expect(() => applySetting(doc, 'c1.filters', '0')).toThrow(/c1\.filters takes a whole number from 1 to 4096/);
  });
});
