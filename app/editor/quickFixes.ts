// Fixes the editor offers for a problem, as commands: one click, one undo step.
import { findNodeDefinition, type GraphDoc, type NodeType } from '../../engine/index.ts';
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

/**
 * `loss.shape-mismatch` where the prediction's size is set by a layer with `units` (a Dense feeding the
 * Loss through an Activation): that layer and the units the target needs. Null otherwise.
 */
export function unitsToMatch(problem: ProblemLike): { nodeId: string; nodeType: NodeType; units: number } | null {
  const p = problem.params;
  if (problem.code !== 'loss.shape-mismatch' || !p) return null;
  const target = p.target as readonly number[] | undefined;
  const def = findNodeDefinition(String(p.layerType ?? ''));
  if (!target || target.length !== 1 || !p.layer || !def?.fields.some((f) => f.key === 'units')) return null;
  return { nodeId: String(p.layer), nodeType: def.type as NodeType, units: target[0]! };
}

/** A fix: the catalogue key of its button (with its placeholders) and the command it runs. */
export interface QuickFix {
  label: string;
  params: Readonly<Record<string, number>>;
  command: Command;
}

interface ProblemLike {
  code?: string | undefined;
  nodeId?: string | undefined;
  params?: Readonly<Record<string, unknown>> | undefined;
}

/** Problem code → how to fix it (one table: the problems list and the import dialog read it). */
const FIXES = new Map<
  string,
  {
    label: string;
    params?(problem: ProblemLike): Readonly<Record<string, number>>;
    command(doc: GraphDoc, problem: ProblemLike): Command | null;
  }
>([
  [
    'dense.input-rank',
    { label: 'fix.insertFlatten', command: (doc, p) => (p.nodeId ? insertFlattenBefore(doc, p.nodeId) : null) },
  ],
  [
    'loss.shape-mismatch',
    {
      label: 'fix.setUnits',
      params: (p) => ({ n: unitsToMatch(p)?.units ?? 0 }),
      command: (doc, p) => {
        const m = unitsToMatch(p);
        return m && doc.nodes.some((n) => n.id === m.nodeId)
          ? { type: 'setField', nodeId: m.nodeId, key: 'units', value: m.units }
          : null;
      },
    },
  ],
]);

/** The fix for a problem, or null when there is none (or it does not apply to this graph). */
export function quickFix(doc: GraphDoc, problem: ProblemLike): QuickFix | null {
  const fix = problem.code === undefined ? undefined : FIXES.get(problem.code);
  const command = fix ? fix.command(doc, problem) : null;
  return fix && command ? { label: fix.label, params: fix.params?.(problem) ?? {}, command } : null;
}
