import dagre from '@dagrejs/dagre';
import type { GraphDoc, Position } from '../../engine/index.ts';

/** Left-to-right layered layout (dagre); sizes are the measured node boxes. */
export function autoLayout(
  doc: GraphDoc,
  measured: ReadonlyMap<string, { width: number; height: number }>,
): [string, Position][] {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'LR', nodesep: 40, ranksep: 80, marginx: 20, marginy: 20 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of doc.nodes)
    g.setNode(n.id, { width: measured.get(n.id)?.width ?? 180, height: measured.get(n.id)?.height ?? 80 });
  for (const e of doc.edges) g.setEdge(e.source, e.target);
  dagre.layout(g);
  return doc.nodes.map((n) => {
    const p = g.node(n.id);
    return [n.id, { x: p.x - p.width / 2, y: p.y - p.height / 2 }];
  });
}
