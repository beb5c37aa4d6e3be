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

const inside = (g: Box, area: Box) =>
  g.x >= area.x && g.y >= area.y && g.x + g.width <= area.x + area.width && g.y + g.height <= area.y + area.height;

/**
 * The nearest offset (searched outwards ring by ring) at which none of `group` overlaps `taken`;
 * with `within`, the nearest such offset that keeps the group inside it first (a new node on screen).
 */
function freeOffset(group: readonly Box[], taken: readonly Box[], within?: Box): Position {
  const fits = (dx: number, dy: number, area?: Box) =>
    group.every((g) => {
      const moved = { ...g, x: g.x + dx, y: g.y + dy };
      return (!area || inside(moved, area)) && taken.every((t) => !overlaps(moved, t));
    });
  const search = (area?: Box): Position | null => {
    if (fits(0, 0, area)) return { x: 0, y: 0 };
    // NOTE: inside an area, rings beyond its extent from the group can never fit.
    const g = group[0];
    const rings =
      area && g
        ? Math.min(
            200,
            Math.ceil(
              (Math.max(Math.abs(area.x - g.x), Math.abs(area.x + area.width - g.x)) +
                Math.max(Math.abs(area.y - g.y), Math.abs(area.y + area.height - g.y))) /
                STEP,
            ),
          )
        : 200;
    for (let ring = 1; ring < rings; ring++) {
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
          if (d < bestDistance && fits(dx * STEP, dy * STEP, area)) {
            best = { x: dx * STEP, y: dy * STEP };
            bestDistance = d;
          }
        }
      if (best) return best;
    }
    return null;
  };
  return (within && search(within)) ?? search() ?? { x: 0, y: 0 };
}

/** The free position nearest to `wanted` for a new node of `size`, inside `within` when there is room. */
export function freePosition(
  doc: GraphDoc,
  measured: ReadonlyMap<string, Size>,
  wanted: Position,
  size: Size = DEFAULT_NODE_SIZE,
  within?: Box,
): Position {
  const offset = freeOffset([{ ...wanted, ...size }], boxesOf(doc, measured), within);
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
