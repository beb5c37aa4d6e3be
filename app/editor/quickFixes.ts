// Fixes the editor offers for a problem, as commands: one click, one undo step. Which problem has
// which fix is the node module's to say (its `fixes`: a node to insert before it, e.g. Flatten
// before a Dense fed images, Reshape before a Conv2D fed a flat vector).
import {
  type GraphDoc,
  NODE_DEFINITIONS,
  type NodeType,
  type ProblemParams,
  type QuickFixSpec,
} from '../../engine/index.ts';
import type { Command } from './commands.ts';

/** Room made for an inserted node: its width and a gap, in graph units. */
const ROOM = 200;
/** Nodes whose top is within this of the target's count as its row. */
const ROW_BAND = 120;

/**
 * A node of `nodeType` on the edge into `nodeId`'s first input, where that node was; it and the
 * nodes right of it in its row move right to make room. Null when there is no such edge.
 */
export function insertBefore(
  doc: GraphDoc,
  nodeId: string,
  nodeType: NodeType,
  data?: Record<string, unknown>,
): Command | null {
  const target = doc.nodes.find((n) => n.id === nodeId);
  const port = target && NODE_DEFINITIONS.find((d) => d.type === target.type)?.ports.inputs[0];
  const edge = doc.edges.find((e) => e.target === nodeId && e.targetHandle === port);
  if (!edge || !target) return null;
  const { x, y } = target.position;
  const moves = doc.nodes
    .filter((n) => n.position.x >= x && Math.abs(n.position.y - y) <= ROW_BAND)
    .map((n) => [n.id, { x: n.position.x + ROOM, y: n.position.y }] as const);
  return { type: 'insertNode', nodeType, edgeId: edge.id, position: { x, y }, moves, ...(data ? { data } : {}) };
}

/** A fix: the node type its button inserts (the button says "Insert <label>") and the command it runs. */
export interface QuickFix {
  insert: NodeType;
  command: Command;
}

/** Problem code ("dense.input-rank") → its fix, from the node modules. */
const FIXES: ReadonlyMap<string, QuickFixSpec> = new Map(
  NODE_DEFINITIONS.flatMap((def) =>
    Object.entries((def as { fixes?: Readonly<Record<string, QuickFixSpec>> }).fixes ?? {}).map(
      ([code, fix]) => [`${def.type}.${code}`, fix] as const,
    ),
  ),
);

/** The fix for a problem, or null when there is none (or it does not apply to this graph). */
export function quickFix(
  doc: GraphDoc,
  problem: { code?: string | undefined; nodeId?: string | undefined; params?: ProblemParams | undefined },
): QuickFix | null {
  const fix = problem.code === undefined ? undefined : FIXES.get(problem.code);
  if (!fix || !problem.nodeId) return null;
  const insert = fix.insert as NodeType;
  const command = insertBefore(doc, problem.nodeId, insert, fix.data?.(problem.params ?? {}));
  return command ? { insert, command } : null;
}
