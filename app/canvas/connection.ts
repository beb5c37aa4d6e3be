// Which connections can never be valid, and why — checked while the user drags an edge.
import { type GraphDoc, nodeLabel, PORTS } from '../../engine/index.ts';

export interface ProposedEdge {
  source: string;
  sourceHandle?: string | null | undefined;
  target: string;
  targetHandle?: string | null | undefined;
}

/** A sentence explaining why the connection is refused, or null when it is allowed. */
export function connectionProblem(doc: GraphDoc, c: ProposedEdge): string | null {
  const source = doc.nodes.find((n) => n.id === c.source);
  const target = doc.nodes.find((n) => n.id === c.target);
  if (!source || !target || !c.sourceHandle || !c.targetHandle)
    return 'Connect an output (right side) to an input (left side)';
  if (!PORTS[source.type].outputs.includes(c.sourceHandle) || !PORTS[target.type].inputs.includes(c.targetHandle)) {
    return 'Connect an output (right side) to an input (left side)';
  }
  if (source.id === target.id) return `${nodeLabel(source)} cannot feed itself`;
  if (doc.edges.some((e) => e.target === target.id && e.targetHandle === c.targetHandle)) {
    return `${nodeLabel(target)}'s '${c.targetHandle}' input is already connected; delete that edge first`;
  }
  if (c.sourceHandle === 'y' && c.targetHandle !== 'target')
    return "The Input's targets 'y' can only feed a Loss node's 'target'";
  if (c.targetHandle === 'target' && c.sourceHandle !== 'y') return "A Loss node's 'target' takes the Input's 'y'";
  // A path target → … → source would close a cycle.
  const stack = [target.id];
  const seen = new Set(stack);
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (id === source.id) return `That would make a cycle through ${nodeLabel(source)}: data must flow one way`;
    for (const e of doc.edges) {
      if (e.source === id && !seen.has(e.target)) {
        seen.add(e.target);
        stack.push(e.target);
      }
    }
  }
  return null;
}
