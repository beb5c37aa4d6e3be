// Autosave: the graph and its trained run saved in this browser, so nothing is lost on reload.
// - The document and the trained weights are separate records: the graph always saves, even when
//   the weights are too large for the browser's storage; every failure is shown with its reason.
// - Saves follow edits after a short quiet time, and at least every MAX_WAIT_MS while changes keep
//   coming (training sends weights every few seconds).
// - Opening a tab writes nothing. When two tabs edit the same graph, neither overwrites the other
//   silently: this tab's edits go to a copy in the kept versions until the user chooses. When two
//   tabs train it, the first run stays the autosave and the other's is kept as a copy, weights and all.
// - A saved record that cannot be read (any key) is kept aside as a version, never overwritten.
// Storage and the tab channel are injected, so tests run it headless against fakes. The parts:
// autosaveTab.ts (one tab's session), autosaveIo.ts (reading and writing records), autosaveSaving.ts
// (when and what it writes), autosaveConflicts.ts (two tabs); here, restoring and the kept versions.
import type { StoreApi } from 'zustand/vanilla';
import { GraphFormatError } from '../../engine/index.ts';
import { type DocRecord, docRecordOf } from './autosaveRecords.ts';
import { DATA_KEY } from './autosaveData.ts';
import { hearOtherTabs, keepMine, loadTheirs } from './autosaveConflicts.ts';
import { keepVersion, loadRecord, readMain, readVersions, refreshVersions } from './autosaveIo.ts';
import { saveNow, startSaving } from './autosaveSaving.ts';
import { type AutosaveOptions, type AutosaveState, createTab } from './autosaveTab.ts';
import { DOC_KEY, LEGACY_KEY, TRAINED_HEAD_KEY, TRAINED_KEY } from './storageKeys.ts';
import { removeVersion, VERSIONS_KEY } from './versions.ts';

export { DOC_KEY, TRAINED_KEY } from './storageKeys.ts';

export interface Autosave {
  readonly store: StoreApi<AutosaveState>;
  /** Loads the last autosave into the editor; false when there is none or it could not be read. */
  restore(): Promise<boolean>;
  /** Saves on every change from now on; returns a function that stops it. */
  start(): () => void;
  /** Saves pending changes now. */
  flush(): Promise<void>;
  loadTheirs(): Promise<void>;
  keepMine(): Promise<void>;
  /** Records the current graph as the last version known to work (the crash screen offers it). */
  markGood(): Promise<void>;
  /** Moves the current autosave aside (kept as a version) so the next start is empty. */
  startEmpty(): Promise<void>;
  /** Makes a kept version the autosave, to be loaded on the next start. */
  promote(id: string): Promise<void>;
  deleteVersion(id: string): Promise<void>;
  /**
   * Makes the graph on screen the autosave (a shared graph the user keeps); the graph it replaces is
   * kept as a version. The caller starts saving afterwards.
   */
  adopt(): Promise<void>;
  dismissUnreadable(): void;
}

export function createAutosave(options: AutosaveOptions): Autosave {
  const tab = createTab(options);
  const { store, storage, tabId, now, newId, editor, enqueue } = tab;
  const autosave: Autosave = {
    store,
    async restore() {
      await refreshVersions(tab);
      const raw = await storage.get(DOC_KEY);
      if (raw !== undefined && !docRecordOf(raw)) {
        // A damaged record (a string, [null], …): kept aside like a graph that does not parse.
        const id = `unreadable-${now()}`;
        await keepVersion(tab, 'unreadable', id, raw, null);
        await storage.del(DOC_KEY);
        store.setState({ unreadable: { versionId: id, reason: 'the saved record is not a nodegrad autosave' } });
        return false;
      }
      const record = await readMain(tab);
      if (!record) return false;
      try {
        await loadRecord(tab, record);
        store.setState({ doc: { kind: 'restored', at: record.savedAt } });
        return true;
      } catch (e) {
        if (!(e instanceof GraphFormatError)) throw e;
        // NOTE: kept aside before anything may overwrite it; if even that fails, leave it where it is.
        const id = `unreadable-${record.savedAt}`;
        await keepVersion(tab, 'unreadable', id, record.doc, record.viewport);
        await storage.del(DOC_KEY);
        await storage.del(DATA_KEY);
        await storage.del(LEGACY_KEY);
        const first = e.problems[0];
        store.setState({
          unreadable: { versionId: id, reason: first ? `${first.path}: ${first.message}` : e.message },
        });
        return false;
      }
    },
    start() {
      const stopSaving = startSaving(tab);
      const stopHearing = hearOtherTabs(tab);
      return () => {
        stopSaving();
        stopHearing();
      };
    },
    flush: () => enqueue(() => saveNow(tab)),
    loadTheirs: () => loadTheirs(tab),
    keepMine: () => keepMine(tab),
    markGood: () =>
      enqueue(async () => {
        const s = editor.getState();
        await keepVersion(tab, 'good', 'good', s.doc, s.viewport);
      }),
    startEmpty: () =>
      enqueue(async () => {
        const current = await readMain(tab);
        if (current) await keepVersion(tab, 'crashed', `crashed-${current.savedAt}`, current.doc, current.viewport);
        await storage.del(DOC_KEY);
        await storage.del(DATA_KEY);
        await storage.del(TRAINED_KEY);
        await storage.del(TRAINED_HEAD_KEY);
        await storage.del(LEGACY_KEY);
      }),
    promote: (id) =>
      enqueue(async () => {
        const version = store.getState().versions.find((v) => v.id === id);
        if (!version) return;
        const record: DocRecord = {
          doc: version.doc,
          viewport: version.viewport,
          tabId,
          savedAt: now(),
          lineage: newId(),
        };
        await storage.set(DOC_KEY, record);
      }),
    deleteVersion: (id) =>
      enqueue(async () => {
        await storage.set(VERSIONS_KEY, removeVersion(await readVersions(tab), id));
        await refreshVersions(tab);
        if (store.getState().unreadable?.versionId === id) store.setState({ unreadable: null });
      }),
    adopt: () =>
      enqueue(async () => {
        const current = await readMain(tab);
        if (current) await keepVersion(tab, 'replaced', `replaced-${current.savedAt}`, current.doc, current.viewport);
        tab.base = current?.savedAt ?? null;
        tab.owner = true;
        tab.saved = null;
        tab.savedData = null;
        store.setState({ conflict: null });
        await saveNow(tab);
      }),
    dismissUnreadable() {
      store.setState({ unreadable: null });
    },
  };
  return autosave;
}
