import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type EpochMetrics, leastCpuMs, parseGraph } from '../../engine/index.ts';
import { assessHealth, stallGain } from './health.ts';
import type { FromWorker, NodeStats } from '../worker/protocol.ts';
import { createSession } from '../worker/session.ts';

const stats = (id: string, extra: Partial<NodeStats> = {}): NodeStats => ({
  id,
  shape: [3],
  mean: 0,
  std: 1,
  min: -1,
  max: 1,
  histogram: new Float32Array(4),
  gradRms: 1,
  gradNorm: 1,
  ...extra,
});
const epochs = (losses: number[]): EpochMetrics[] =>
  losses.map((l, i) => ({ epoch: i + 1, trainLoss: l, testLoss: l, seconds: 0 }));
const chain = parseGraph({
  format: 'nodegrad-graph',
  version: 1,
  name: 'chain',
  nodes: [
    {
      id: 'in',
      type: 'input',
      position: { x: 0, y: 0 },
      data: { dataset: { kind: 'xor_cloud', samples: 100, noise: 0.1 } },
    },
    { id: 'h1', type: 'dense', position: { x: 0, y: 0 }, data: { units: 3 } },
    { id: 'a1', type: 'activation', position: { x: 0, y: 0 }, data: { fn: 'relu' } },
    { id: 'h2', type: 'dense', position: { x: 0, y: 0 }, data: { units: 1 } },
    { id: 'L', type: 'loss', position: { x: 0, y: 0 }, data: { fn: 'mse' } },
  ],
  edges: [
    { id: 'e1', source: 'in', sourceHandle: 'x', target: 'h1', targetHandle: 'in' },
    { id: 'e2', source: 'h1', sourceHandle: 'out', target: 'a1', targetHandle: 'in' },
    { id: 'e3', source: 'a1', sourceHandle: 'out', target: 'h2', targetHandle: 'in' },
    { id: 'e4', source: 'h2', sourceHandle: 'out', target: 'L', targetHandle: 'pred' },
    { id: 'e5', source: 'in', sourceHandle: 'y', target: 'L', targetHandle: 'target' },
  ],
  training: { optimizer: { type: 'sgd', learningRate: 0.1 }, batchSize: 4, epochs: 1, seed: 1 },
});

/** Input → Dense × layers (a chain) → Loss, with statistics for every Dense. */
function longChain(layers: number) {
  const ids = Array.from({ length: layers }, (_, i) => `d${i}`);
  const doc = {
    ...chain,
    nodes: [chain.nodes[0]!, ...ids.map((id) => ({ ...chain.nodes[1]!, id })), chain.nodes.at(-1)!],
    edges: ['in', ...ids, 'L'].slice(1).map((target, i, all) => ({
      id: `e${i}`,
      source: i === 0 ? 'in' : (all[i - 1] as string),
      sourceHandle: i === 0 ? 'x' : 'out',
      target,
      targetHandle: target === 'L' ? 'pred' : 'in',
    })),
  };
  const nodes = new Map(ids.map((id, i) => [id, stats(id, { gradRms: 1 + i / layers, weightNorm: 1 })]));
  return { doc, nodes };
}

