// Fixes the editor offers for a problem, as commands: one click, one undo step. A node module says
// which of its problems a node inserted before it fixes (its `fixes`: Flatten before a Dense fed
// images, Reshape before a Conv2D fed a flat vector); the graph's own fixes are listed here.
import {
  findNodeDefinition,
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
  const port = target && findNodeDefinition(target.type)?.ports.inputs[0];
  const edge = doc.edges.find((e) => e.target === nodeId && e.targetHandle === port);
  if (!edge || !target) return null;
  const { x, y } = target.position;
  const moves = doc.nodes
    .filter((n) => n.position.x >= x && Math.abs(n.position.y - y) <= ROW_BAND)
    .map((n) => [n.id, { x: n.position.x + ROOM, y: n.position.y }] as const);
  return { type: 'insertNode', nodeType, edgeId: edge.id, position: { x, y }, moves, ...(data ? { data } : {}) };
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
  if (target?.length !== 1 || !p.layer || !def?.fields.some((f) => f.key === 'units')) return null;
  return { nodeId: String(p.layer), nodeType: def.type as NodeType, units: target[0]! };
}

/**
 * A fix: the catalogue key of its button with its placeholders, the command it runs, and for an
 * inserted node its type (the button then says "Insert <its label>" in the UI's language).
 */
export interface QuickFix {
  label: string;
  params: Readonly<Record<string, number>>;
  insert?: NodeType;
  command: Command;
}

interface ProblemLike {
  code?: string | undefined;
  nodeId?: string | undefined;
  params?: Readonly<Record<string, unknown>> | undefined;
}

interface FixRule {
  label: string;
  insert?: NodeType;
  params?(problem: ProblemLike): Readonly<Record<string, number>>;
  command(doc: GraphDoc, problem: ProblemLike): Command | null;
}

/** An inserted node from a node module's `fixes`. */
const insertRule = (fix: QuickFixSpec): FixRule => ({
  label: 'fix.insert',
  insert: fix.insert as NodeType,
  command: (doc, p) =>
    p.nodeId
      ? insertBefore(doc, p.nodeId, fix.insert as NodeType, fix.data?.((p.params ?? {}) as ProblemParams))
      : null,
});

/** Problem code → how to fix it (one table: the problems list and the import dialog read it). */
const FIXES = new Map<string, FixRule>([
  ...NODE_DEFINITIONS.flatMap((def) =>
    Object.entries((def as { fixes?: Readonly<Record<string, QuickFixSpec>> }).fixes ?? {}).map(
      ([code, fix]) => [`${def.type}.${code}`, insertRule(fix)] as const,
    ),
  ),
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
  if (!fix || !command) return null;
  return {
    label: fix.label,
    params: fix.params?.(problem) ?? {},
    ...(fix.insert ? { insert: fix.insert } : {}),
    command,
  };
}
