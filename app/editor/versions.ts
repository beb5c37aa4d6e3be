// Versions kept aside by the autosave, so that no graph is ever lost: an autosave that could not be
// read, this tab's or another tab's graph after a two-tab conflict, the graph set aside by "start
// empty" after a crash, the last graph known to work, and the graph a kept share link replaced. Stored as one list in the same storage.
import type { Viewport } from './editorState.ts';

export { VERSIONS_KEY } from './storageKeys.ts';
/** At most this many versions are kept; unreadable ones are never dropped automatically. */
export const MAX_VERSIONS = 20;

/** `replaced`: by a kept share link; `trained`: a trained graph an example, New, an import or a variant replaced. */
export const VERSION_KINDS = ['unreadable', 'conflict', 'crashed', 'good', 'replaced', 'trained'] as const;
export type VersionKind = (typeof VERSION_KINDS)[number];

export interface Version {
  id: string;
  kind: VersionKind;
  savedAt: number;
  /** The document as it was stored (it may not parse: 'unreadable'); with `weights` when it was trained. */
  doc: unknown;
  viewport: Viewport | null;
}

/** The graph's name as stored, if it has one. */
export function versionName(version: Version): string {
  const doc = version.doc;
  if (typeof doc === 'object' && doc !== null && 'name' in doc && typeof doc.name === 'string') return doc.name;
  return '';
}

/** Adds or replaces (same id) a version, newest first, dropping the oldest droppable ones over the limit. */
export function addVersion(list: readonly Version[], version: Version): Version[] {
  const next = [version, ...list.filter((v) => v.id !== version.id)];
  while (next.length > MAX_VERSIONS) {
    let oldest = -1;
    for (let i = next.length - 1; i >= 0 && oldest < 0; i--) if (next[i]!.kind !== 'unreadable') oldest = i;
    if (oldest < 0) break;
    next.splice(oldest, 1);
  }
  return next;
}

export function removeVersion(list: readonly Version[], id: string): Version[] {
  return list.filter((v) => v.id !== id);
}
