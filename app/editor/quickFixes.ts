// Fixes the editor offers for a problem, as commands: one click, one undo step.
import type { GraphDoc } from '../../engine/index.ts';
import type { Command } from './commands.ts';

/** The problem codes that come with a fix. */
export const FIXABLE = new Set(['dense.input-rank']);

/**
 * `dense.input-rank` (a Dense fed images [B, h, w, c]): a Flatten node on the edge into the Dense,
 * placed halfway along it (the editor moves it to free space). Null when there is no such edge.
 */
export function insertFlattenBefore(doc: GraphDoc, denseId: string): Command | null {
  const edge = doc.edges.find((e) => e.target === denseId && e.targetHandle === 'in');
  const source = doc.nodes.find((n) => n.id === edge?.source);
  const target = doc.nodes.find((n) => n.id === denseId);
  if (!edge || !source || !target) return null;
  const position = { x: (source.position.x + target.position.x) / 2, y: (source.position.y + target.position.y) / 2 };
  return { type: 'insertNode', nodeType: 'flatten', edgeId: edge.id, position };
}
