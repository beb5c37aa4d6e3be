// Node ids that are Object.prototype members (`__proto__`, `constructor`, …) are valid ids: tests rename
// an example's nodes to them to catch any plain-object table keyed by id.

/** Renames nodes (and their edges' ends) of a document or its JSON in place; ids not in `renames` stay. */
export function renameIds<T extends { nodes: { id: string }[]; edges: { source: string; target: string }[] }>(
  doc: T,
  renames: ReadonlyMap<string, string>,
): T {
  for (const n of doc.nodes) n.id = renames.get(n.id) ?? n.id;
  for (const e of doc.edges) {
    e.source = renames.get(e.source) ?? e.source;
    e.target = renames.get(e.target) ?? e.target;
  }
  return doc;
}
