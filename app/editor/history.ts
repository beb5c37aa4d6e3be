// Undo/redo as Immer patches: every command records its patches and inverse patches; undo
// applies the inverse. Selection and viewport live outside the document, so they never touch it.
import { applyPatches, enablePatches, type Patch, produceWithPatches } from 'immer';

enablePatches();

export interface HistoryEntry {
  /** The command's name, shown as "Undo <name>". */
  name: string;
  patches: Patch[];
  inverse: Patch[];
}

export const HISTORY_LIMIT = 500;

export interface History<T> {
  present: T;
  past: HistoryEntry[];
  future: HistoryEntry[];
}

/** Applies `recipe` as one named, undoable step; a no-op recipe records nothing. */
export function execute<T>(h: History<T>, name: string, recipe: (draft: T) => void): History<T> {
  const [next, patches, inverse] = produceWithPatches(h.present, recipe as (draft: unknown) => void);
  if (patches.length === 0) return h;
  const past = [...h.past, { name, patches, inverse }];
  if (past.length > HISTORY_LIMIT) past.shift();
  return { present: next as T, past, future: [] };
}

export function undo<T>(h: History<T>): History<T> {
  const entry = h.past[h.past.length - 1];
  if (!entry) return h;
  return {
    present: applyPatches(h.present as object, entry.inverse) as T,
    past: h.past.slice(0, -1),
    future: [entry, ...h.future],
  };
}

export function redo<T>(h: History<T>): History<T> {
  const entry = h.future[0];
  if (!entry) return h;
  return {
    present: applyPatches(h.present as object, entry.patches) as T,
    past: [...h.past, entry],
    future: h.future.slice(1),
  };
}
