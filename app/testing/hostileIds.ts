// Node ids that are Object.prototype members: valid ids that break any plain-object table keyed by id.
import type { GraphDoc } from '../../engine/index.ts';

/** Renames the example graphs' ids (in, h, ha, o, oa, L) to Object.prototype members. */
export const HOSTILE_RENAMES: ReadonlyMap<string, string> = new Map([
  ['in', 'constructor'],
  ['h', '__proto__'],
  ['ha', 'toString'],
  ['o', 'valueOf'],
  ['L', 'hasOwnProperty'],
]);

/** Renames nodes (and their edges' ends) in place; ids not in `renames` stay. */
export function renameNodes<T extends Pick<GraphDoc, 'nodes' | 'edges'>>(doc: T, renames = HOSTILE_RENAMES): T {
  for (const n of doc.nodes) n.id = renames.get(n.id) ?? n.id;
  for (const e of doc.edges) {
    e.source = renames.get(e.source) ?? e.source;
    e.target = renames.get(e.target) ?? e.target;
  }
  return doc;
}
