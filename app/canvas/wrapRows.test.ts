import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseGraph } from '../../engine/index.ts';
import { READABLE_ZOOM } from '../nodes/nodeLook.ts';
import { autoLayout } from './layout.ts';
import { wrapRows } from './wrapRows.ts';

const doc = (name: string) => parseGraph(JSON.parse(readFileSync(`public/examples/${name}.json`, 'utf8')));
const box = { width: 204, height: 220 };

function bounds(positions: readonly (readonly [string, { x: number; y: number }])[]) {
  const xs = positions.map(([, p]) => p.x);
  const ys = positions.map(([, p]) => p.y);
  return {
    width: Math.max(...xs) - Math.min(...xs) + box.width,
    height: Math.max(...ys) - Math.min(...ys) + box.height,
  };
}

function overlaps(positions: readonly (readonly [string, { x: number; y: number }])[]) {
  const out: string[] = [];
  for (const [a, p] of positions)
    for (const [b, q] of positions)
      if (a < b && p.x < q.x + box.width && q.x < p.x + box.width && p.y < q.y + box.height && q.y < p.y + box.height)
        out.push(`${a}/${b}`);
  return out;
}

describe('auto-layout wrapped to the canvas', () => {
  it('wraps a long chain into rows that fit a 1280×720 canvas at a readable zoom, in reading order', () => {
    const mnist = doc('mnist');
    const sizes = new Map(mnist.nodes.map((n) => [n.id, box]));
    // The canvas at 1280×720 (684 × 580 px) less the margins its own controls keep.
    const area = { width: 660, height: 524 };
    const plain = autoLayout(mnist, sizes);
    const oneRow = bounds(plain);
    expect(Math.min(area.width / oneRow.width, area.height / oneRow.height)).toBeLessThan(READABLE_ZOOM);
    const wrapped = wrapRows(plain, () => box, area);
    expect(wrapped.map(([id]) => id)).toEqual(plain.map(([id]) => id));
    const b = bounds(wrapped);
    expect(Math.min(area.width / b.width, area.height / b.height)).toBeGreaterThanOrEqual(READABLE_ZOOM);
    expect(overlaps(wrapped)).toEqual([]);
    // Reading order: along the chain, each node is right of the last in its row, or in a lower row.
    const at = new Map(wrapped);
    const chain = ['in', 'h', 'ha', 'o', 'oa', 'L'];
    for (let i = 1; i < chain.length; i++) {
      const p = at.get(chain[i - 1]!)!;
      const q = at.get(chain[i]!)!;
      expect(q.x > p.x || q.y > p.y, `${chain[i - 1]} → ${chain[i]}`).toBe(true);
    }
  });

  it('keeps one row where it fits', () => {
    const and = doc('and');
    const plain = autoLayout(and, new Map(and.nodes.map((n) => [n.id, box])));
    const wrapped = new Map(wrapRows(plain, () => box, { width: 2000, height: 600 }));
    expect(new Set([...wrapped.values()].map((p) => p.y)).size).toBeLessThanOrEqual(2);
    expect(wrapped.get('L')!.x).toBeGreaterThan(wrapped.get('na')!.x);
  });
});
