import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { parseGraph } from '../../engine/index.ts';
import { autoLayout } from './layout.ts';

it('lays out graphs whose ids are Object.prototype members (dagre keys plain objects by id)', () => {
  const rename = new Map([
    ['in', 'constructor'],
    ['h', '__proto__'],
    ['ha', 'toString'],
    ['o', 'valueOf'],
    ['L', 'hasOwnProperty'],
  ]);
  const doc = parseGraph(JSON.parse(readFileSync('public/examples/xor.json', 'utf8')));
  for (const n of doc.nodes) n.id = rename.get(n.id) ?? n.id;
  for (const e of doc.edges) {
    e.source = rename.get(e.source) ?? e.source;
    e.target = rename.get(e.target) ?? e.target;
  }
  const positions = new Map(autoLayout(doc, new Map()));
  expect([...positions.keys()]).toEqual(doc.nodes.map((n) => n.id));
  for (const p of positions.values()) expect(Number.isFinite(p.x) && Number.isFinite(p.y)).toBe(true);
  // Left to right along the chain.
  expect(positions.get('constructor')!.x).toBeLessThan(positions.get('__proto__')!.x);
  expect(positions.get('__proto__')!.x).toBeLessThan(positions.get('valueOf')!.x);
});
