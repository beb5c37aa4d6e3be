// Where new nodes go: never on top of another node. Drops, double-click adds, quick-add and paste
// all ask here for the nearest free spot to where the user wanted the node.
import type { GraphDoc, Position } from '../../engine/index.ts';
import { NODE_MAX } from '../nodes/nodeLook.ts';

export interface Size {
  width: number;
  height: number;
}

/** The size assumed for a node the canvas has not measured yet: the largest a node grows (while training). */
export const DEFAULT_NODE_SIZE: Size = NODE_MAX;
/** Free space kept around every node. */
const GAP = 16;
const STEP = 24;

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

const overlaps = (a: Box, b: Box) =>
  a.x < b.x + b.width + GAP && b.x < a.x + a.width + GAP && a.y < b.y + b.height + GAP && b.y < a.y + a.height + GAP;

function boxesOf(doc: GraphDoc, measured: ReadonlyMap<string, Size>): Box[] {
  return doc.nodes.map((n) => ({ ...n.position, ...(measured.get(n.id) ?? DEFAULT_NODE_SIZE) }));
}

/** The nearest offset (searched outwards ring by ring) at which none of `group` overlaps `taken`. */
function freeOffset(group: readonly Box[], taken: readonly Box[]): Position {
  const fits = (dx: number, dy: number) =>
    group.every((g) => taken.every((t) => !overlaps({ ...g, x: g.x + dx, y: g.y + dy }, t)));
  if (fits(0, 0)) return { x: 0, y: 0 };
  for (let ring = 1; ring < 200; ring++) {
    let best: Position | null = null;
    let bestDistance = Number.POSITIVE_INFINITY;
    for (let i = -ring; i <= ring; i++)
      for (const [dx, dy] of [
        [i, -ring],
        [i, ring],
        [-ring, i],
        [ring, i],
      ] as const) {
        const d = dx * dx + dy * dy;
        if (d < bestDistance && fits(dx * STEP, dy * STEP)) {
          best = { x: dx * STEP, y: dy * STEP };
          bestDistance = d;
        }
      }
    if (best) return best;
  }
  return { x: 0, y: 0 };
}

/** The free position nearest to `wanted` for a new node of `size`. */
export function freePosition(
  doc: GraphDoc,
  measured: ReadonlyMap<string, Size>,
  wanted: Position,
  size: Size = DEFAULT_NODE_SIZE,
): Position {
  const offset = freeOffset([{ ...wanted, ...size }], boxesOf(doc, measured));
  return { x: wanted.x + offset.x, y: wanted.y + offset.y };
}

/** The offset nearest to `wanted` at which pasted nodes (at their own positions + offset) cover no node. */
export function freePasteOffset(
  doc: GraphDoc,
  measured: ReadonlyMap<string, Size>,
  pasted: readonly { id: string; position: Position }[],
  wanted: Position,
): Position {
  const group = pasted.map((n) => ({
    x: n.position.x + wanted.x,
    y: n.position.y + wanted.y,
    ...DEFAULT_NODE_SIZE,
  }));
  const offset = freeOffset(group, boxesOf(doc, measured));
  return { x: wanted.x + offset.x, y: wanted.y + offset.y };
}
