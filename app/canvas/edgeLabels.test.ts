import { describe, expect, it } from 'vitest';
import { bezierPoint, type LabelEdge, placeEdgeLabels, type Rect } from './edgeLabels.ts';

// The XOR example wrapped into two rows at 1280×720 (flow coordinates as measured on screen):
// Input, Dense h, Activation ha in the first row; Dense o, Activation oa, Loss in the second.
const NODES = new Map<string, Rect>([
  ['in', { x: 249, y: 135, w: 160, h: 112 }],
  ['h', { x: 459, y: 135, w: 193, h: 208 }],
  ['ha', { x: 702, y: 135, w: 193, h: 151 }],
  ['o', { x: 249, y: 393, w: 193, h: 208 }],
  ['oa', { x: 491, y: 393, w: 194, h: 151 }],
  ['L', { x: 735, y: 393, w: 166, h: 103 }],
]);
const edge = (id: string, sx: number, sy: number, tx: number, ty: number): LabelEdge => ({
  id,
  sx,
  sy,
  tx,
  ty,
  w: 42,
  h: 18,
});
const EDGES = [
  edge('e1', 410, 185, 459, 249),
  edge('e2', 653, 249, 702, 220),
  edge('e3', 896, 220, 248, 507), // the row's end to the next row's start
  edge('e4', 443, 507, 491, 478),
  edge('e5', 686, 478, 735, 437),
  edge('e6', 410, 216, 735, 468), // Input's y to the Loss's target
];

function collisions(spots: Map<string, { x: number; y: number }>): string[] {
  const rects = EDGES.map((e) => {
    const p = spots.get(e.id)!;
    return [e.id, { x: p.x - e.w / 2, y: p.y - e.h / 2, w: e.w, h: e.h }] as const;
  });
  const hit = (a: Rect, b: Rect) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
  const found: string[] = [];
  for (const [i, [id, r]] of rects.entries()) {
    for (const [other, o] of rects.slice(i + 1)) if (hit(r, o)) found.push(`${id}~${other}`);
    for (const [name, n] of NODES) if (hit(r, n)) found.push(`${id}~${name}`);
  }
  return found;
}

describe('edge labels', () => {
  it('in the middle of each curve, the XOR graph in two rows has labels on each other and on nodes', () => {
    const middles = new Map(EDGES.map((e) => [e.id, bezierPoint(e, 0.5)]));
    expect(collisions(middles)).not.toEqual([]);
  });

  it('placed, no label of the two-row XOR graph touches another label or a node', () => {
    expect(collisions(placeEdgeLabels(EDGES, [...NODES.values()]))).toEqual([]);
  });

  it('an edge to its neighbour keeps its label in the middle', () => {
    const spots = placeEdgeLabels(EDGES, [...NODES.values()]);
    for (const id of ['e1', 'e2', 'e4', 'e5'])
      expect(spots.get(id)).toEqual(bezierPoint(EDGES.find((e) => e.id === id)!, 0.5));
  });

  it('ends at the edge ends: t = 0 at the source, 1 at the target', () => {
    const e = EDGES[2]!;
    expect(bezierPoint(e, 0)).toEqual({ x: e.sx, y: e.sy });
    expect(bezierPoint(e, 1)).toEqual({ x: e.tx, y: e.ty });
  });
});
