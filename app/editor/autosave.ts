// Autosave to IndexedDB (debounced) and restore on load. Two tabs on the same autosave never
// overwrite each other silently: a save from another tab pauses this tab's saving until the
// user chooses to load theirs or keep theirs overwritten by this one.
import { del, get, set } from 'idb-keyval';
import { create } from 'zustand';
import { GraphFormatError, type GraphWeights, parseGraph } from '../../engine/index.ts';
import type { Editor, Viewport } from './editor.ts';

const KEY = 'nodegrad:autosave:v1';
const DELAY_MS = 300;

interface Saved {
  doc: unknown;
  weights?: GraphWeights;
  viewport: Viewport | null;
  tabId: string;
  savedAt: number;
}

export const useAutosave = create<{ conflict: { savedAt: number } | null; lastSaved: number | null }>(() => ({
  conflict: null,
  lastSaved: null,
}));

const tabId = crypto.randomUUID();
const channel = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel('nodegrad-autosave');

/** Restores the last autosave; false when there is none (or it is unreadable). */
export async function restoreAutosave(editor: Editor): Promise<boolean> {
  const saved = (await get(KEY)) as Saved | undefined;
  if (!saved) return false;
  try {
    const doc = parseGraph(saved.doc);
    editor.load(doc, { weights: saved.weights, viewport: saved.viewport });
    return true;
  } catch (e) {
    if (!(e instanceof GraphFormatError)) throw e;
    editor.notify('notice.autosaveUnreadable');
    return false;
  }
}

async function save(editor: Editor): Promise<void> {
  if (useAutosave.getState().conflict) return;
  const { doc, weights, viewport } = editor.getState();
  const record: Saved = { doc, viewport, tabId, savedAt: Date.now() };
  if (weights) record.weights = weights;
  await set(KEY, record);
  useAutosave.setState({ lastSaved: record.savedAt });
  channel?.postMessage({ tabId, savedAt: record.savedAt });
}

/** Starts saving on every change; returns a function that stops it. */
export function startAutosave(editor: Editor): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(() => void save(editor), DELAY_MS);
  };
  const unsubscribe = editor.store.subscribe((s, prev) => {
    if (s.revision !== prev.revision || s.viewport !== prev.viewport) schedule();
  });
  const onMessage = (event: MessageEvent<{ tabId: string; savedAt: number }>) => {
    if (event.data.tabId !== tabId) useAutosave.setState({ conflict: { savedAt: event.data.savedAt } });
  };
  channel?.addEventListener('message', onMessage);
  const flush = () => {
    if (timer !== undefined) void save(editor);
  };
  window.addEventListener('pagehide', flush);
  return () => {
    unsubscribe();
    clearTimeout(timer);
    channel?.removeEventListener('message', onMessage);
    window.removeEventListener('pagehide', flush);
  };
}

/** Conflict resolution: take the other tab's graph. */
export async function loadTheirs(editor: Editor): Promise<void> {
  useAutosave.setState({ conflict: null });
  await restoreAutosave(editor);
}

/** Conflict resolution: keep this tab's graph and save it over the other tab's. */
export async function keepMine(editor: Editor): Promise<void> {
  useAutosave.setState({ conflict: null });
  await save(editor);
}

/** Forgets the autosave (the crash screen's "start empty"). */
export async function clearAutosave(): Promise<void> {
  await del(KEY);
}
