// Fixes the editor offers for a problem, as commands: one click, one undo step.
import type { GraphDoc } from '../../engine/index.ts';
import type { Command } from './commands.ts';

/** Room made for an inserted node: its width and a gap, in graph units. */
const ROOM = 200;
/** Nodes whose top is within this of the target's count as its row. */
const ROW_BAND = 120;

/**
 * `dense.input-rank` (a Dense fed images [B, h, w, c]): a Flatten node on the edge into the Dense,
 * where the Dense was; the Dense and the nodes right of it in its row move right to make room.
 * Null when there is no such edge.
 */
export function insertFlattenBefore(doc: GraphDoc, denseId: string): Command | null {
  const edge = doc.edges.find((e) => e.target === denseId && e.targetHandle === 'in');
  const target = doc.nodes.find((n) => n.id === denseId);
  if (!edge || !target) return null;
  const { x, y } = target.position;
  const moves = doc.nodes
    .filter((n) => n.position.x >= x && Math.abs(n.position.y - y) <= ROW_BAND)
    .map((n) => [n.id, { x: n.position.x + ROOM, y: n.position.y }] as const);
  return { type: 'insertNode', nodeType: 'flatten', edgeId: edge.id, position: { x, y }, moves };
}

/** A fix: the catalogue key of its button and the command it runs. */
export interface QuickFix {
  label: string;
  command: Command;
}

/** Problem code → how to fix it at a node (one table: the problems list and the import dialog read it). */
const FIXES = new Map<string, { label: string; command(doc: GraphDoc, nodeId: string): Command | null }>([
  ['dense.input-rank', { label: 'fix.insertFlatten', command: insertFlattenBefore }],
]);

/** The fix for a problem, or null when there is none (or it does not apply to this graph). */
export function quickFix(
  doc: GraphDoc,
  problem: { code?: string | undefined; nodeId?: string | undefined },
): QuickFix | null {
  const fix = problem.code === undefined ? undefined : FIXES.get(problem.code);
  const command = fix && problem.nodeId ? fix.command(doc, problem.nodeId) : null;
  return fix && command ? { label: fix.label, command } : null;
}
