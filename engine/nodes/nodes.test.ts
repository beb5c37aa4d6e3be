import { describe, expect, it } from 'vitest';
import { analyzeGraph } from '../compiler/analyze.ts';
import { compile } from '../compiler/compile.ts';
import { edgeProblem } from '../compiler/edges.ts';
import { createRng } from '../prng.ts';
import { checkGradients, graph } from '../testing/checkGradients.ts';
import { NODE_DEFINITIONS, PROBLEM_TEXTS, problemFormat, problemMessage } from './index.ts';

type Nodes = Parameters<typeof graph>[0];
type Edges = Parameters<typeof graph>[1];

const imageNet = (withFlatten: boolean, dropout?: number) => {
  const nodes: Nodes = [['in', 'input']];
  const edges: Edges = [];
  let last = 'in';
  if (withFlatten) {
    nodes.push(['f', 'flatten']);
    edges.push(['in', 'f']);
    last = 'f';
  }
  nodes.push(['h', 'dense', { units: 3 }]);
  edges.push([last, 'h']);
  last = 'h';
  if (dropout !== undefined) {
    nodes.push(['d', 'dropout', { rate: dropout }]);
    edges.push(['h', 'd']);
    last = 'd';
  }
  nodes.push(['o', 'dense', { units: 2 }], ['L', 'loss', { fn: 'mse' }]);
  edges.push([last, 'o'], ['o', 'L.pred'], ['in.y', 'L.target']);
  return graph(nodes, edges);
};

describe('node definitions', () => {
  it('every definition has texts in both languages for its label, description and fields', () => {
    for (const def of NODE_DEFINITIONS) {
      for (const lang of ['en', 'ja'] as const) {
        expect(def.text[lang].label, `${def.type} ${lang}`).not.toBe('');
        expect(def.text[lang].description, `${def.type} ${lang}`).not.toBe('');
        for (const f of def.fields) expect(def.text[lang].fields?.[f.key], `${def.type}.${f.key} ${lang}`).toBeTruthy();
      }
    }
  });

  it('every problem code renders in English and Japanese', () => {
    const ja = problemFormat('ja');
    const params = {
      node: 'h',
      nodeType: 'dense',
      shape: [2, 2],
      cycle: ['a', 'b'],
      options: ['x'],
      keys: ['k'],
      detail: 'd',
    };
    for (const [code, texts] of PROBLEM_TEXTS) {
      expect(texts.en(params, problemFormat('en')), code).not.toBe('');
      expect(texts.ja(params, ja), code).not.toBe('');
    }
    expect(problemMessage('dense.input-rank', { node: 'h', shape: [28, 28] }, 'ja')).toContain('全結合「h」');
  });

  it('a Dense fed a multi-axis input is a problem that suggests Flatten; with Flatten it compiles', () => {
    const bad = analyzeGraph(imageNet(false), { inputShape: [4, 3], targetShape: [2] });
    expect(bad.problems.map((p) => [p.code, p.nodeId, p.message])).toEqual([
      ['dense.input-rank', 'h', "Dense 'h' takes a vector per sample but gets [4, 3]: insert a Flatten node before it"],
    ]);
    const good = analyzeGraph(imageNet(true), { inputShape: [4, 3], targetShape: [2] });
    expect(good.problems).toEqual([]);
    expect(good.nodes.find((n) => n.id === 'f')?.outputShape).toEqual([12]);
  });

  it('flatten: gradients match central differences of the float64 reference', () => {
    expect(checkGradients(imageNet(true), [2, 3, 2], [2])).toBe(12 * 3 + 3 + 3 * 2 + 2);
  });

  it('dropout: identity in predict and loss; in training a seeded mask scales kept values by 1/(1 − rate)', () => {
    const rate = 0.25;
    const doc = imageNet(false, rate);
    const model = compile(doc, { inputShape: [5], targetShape: [2], seed: 3 });
    const plain = compile(imageNet(false), { inputShape: [5], targetShape: [2], seed: 3 });
    const rng = createRng(1);
    const B = 400;
    const x = { shape: [B, 5], data: Float32Array.from({ length: B * 5 }, () => rng.range(-1, 1)) };
    const y = { shape: [B, 2], data: Float32Array.from({ length: B * 2 }, () => rng.uniform()) };
    expect([...model.predict(x).data]).toEqual([...plain.predict(x).data]);
    expect(model.loss(x, y)).toBe(plain.loss(x, y));

    model.lossAndGrads(x, y);
    const h = model.activations().get('h')!.data;
    const d = model.activations().get('d')!.data;
    let dropped = 0;
    for (let i = 0; i < h.length; i++) {
      if (d[i] === 0 && h[i] !== 0) dropped++;
      else expect(d[i]).toBeCloseTo((h[i] as number) / (1 - rate), 5);
    }
    expect(dropped / h.length).toBeGreaterThan(0.2);
    expect(dropped / h.length).toBeLessThan(0.3);
    // Backward: the gradient reaching h is the gradient at d times the same mask.
    const dh = model.outputGrads().get('h')!.data;
    const dd = model.outputGrads().get('d')!.data;
    for (let i = 0; i < h.length; i++) {
      const mask = d[i] === 0 && h[i] !== 0 ? 0 : 1 / (1 - rate);
      expect(dh[i]).toBeCloseTo((dd[i] as number) * mask, 5);
    }
    // Seeded: the same document and seed give the same masks.
    const again = compile(doc, { inputShape: [5], targetShape: [2], seed: 3 });
    again.lossAndGrads(x, y);
    expect([...again.activations().get('d')!.data]).toEqual([...d]);
  });

  it('edgeProblem: one rule book for drags and for the analysis', () => {
    const doc = imageNet(false);
    const code = (e: Parameters<typeof edgeProblem>[1]) => edgeProblem(doc, e)?.code ?? null;
    expect(code({ source: 'h', sourceHandle: 'out', target: 'h', targetHandle: 'in' })).toBe('edge.self');
    expect(code({ source: 'in', sourceHandle: 'x', target: 'o', targetHandle: 'in' })).toBe('edge.occupied');
    expect(code({ source: 'in', sourceHandle: 'y', target: 'h', targetHandle: 'in' })).toBe('edge.occupied');
    expect(code({ source: 'o', sourceHandle: 'out', target: 'h', targetHandle: 'nope' })).toBe('edge.bad-port');
    expect(code({ source: 'ghost', sourceHandle: 'out', target: 'h', targetHandle: 'in' })).toBe('edge.missing-node');
    const open = { ...doc, edges: doc.edges.filter((e) => e.target !== 'h') };
    expect(edgeProblem(open, { source: 'o', sourceHandle: 'out', target: 'h', targetHandle: 'in' })?.code).toBe(
      'edge.cycle',
    );
    expect(edgeProblem(open, { source: 'in', sourceHandle: 'y', target: 'h', targetHandle: 'in' })?.code).toBe(
      'edge.targets-only-to-loss',
    );
    expect(edgeProblem(open, { source: 'in', sourceHandle: 'x', target: 'h', targetHandle: 'in' })).toBeNull();
    // The analysis reports the second of two edges into one input with the same code.
    const twice = {
      ...doc,
      edges: [...doc.edges, { id: 'dup', source: 'in', sourceHandle: 'x', target: 'h', targetHandle: 'in' }],
    };
    const p = analyzeGraph(twice, { inputShape: [2], targetShape: [2] }).problems;
    expect(p.map((x) => [x.code, x.edgeId])).toEqual([['edge.occupied', 'dup']]);
  });
});
