// Where each edge's shape label sits: at the middle of its curve, unless that spot is on a node or on
// another label. Edges that span more than a neighbour's hop (the edge that wraps a long graph into its
// next row, the Input's y running to the Loss) have their middle anywhere; they take the first free
// point along their own curve. React Flow's bezier (curvature 0.25, source on the right, target on the left).

export interface Point {
  x: number;
  y: number;
}
export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}
/** An edge's ends (flow coordinates) and its label's size. */
export interface LabelEdge {
  id: string;
  sx: number;
  sy: number;
  tx: number;
  ty: number;
  w: number;
  h: number;
}

/** An edge this short (to the right, within this much in x and y) keeps its label in the middle. */
export const NEIGHBOUR_HOP = 160;
/** Points along the curve a long edge's label tries, nearest the middle first. */
const TRIES = [0.5, 0.4, 0.6, 0.3, 0.7, 0.22, 0.78, 0.15, 0.85, 0.1, 0.9];
const CURVATURE = 0.25;
/** Space kept between a label and what it avoids. */
const MARGIN = 3;

const offset = (distance: number) => (distance >= 0 ? 0.5 * distance : CURVATURE * 25 * Math.sqrt(-distance));

/** The point at `t` on React Flow's bezier from a right-hand source to a left-hand target. */
export function bezierPoint(e: Pick<LabelEdge, 'sx' | 'sy' | 'tx' | 'ty'>, t: number): Point {
  const c1x = e.sx + offset(e.tx - e.sx);
  const c2x = e.tx - offset(e.tx - e.sx);
  const u = 1 - t;
  const [a, b, c, d] = [u * u * u, 3 * u * u * t, 3 * u * t * t, t * t * t];
  return { x: a * e.sx + b * c1x + c * c2x + d * e.tx, y: a * e.sy + b * e.sy + c * e.ty + d * e.ty };
}

export const isNeighbourHop = (e: LabelEdge) =>
  e.tx > e.sx && e.tx - e.sx <= NEIGHBOUR_HOP && Math.abs(e.ty - e.sy) <= NEIGHBOUR_HOP;

const around = (p: Point, e: LabelEdge): Rect => ({ x: p.x - e.w / 2, y: p.y - e.h / 2, w: e.w, h: e.h });
function overlap(a: Rect, b: Rect): number {
  const w = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x) + MARGIN;
  const h = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y) + MARGIN;
  return w > 0 && h > 0 ? w * h : 0;
}

/**
 * The label centre of every edge: neighbour hops in their middle; then each longer edge at the first
 * point of TRIES where its label touches no node and no label placed before it, else where it overlaps
 * least. The longer edges with the fewest free points choose first (then by id).
 */
export function placeEdgeLabels(edges: readonly LabelEdge[], nodes: readonly Rect[]): Map<string, Point> {
  const spots = new Map<string, Point>();
  const placed: Rect[] = [];
  const long: LabelEdge[] = [];
  for (const e of edges) {
    if (!isNeighbourHop(e)) {
      long.push(e);
      continue;
    }
    const p = bezierPoint(e, 0.5);
    spots.set(e.id, p);
    placed.push(around(p, e));
  }
  const cost = (r: Rect) => {
    let sum = 0;
    for (const o of nodes) sum += overlap(r, o);
    for (const o of placed) sum += overlap(r, o);
    return sum;
  };
  const free = new Map(long.map((e) => [e.id, TRIES.filter((t) => cost(around(bezierPoint(e, t), e)) === 0).length]));
  long.sort((a, b) => free.get(a.id)! - free.get(b.id)! || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const e of long) {
    let best = { p: bezierPoint(e, 0.5), cost: Number.POSITIVE_INFINITY };
    for (const t of TRIES) {
      const p = bezierPoint(e, t);
      const c = cost(around(p, e));
      if (c < best.cost) best = { p, cost: c };
      if (c === 0) break;
    }
    spots.set(e.id, best.p);
    placed.push(around(best.p, e));
  }
  return spots;
}
