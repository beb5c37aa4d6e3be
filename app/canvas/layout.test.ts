import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { type GraphDoc, MAX_NODES, parseGraph } from '../../engine/index.ts';
import { renameNodes } from '../testing/hostileIds.ts';
import { autoLayout } from './layout.ts';

it('lays out graphs whose ids are Object.prototype members (no plain object keyed by id)', () => {
  const doc = renameNodes(parseGraph(JSON.parse(readFileSync('public/examples/xor.json', 'utf8'))));
  const positions = new Map(autoLayout(doc, new Map()));
  expect([...positions.keys()]).toEqual(doc.nodes.map((n) => n.id));
  for (const p of positions.values()) expect(Number.isFinite(p.x) && Number.isFinite(p.y)).toBe(true);
  // Left to right along the chain.
  expect(positions.get('constructor')!.x).toBeLessThan(positions.get('__proto__')!.x);
  expect(positions.get('__proto__')!.x).toBeLessThan(positions.get('valueOf')!.x);
});

it('lays out a chain of MAX_NODES nodes without recursion (no stack overflow), left to right, in well under a second', () => {
  for (const count of [4_000, MAX_NODES]) {
    const ids = Array.from({ length: count }, (_, i) => `n${i}`);
    const doc: GraphDoc = {
      ...parseGraph(JSON.parse(readFileSync('public/examples/xor.json', 'utf8'))),
      nodes: ids.map((id, i) => ({
        id,
        type: 'activation',
        position: { x: 0, y: 0 },
        data: { fn: i % 2 ? 'relu' : 'tanh' },
      })),
      edges: ids.slice(1).map((id, i) => ({
        id: `e${i}`,
        source: ids[i]!,
        sourceHandle: 'out',
        target: id,
        targetHandle: 'in',
      })),
    };
    const started = performance.now();
    const positions = autoLayout(doc, new Map());
    expect(performance.now() - started, `${count} nodes`).toBeLessThan(1000);
    expect(positions).toHaveLength(count);
    for (let i = 1; i < count; i++) expect(positions[i]![1].x).toBeGreaterThan(positions[i - 1]![1].x);
    expect(new Set(positions.map(([, p]) => p.y)).size).toBe(1); // a chain is one straight row
  }
});

it('keeps layers apart and nodes of one layer from overlapping (a residual block)', () => {
  const doc = parseGraph(JSON.parse(readFileSync('public/examples/xor.json', 'utf8')));
  // in → h → ha → o → oa → L, plus in feeds L: lay out; every node of a column has its own row.
  const size = { width: 180, height: 80 };
  const positions = new Map(autoLayout(doc, new Map(doc.nodes.map((n) => [n.id, size]))));
  const boxes = [...positions.values()];
  for (const [i, a] of boxes.entries())
    for (const b of boxes.slice(i + 1))
      expect(Math.abs(a.x - b.x) >= size.width || Math.abs(a.y - b.y) >= size.height).toBe(true);
  expect(positions.get('in')!.x).toBeLessThan(positions.get('h')!.x);
  expect(positions.get('oa')!.x).toBeLessThan(positions.get('L')!.x);
});

it('lays out a graph with a cycle (an imported file may hold one) without hanging', () => {
  const doc = parseGraph(JSON.parse(readFileSync('public/examples/xor.json', 'utf8')));
  doc.edges.push({ id: 'back', source: 'oa', sourceHandle: 'out', target: 'h', targetHandle: 'in' });
  const positions = autoLayout(doc, new Map());
  expect(positions.map(([id]) => id)).toEqual(doc.nodes.map((n) => n.id));
  for (const [, p] of positions) expect(Number.isFinite(p.x) && Number.isFinite(p.y)).toBe(true);
});
