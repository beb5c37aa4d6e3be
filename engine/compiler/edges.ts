// The one rule book for edges: the canvas asks it while the user drags a connection, the analysis
// asks it for every edge of a document, the editor's connect command refuses what it refuses.
// Policy for a second edge into an occupied input: refused (an input takes exactly one edge).
import type { GraphDoc, GraphEdge, GraphNode } from '../format/types.ts';
import { findNodeDefinition, problemMessage } from '../nodes/index.ts';
import type { ProblemParams } from '../problems.ts';

/** An edge of the document, or one being drawn (no id yet, handles possibly unknown). */
export interface ProposedEdge {
  id?: string | undefined;
  source: string;
  sourceHandle?: string | null | undefined;
  target: string;
  targetHandle?: string | null | undefined;
}

export interface EdgeProblem {
  code: string;
  params: ProblemParams;
  /** English. */
  message: string;
  /** The node the problem is about, when there is one. */
  nodeId?: string;
}

/** Look-ups over a document's nodes and edges, built once for many edgeProblem calls. */
export interface EdgeIndex {
  nodes: ReadonlyMap<string, GraphNode>;
  /** "<target>\0<port>" → the edges into that port, in document order. */
  into: ReadonlyMap<string, readonly GraphEdge[]>;
  /** node id → the nodes its outputs feed. */
  next: ReadonlyMap<string, readonly string[]>;
}

const portKey = (node: string, port: string) => `${node}\u0000${port}`;

export function edgeIndex(doc: GraphDoc): EdgeIndex {
  const nodes = new Map(doc.nodes.map((n) => [n.id, n]));
  const into = new Map<string, GraphEdge[]>();
  const next = new Map<string, string[]>();
  for (const e of doc.edges) {
    const key = portKey(e.target, e.targetHandle);
    const list = into.get(key);
    if (list) list.push(e);
    else into.set(key, [e]);
    const out = next.get(e.source);
    if (out) out.push(e.target);
    else next.set(e.source, [e.target]);
  }
  return { nodes, into, next };
}

function problem(code: string, params: ProblemParams, nodeId?: string): EdgeProblem {
  const p: EdgeProblem = { code, params, message: problemMessage(code, params) };
  if (nodeId !== undefined) p.nodeId = nodeId;
  return p;
}

/**
 * Why `edge` cannot be part of `doc`, or null when it can. For an edge of the document, "occupied"
 * means an earlier edge already feeds its input. Cycle checks walk the graph: the analysis turns
 * them off (it finds cycles once, in its topological sort).
 *
 * @example
 * edgeProblem(doc, { source: 'h', sourceHandle: 'out', target: 'h', targetHandle: 'in' })?.code // 'edge.self'
 */
export function edgeProblem(
  doc: GraphDoc,
  edge: ProposedEdge,
  options: { index?: EdgeIndex; cycles?: boolean } = {},
): EdgeProblem | null {
  const index = options.index ?? edgeIndex(doc);
  const source = index.nodes.get(edge.source);
  const target = index.nodes.get(edge.target);
  if (!source || !target) return problem('edge.missing-node', { edge: edge.id ?? '' });
  const sourceDef = findNodeDefinition(source.type);
  const targetDef = findNodeDefinition(target.type);
  const ends = { source: source.id, sourceType: source.type, target: target.id, targetType: target.type };
  if (
    !edge.sourceHandle ||
    !edge.targetHandle ||
    !sourceDef?.ports.outputs.includes(edge.sourceHandle) ||
    !targetDef?.ports.inputs.includes(edge.targetHandle)
  )
    return problem('edge.bad-port', { edge: edge.id ?? '', ...ends });
  const at = { node: target.id, nodeType: target.type };
  if (source.id === target.id) return problem('edge.self', at, target.id);
  const feeding = index.into.get(portKey(target.id, edge.targetHandle)) ?? [];
  const first = feeding[0];
  if (first && first.id !== edge.id) return problem('edge.occupied', { ...at, port: edge.targetHandle }, target.id);
  const fromY = source.type === 'input' && edge.sourceHandle === 'y';
  const intoTarget = target.type === 'loss' && edge.targetHandle === 'target';
  if (fromY && !intoTarget)
    return problem('edge.targets-only-to-loss', { ...at, source: source.id, sourceType: source.type }, target.id);
  if (intoTarget && !fromY)
    return problem('edge.target-from-y', { ...at, source: source.id, sourceType: source.type }, target.id);
  if (options.cycles !== false && reaches(index, target.id, source.id))
    return problem('edge.cycle', { node: source.id, nodeType: source.type }, source.id);
  return null;
}

/** True when a path of edges leads from `from` to `to` (iterative). */
function reaches(index: EdgeIndex, from: string, to: string): boolean {
  const seen = new Set([from]);
  const stack = [from];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (id === to) return true;
    for (const n of index.next.get(id) ?? []) {
      if (!seen.has(n)) {
        seen.add(n);
        stack.push(n);
      }
    }
  }
  return false;
}

/** Codes of edges that are wrong but still carry data (reported, kept in the analysis). */
export const KEPT_EDGE_PROBLEMS: ReadonlySet<string> = new Set(['edge.targets-only-to-loss', 'edge.target-from-y']);
