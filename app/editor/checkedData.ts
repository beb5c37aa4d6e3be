// The editor's gate checks every command's result with parseGraph; a dataset it checked before and a
// command left alone need not be checked again (nor read, copied or serialised).
import type { GraphDoc } from '../../engine/index.ts';

/**
 * Datasets that entered through parseGraph (a loaded document, a command's checked result): a later
 * command that leaves one alone (the same object: Immer shares what a recipe does not touch) is checked
 * without it. NOTE: a dataset of 1,000 images is 16 MB of base64; parsing it again took 72 ms per edit.
 */
const checkedData = new WeakSet<object>();

export function rememberData(doc: GraphDoc): void {
  for (const n of doc.nodes) if (n.type === 'input' && n.data.dataset) checkedData.add(n.data.dataset);
}

/** A dataset every Input accepts: stands in for a checked one, so the gate looks at what changed. */
const CHECKED_STAND_IN = { kind: 'xor' } as const;

/** `doc` with its checked datasets replaced by a small stand-in (the rest of the document as it is). */
export function withoutCheckedData(doc: GraphDoc): GraphDoc {
  let replaced = false;
  const nodes = doc.nodes.map((n) => {
    if (n.type !== 'input' || !n.data.dataset || !checkedData.has(n.data.dataset)) return n;
    replaced = true;
    return { ...n, data: { ...n.data, dataset: CHECKED_STAND_IN } };
  });
  return replaced ? { ...doc, nodes } : doc;
}
