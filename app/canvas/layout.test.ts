import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { parseGraph } from '../../engine/index.ts';
import { renameNodes } from '../testing/hostileIds.ts';
import { autoLayout } from './layout.ts';

it('lays out graphs whose ids are Object.prototype members (dagre keys plain objects by id)', () => {
  const doc = renameNodes(parseGraph(JSON.parse(readFileSync('public/examples/xor.json', 'utf8'))));
  const positions = new Map(autoLayout(doc, new Map()));
  expect([...positions.keys()]).toEqual(doc.nodes.map((n) => n.id));
  for (const p of positions.values()) expect(Number.isFinite(p.x) && Number.isFinite(p.y)).toBe(true);
  // Left to right along the chain.
  expect(positions.get('constructor')!.x).toBeLessThan(positions.get('__proto__')!.x);
  expect(positions.get('__proto__')!.x).toBeLessThan(positions.get('valueOf')!.x);
});
