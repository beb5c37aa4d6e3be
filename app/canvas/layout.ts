import dagre from '@dagrejs/dagre';
import type { GraphDoc, Position } from '../../engine/index.ts';

/** Left-to-right layered layout (dagre); sizes are the measured node boxes. */
export function autoLayout(
  doc: GraphDoc,
  measured: ReadonlyMap<string, { width: number; height: number }>,
): [string, Position][] {
  // NOTE: dagre keeps nodes in plain objects keyed by id, which ids such as `__proto__` break:
  // it is given its own keys (n0, n1, …), never the document's ids.
  const key = new Map(doc.nodes.map((n, i) => [n.id, `n${i}`]));
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'LR', nodesep: 40, ranksep: 80, marginx: 20, marginy: 20 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of doc.nodes)
    g.setNode(key.get(n.id)!, { width: measured.get(n.id)?.width ?? 180, height: measured.get(n.id)?.height ?? 80 });
  for (const e of doc.edges) {
    const source = key.get(e.source);
    const target = key.get(e.target);
    if (source && target) g.setEdge(source, target);
  }
  dagre.layout(g);
  return doc.nodes.map((n) => {
    const p = g.node(key.get(n.id)!);
    return [n.id, { x: p.x - p.width / 2, y: p.y - p.height / 2 }];
  });
}
