// When the autosave writes and what: after edits, a short quiet time (DELAY_MS) but at least every
// MAX_WAIT_MS while changes keep coming, and at once when the page is hidden; only the records that
// changed, and nothing when another tab saved this graph since (this tab's graph goes to a copy).
import { storageFailure, type DocRecord } from './autosaveRecords.ts';
import { keepRunCopy, keepVersion, writeMain, writeTrained } from './autosaveIo.ts';
import type { AutosaveTab } from './autosaveTab.ts';
import { DOC_KEY } from './storageKeys.ts';

const DELAY_MS = 300;
export const MAX_WAIT_MS = 2000;

/** Writes what changed since the last save (one storage task: run it through `tab.enqueue`). */
export const saveNow = async (tab: AutosaveTab) => {
  const s = tab.editor.getState();
  if (s.runId !== tab.lineageRun) {
    // A new document (new graph, example, import): a new lineage, so old weights never attach to it.
    tab.lineage = tab.newId();
    tab.lineageRun = s.runId;
  }
  const docChanged = !tab.saved || s.doc !== tab.saved.doc;
  const viewChanged = !tab.saved || s.viewport !== tab.saved.viewport;
  const trainedChanged = !tab.saved || s.weights !== tab.saved.weights || s.trained !== tab.saved.trained;
  if (!docChanged && !trainedChanged && (!viewChanged || !tab.owner)) return; // opening a tab writes nothing
  try {
    if (!tab.store.getState().conflict) {
      const current = (await tab.storage.get(DOC_KEY)) as DocRecord | undefined;
      if (current && current.tabId !== tab.tabId && current.savedAt !== tab.base)
        tab.store.setState({ conflict: { savedAt: current.savedAt } });
    }
    if (tab.store.getState().conflict) {
      // NOTE: keep both: this tab's graph (and run) goes to its own copy; the other tab's stays the autosave.
      if (docChanged || trainedChanged) await keepRunCopy(tab, s);
      tab.saved = { doc: s.doc, viewport: s.viewport, weights: s.weights, trained: s.trained };
      return;
    }
    const wroteDoc = docChanged || viewChanged;
    const at = wroteDoc ? await writeMain(tab, s) : tab.now();
    if (trainedChanged) await writeTrained(tab, s);
    tab.saved = { doc: s.doc, viewport: s.viewport, weights: s.weights, trained: s.trained };
    const epoch = s.weights && !tab.store.getState().weightsError ? s.trained?.epoch : undefined;
    tab.store.setState({ doc: { kind: 'saved', at, epoch } });
    tab.channel?.postMessage({ tabId: tab.tabId, savedAt: tab.base ?? at, doc: wroteDoc });
  } catch (e) {
    tab.store.setState({ doc: { kind: 'failed', reason: storageFailure(e) } });
  }
};

/** Saves after every change from now on (and keeps a trained graph a new document replaces); returns a function that stops it. */
export function startSaving(tab: AutosaveTab): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let firstPending: number | null = null;
  const fire = () => {
    timer = undefined;
    firstPending = null;
    void tab.enqueue(() => saveNow(tab));
  };
  const schedule = () => {
    const t = tab.now();
    firstPending ??= t;
    clearTimeout(timer);
    timer = setTimeout(fire, Math.max(0, Math.min(DELAY_MS, firstPending + MAX_WAIT_MS - t)));
  };
  const unsubscribe = tab.editor.store.subscribe((s, prev) => {
    if (s.revision !== prev.revision || s.viewport !== prev.viewport) schedule();
  });
  // NOTE: a trained graph that an example, New, an import or a variant replaces is kept, with its weights.
  const unlisten = tab.editor.listen((change) => {
    if (change.type !== 'run' || !change.replaced) return;
    const { replaced } = change;
    const viewport = tab.editor.getState().viewport;
    void tab.enqueue(async () => {
      await keepVersion(tab, 'trained', `trained-${tab.now()}`, replaced, viewport);
      tab.editor.notify('notice.keptTrained', { name: replaced.name });
    });
  });
  const flushOnHide = () => {
    if (timer !== undefined) fire();
  };
  globalThis.addEventListener?.('pagehide', flushOnHide);
  return () => {
    unsubscribe();
    unlisten();
    clearTimeout(timer);
    globalThis.removeEventListener?.('pagehide', flushOnHide);
  };
}
