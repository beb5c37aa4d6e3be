import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { encodeTensor } from '../format/weights.ts';
import { graph } from '../testing/checkGradients.ts';
import { analyzeGraph } from './analyze.ts';
import { compile } from './compile.ts';
import { CompileError } from './errors.ts';

const xor = () => JSON.parse(readFileSync('public/examples/xor.json', 'utf8'));
const mlp = () =>
  graph(
    [
      ['in', 'input', { dataset: { kind: 'xor' } }],
      ['h', 'dense', { units: 3 }],
      ['a', 'activation', { fn: 'sigmoid' }],
      ['o', 'dense', { units: 1 }],
      ['L', 'loss', { fn: 'squared_error' }],
    ],
    [
      ['in', 'h'],
      ['h', 'a'],
      ['a', 'o'],
      ['o', 'L.pred'],
      ['in.y', 'L.target'],
    ],
  );
const messages = (doc: ReturnType<typeof mlp>) =>
  analyzeGraph(doc).problems.map((p) => `${p.nodeId ?? p.edgeId}: ${p.message}`);

describe('analyzeGraph', () => {
  it('infers shapes per edge and counts parameters', () => {
    const a = analyzeGraph(mlp());
    expect(a.problems).toEqual([]);
    expect(Object.fromEntries(a.edgeShapes)).toEqual({ e0: [2], e1: [3], e2: [3], e3: [1], e4: [1] });
    expect(a.totalParams).toBe(2 * 3 + 3 + 3 + 1);
    expect(a.nodes.map((n) => n.id)).toEqual(['in', 'h', 'a', 'o', 'L']);
  });

  it('names the nodes on a cycle', () => {
    const doc = mlp();
    doc.edges.find((e) => e.id === 'e1')!.source = 'o'; // a ← o and o ← a
    expect(messages(doc).filter((m) => m.includes('cycle'))).toEqual([
      "o: Dense 'o' is on a cycle 'o' → 'a' → 'o'; data must flow one way",
      "a: Activation 'a' is on a cycle 'o' → 'a' → 'o'; data must flow one way",
    ]);
  });

  it('reports unconnected inputs, unreachable nodes and dead ends', () => {
    const doc = mlp();
    doc.nodes.push({ id: 'lonely', type: 'dense', position: { x: 0, y: 0 }, data: { units: 2 } });
    doc.nodes.push({ id: 'tail', type: 'activation', position: { x: 0, y: 0 }, data: { fn: 'relu' } });
    doc.edges.push({ id: 'x1', source: 'h', sourceHandle: 'out', target: 'tail', targetHandle: 'in' });
    const m = messages(doc);
    expect(m).toContain("lonely: Dense 'lonely' has nothing connected to its 'in' input");
    expect(m).toContain("lonely: Dense 'lonely' is a dead end: its output never reaches Loss 'L'");
    expect(m).toContain("tail: Activation 'tail' is a dead end: its output never reaches Loss 'L'");
  });

  it('refuses a second edge into one input and targets from anything but input.y', () => {
    const doc = mlp();
    doc.edges.push({ id: 'dup', source: 'in', sourceHandle: 'x', target: 'a', targetHandle: 'in' });
    doc.edges.find((e) => e.id === 'e4')!.sourceHandle = 'x';
    const m = messages(doc);
    expect(m).toContain("a: Activation 'a''s 'in' input is already connected; an input takes exactly one edge");
    expect(m).toContain("L: Loss 'L''s 'target' must come from the Input's 'y', not from Input 'in'");
  });

  it('explains shape mismatches', () => {
    const doc = mlp();
    doc.nodes.find((n) => n.id === 'o')!.data = { units: 3 };
    expect(messages(doc)).toEqual(["L: Loss 'L' compares pred [3] with target [1]"]);
    const add = graph(
      [
        ['in', 'input', { dataset: { kind: 'xor' } }],
        ['h', 'dense', { units: 4 }],
        ['r', 'add'],
        ['o', 'dense', { units: 1 }],
        ['L', 'loss', { fn: 'mse' }],
      ],
      [
        ['in', 'h'],
        ['h', 'r.a'],
        ['in', 'r.b'],
        ['r', 'o'],
        ['o', 'L.pred'],
        ['in.y', 'L.target'],
      ],
    );
    expect(messages(add)).toEqual(["r: Add 'r' needs equal shapes but 'a' gives [4] and 'b' gives [2]"]);
  });

  it('checks saved weights against the inferred input size', () => {
    const doc = mlp();
    doc.weights = { h: { W: encodeTensor({ shape: [5, 3], data: new Float32Array(15) }) } };
    expect(messages(doc)).toEqual(["h: Dense 'h' expects 5 inputs (its saved weights W are [5, 3]) but 'in' gives 2"]);
  });

  it('limits the parameter count', () => {
    const doc = mlp();
    doc.nodes.find((n) => n.id === 'h')!.data = { units: 100_000 };
    doc.nodes.find((n) => n.id === 'o')!.data = { units: 1000 };
    doc.nodes.find((n) => n.id === 'L')!.data = { fn: 'mse' };
    const m = messages(doc).find((x) => x.includes('limit'));
    expect(m).toBe(
      "o: The graph holds 100,301,000 parameters, more than the limit of 50,000,000 (Dense 'o' alone has 100,001,000)",
    );
  });

  it('needs exactly one input and one loss, and a dataset', () => {
    const doc = mlp();
    doc.nodes = doc.nodes.filter((n) => n.type !== 'loss');
    doc.edges = doc.edges.filter((e) => e.target !== 'L');
    const input = doc.nodes[0]!;
    if (input.type === 'input') delete input.data.dataset;
    const m = messages(doc);
    expect(m).toContain('undefined: The graph needs a Loss node: training minimises it');
    expect(m).toContain("in: Input 'in' has no dataset");
  });

  it('marks softmax → cross_entropy as fused', () => {
    const mnist = JSON.parse(readFileSync('public/examples/mnist.json', 'utf8'));
    const a = analyzeGraph(mnist);
    expect(a.problems).toEqual([]);
    expect(a.nodes.find((n) => n.id === 'oa')!.fusedIntoLoss).toBe(true);
    expect(a.edgeShapes.get('e1')).toEqual([784]);
  });

  it('compile throws CompileError with the problems', () => {
    const doc = mlp();
    doc.edges.pop();
    expect(() => compile(doc)).toThrow(CompileError);
    try {
      compile(doc);
    } catch (e) {
      expect((e as CompileError).problems[0]).toMatchObject({ nodeId: 'L' });
    }
    expect(() => compile(xor())).not.toThrow();
  });
});
