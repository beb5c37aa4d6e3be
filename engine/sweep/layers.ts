// The pseudo-setting `<denseId>.layers` = N: the block that starts at a Dense (the Dense and the
// Activation right after it, if any) repeated N times in a chain, the copies wired between the
// block and whatever it fed. 1 leaves the graph as it is.
import type { GraphDoc, GraphEdge, GraphNode } from '../format/types.ts';
import { type FieldType, SweepError } from './fields.ts';

export const LAYERS_FIELD = 'layers';
/** Most copies of a block a sweep may ask for. */
export const MAX_LAYERS = 20;
export const LAYERS_TYPE: FieldType = { kind: 'number', integer: true, min: 1, max: MAX_LAYERS };

/** Vertical distance between a block and its copy (the copies stack under the block). */
const ROW = 150;

/** An id not in `taken` (and then taken): `h_2`, `h_3`, … from `base` and the first number tried. */
function freshId(base: string, from: number, taken: Set<string>): string {
  let k = from;
  while (taken.has(`${base}_${k}`)) k++;
  const id = `${base}_${k}`;
  taken.add(id);
  return id;
}

/** `base` itself when free, else a fresh `base_2`, `base_3`, … */
function edgeId(base: string, taken: Set<string>): string {
  if (taken.has(base)) return freshId(base, 2, taken);
  taken.add(base);
  return base;
}

/**
 * Repeats the block starting at Dense `denseId` so the chain holds `count` of them; mutates and
 * returns `doc` (applySetting hands it a copy).
 */
export function repeatLayers(doc: GraphDoc, denseId: string, count: number): GraphDoc {
  const dense = doc.nodes.find((n) => n.id === denseId);
  if (dense?.type !== 'dense') throw new SweepError(`${denseId}.layers repeats a Dense layer only`);
  if (count === 1) return doc;
  const fromDense = doc.edges.filter((e) => e.source === denseId);
  const next = fromDense.length === 1 ? doc.nodes.find((n) => n.id === fromDense[0]!.target) : undefined;
  const block: GraphNode[] = next?.type === 'activation' ? [dense, next] : [dense];
  const last = block[block.length - 1]!;
  // What the block fed: rewired to come from the last copy.
  const outgoing = doc.edges.filter((e) => e.source === last.id);
  const inner = block.length === 2 ? fromDense[0]! : null;

  const taken = new Set<string>(doc.nodes.map((n) => n.id));
  const takenEdges = new Set<string>(doc.edges.map((e) => e.id));
  const blockTop = Math.max(...block.map((n) => n.position.y));
  // Nodes below the block move down to make room for the copies.
  const shift = (count - 1) * ROW;
  for (const n of doc.nodes) if (!block.includes(n) && n.position.y > blockTop) n.position.y += shift;

  let prevEnd = last.id;
  const added: GraphNode[] = [];
  const addedEdges: GraphEdge[] = [];
  for (let k = 2; k <= count; k++) {
    const ids = block.map((n) => freshId(n.id, k, taken));
    block.forEach((n, i) => {
      added.push({
        ...structuredClone(n),
        id: ids[i]!,
        position: { x: n.position.x, y: n.position.y + (k - 1) * ROW },
      } as GraphNode);
    });
    addedEdges.push({
      id: edgeId(`e_${ids[0]}`, takenEdges),
      source: prevEnd,
      sourceHandle: 'out',
      target: ids[0]!,
      targetHandle: 'in',
    });
    if (inner)
      addedEdges.push({
        id: edgeId(`e_${ids[1]}`, takenEdges),
        source: ids[0]!,
        sourceHandle: inner.sourceHandle,
        target: ids[1]!,
        targetHandle: inner.targetHandle,
      });
    prevEnd = ids[ids.length - 1]!;
  }
  for (const e of outgoing) e.source = prevEnd;
  // NOTE: the copies go right after the block in `nodes`, so the document reads in chain order.
  const at = Math.max(...block.map((n) => doc.nodes.indexOf(n))) + 1;
  doc.nodes.splice(at, 0, ...added);
  doc.edges.push(...addedEdges);
  return doc;
}
