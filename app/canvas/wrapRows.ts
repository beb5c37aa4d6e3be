// A left-to-right layout wrapped into rows like text, so that it fits the canvas at a readable zoom
// (a 7-layer MNIST graph in one row needs 2,000 px; in two rows it fits 1280×720 at zoom 1).
import type { Position } from '../../engine/index.ts';

export interface Size {
  width: number;
  height: number;
}

/** Space between the columns (layers) of a row and between rows, in graph units. */
export const WRAP_GAP = { column: 50, row: 50 } as const;
/** At most this many row widths are tried (a long chain has as many columns as nodes). */
const MAX_CANDIDATES = 80;

interface Column {
  left: number;
  top: number;
  width: number;
  height: number;
  members: [string, Position][];
}

/** Nodes that share a centre x (one layer of a left-to-right layout), left to right. */
function columnsOf(positions: readonly (readonly [string, Position])[], size: (id: string) => Size): Column[] {
  const byCentre = new Map<number, [string, Position][]>();
  for (const [id, p] of positions) {
    const centre = Math.round(p.x + size(id).width / 2);
    const list = byCentre.get(centre) ?? [];
    list.push([id, p]);
    byCentre.set(centre, list);
  }
  return [...byCentre.keys()]
    .sort((a, b) => a - b)
    .map((centre) => {
      const members = byCentre.get(centre)!;
      const left = Math.min(...members.map(([, p]) => p.x));
      const right = Math.max(...members.map(([id, p]) => p.x + size(id).width));
      const top = Math.min(...members.map(([, p]) => p.y));
      const bottom = Math.max(...members.map(([id, p]) => p.y + size(id).height));
      return { left, top, width: right - left, height: bottom - top, members };
    });
}

/** Columns packed greedily into rows no wider than `limit` (a column wider than it gets a row of its own). */
function pack(columns: readonly Column[], limit: number) {
  const out: [string, Position][] = [];
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  let width = 0;
  for (const c of columns) {
    if (x > 0 && x + c.width > limit) {
      y += rowHeight + WRAP_GAP.row;
      x = 0;
      rowHeight = 0;
    }
    for (const [id, p] of c.members) out.push([id, { x: x + p.x - c.left, y: y + p.y - c.top }]);
    width = Math.max(width, x + c.width);
    rowHeight = Math.max(rowHeight, c.height);
    x += c.width + WRAP_GAP.column;
  }
  return { positions: out, width, height: y + rowHeight };
}

/**
 * The layout's columns wrapped into rows so the whole graph fits `area` (graph units at zoom 1) at the
 * largest zoom, up to `maxZoom`; of equal zooms the fewest rows. Positions come back in the input's order.
 *
 * @example
 * wrapRows(autoLayout(doc, sizes), (id) => sizes.get(id)!, { width: 800, height: 560 });
 */
export function wrapRows(
  positions: readonly (readonly [string, Position])[],
  size: (id: string) => Size,
  area: Size,
  maxZoom = 1,
): [string, Position][] {
  const columns = columnsOf(positions, size);
  if (columns.length === 0) return [];
  // Row widths worth trying: the width of every run of consecutive columns (sampled on long chains).
  const step = Math.max(1, Math.ceil(columns.length / MAX_CANDIDATES));
  const candidates = new Set<number>();
  for (let i = 0; i < columns.length; i += step) {
    let width = -WRAP_GAP.column;
    for (let j = i; j < columns.length; j += 1) {
      width += columns[j]!.width + WRAP_GAP.column;
      if ((j - i) % step === 0 || j === columns.length - 1) candidates.add(width);
    }
  }
  let best: ReturnType<typeof pack> | null = null;
  let bestZoom = -1;
  for (const limit of [...candidates].sort((a, b) => b - a)) {
    const packed = pack(columns, limit);
    const zoom = Math.min(maxZoom, area.width / packed.width, area.height / packed.height);
    if (zoom > bestZoom + 1e-9) {
      best = packed;
      bestZoom = zoom;
    }
  }
  const at = new Map(best!.positions);
  return positions.map(([id]) => [id, at.get(id)!]);
}