describe('health findings', () => {
  it('takes time linear in the layers of a long chain (a 5,000-node graph trains with the page answering)', () => {
    const time = (layers: number) => {
      const { doc, nodes } = longChain(layers);
      return leastCpuMs(() => assessHealth({ doc, nodes, history: epochs([1, 0.9]), initialLoss: 1 }), 5);
    };
    time(1200); // warm up
    const small = time(1200);
    const large = time(9600);
    // 8× the layers: linear takes ≈ 8× the time (a little more with the garbage collector), the quadratic walk ≈ 64×.
    expect(large / Math.max(small, 0.05), `${small.toFixed(1)} ms, ${large.toFixed(1)} ms`).toBeLessThan(32);
  });

  it('names dead ReLUs, saturated units, vanishing gradients and out-of-band updates on their nodes', () => {
    const nodes = new Map([
      ['h1', stats('h1', { gradRms: 0.001, weightNorm: 1, updateRatio: 0.05 })],
      ['a1', stats('a1', { dead: 0.95 })],
      ['h2', stats('h2', { gradRms: 0.5, weightNorm: 1, updateRatio: 1e-3 })],
    ]);
    const found = assessHealth({ doc: chain, nodes, history: epochs([1, 0.9]), initialLoss: 1 });
    expect(found.get('a1')).toEqual([{ code: 'dead-relu', value: 0.95, level: 'bad' }]);
    expect(found.get('h1')?.map((f) => f.code)).toEqual(['update-large', 'vanishing']);
    expect(found.get('h1')?.find((f) => f.code === 'vanishing')?.value).toBeCloseTo(0.002);
    expect(found.has('h2')).toBe(false);
  });

  it('a healthy network has nothing to say; exploding gradients are named', () => {
    const healthy = new Map([
      ['h1', stats('h1', { gradRms: 0.3, weightNorm: 1, updateRatio: 1e-3 })],
      ['a1', stats('a1', { dead: 0.1 })],
      ['h2', stats('h2', { gradRms: 0.5, weightNorm: 1, updateRatio: 1e-3 })],
    ]);
    expect(assessHealth({ doc: chain, nodes: healthy, history: epochs([1, 0.5]), initialLoss: 1 }).size).toBe(0);
    healthy.set('h1', stats('h1', { gradRms: 50, weightNorm: 1, updateRatio: 1e-3 }));
    const found = assessHealth({ doc: chain, nodes: healthy, history: epochs([1, 0.5]), initialLoss: 1 });
    expect(found.get('h1')).toEqual([{ code: 'exploding', value: 100, level: 'warn' }]);
  });

  it('a loss that stalls is named on the loss node, a converged one is not', () => {
    const flat = epochs([...Array.from({ length: 30 }, (_, i) => 1 - i * 0.01), ...Array(25).fill(0.7)]);
    expect(stallGain(flat)).toBeCloseTo(0, 6);
    expect(stallGain(epochs(Array.from({ length: 60 }, (_, i) => 1 / (i + 1))))).toBeNull();
    const found = assessHealth({ doc: chain, nodes: new Map(), history: flat, initialLoss: 1 });
    expect(found.get('L')?.[0]?.code).toBe('loss-stalled');
    const done = epochs([...Array(30).fill(0.5), ...Array(25).fill(0.001)]);
    expect(assessHealth({ doc: chain, nodes: new Map(), history: done, initialLoss: 1 }).size).toBe(0);
  });

  it('real statistics: a deep sigmoid stack with tiny weights shows vanishing gradients in its first layers, not its last', async () => {
    const doc = parseGraph(JSON.parse(readFileSync('public/examples/function-fit.json', 'utf8')));
    // Five sigmoid layers of 10 units, weights with std 0.05: each layer shrinks the gradient ~4×0.05×√10.
    const hidden = ['h', 'h2', 'h3', 'h4', 'h5'];
    doc.nodes = doc.nodes.filter((n) => n.id === 'in' || n.id === 'o' || n.id === 'L');
    doc.edges = doc.edges.filter((e) => e.id === 'e4' || e.id === 'e5');
    let prev = 'in';
    for (const [i, id] of hidden.entries()) {
      doc.nodes.push({ id, type: 'dense', position: { x: 0, y: 0 }, data: { units: 10, init: 'normal', std: 0.05 } });
      doc.nodes.push({ id: `${id}a`, type: 'activation', position: { x: 0, y: 0 }, data: { fn: 'sigmoid' } });
      doc.edges.push({
        id: `d${i}`,
        source: prev,
        sourceHandle: prev === 'in' ? 'x' : 'out',
        target: id,
        targetHandle: 'in',
      });
      doc.edges.push({ id: `a${i}`, source: id, sourceHandle: 'out', target: `${id}a`, targetHandle: 'in' });
      prev = `${id}a`;
    }
    doc.edges.push({ id: 'last', source: prev, sourceHandle: 'out', target: 'o', targetHandle: 'in' });
    const out: FromWorker[] = [];
    const session = createSession({
      post: (m) => out.push(m),
      loadMnist: () => Promise.reject(new Error('unused')),
      schedule: () => {},
      now: () => performance.now(),
    });
    await session.handle({ type: 'load', runId: 1, doc: parseGraph(doc), resetWeights: false });
    for (let e = 0; e < 3; e++) await session.handle({ type: 'epoch' });
    const last = <T extends FromWorker['type']>(type: T) =>
      out.filter((m): m is Extract<FromWorker, { type: T }> => m.type === type).at(-1)!;
    const nodes = new Map(last('stats').nodes.map((n) => [n.id, n]));
    const history = out.flatMap((m) => (m.type === 'epochs' ? m.metrics : []));
    const found = assessHealth({ doc, nodes, history, initialLoss: last('ready').initialLoss });
    expect(found.get('h')?.map((f) => f.code)).toContain('vanishing');
    expect(found.get('h5')?.map((f) => f.code) ?? []).not.toContain('vanishing');
  });
});
