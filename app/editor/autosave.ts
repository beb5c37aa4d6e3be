// Autosave: the graph and its trained run saved in this browser, so nothing is lost on reload.
// - The document and the trained weights are separate records: the graph always saves, even when
//   the weights are too large for the browser's storage; every failure is shown with its reason.
// - Saves follow edits after a short quiet time, and at least every MAX_WAIT_MS while changes keep
//   coming (training sends weights every few seconds).
// - Opening a tab writes nothing. When two tabs edit the same graph, neither overwrites the other
//   silently: this tab's edits go to a copy in the kept versions until the user chooses. When two
//   tabs train it, the first run stays the autosave and the other's is kept as a copy, weights and all.
// - A saved record that cannot be read (any key) is kept aside as a version, never overwritten.
// Storage and the tab channel are injected, so tests run it headless against fakes.
import { createStore, type StoreApi } from 'zustand/vanilla';
import { GraphFormatError, parseGraph } from '../../engine/index.ts';
import {
  type DocRecord,
  docRecordOf,
  legacyRecordOf,
  storageFailure,
  type TrainedRecord,
  type TrainedHead,
  trainedHeadOf,
  trainedRecordOf,
  versionsOf,
} from './autosaveRecords.ts';
import { DATA_KEY, type DataRecord, dataRecordOf, putBackData, sameData, takeOutData } from './autosaveData.ts';
import type { Editor } from './editor.ts';
import { exportedDocument } from './documents.ts';
import type { EditorState, Viewport } from './editorState.ts';
import { DOC_KEY, LEGACY_KEY, TRAINED_HEAD_KEY, TRAINED_KEY } from './storageKeys.ts';
import { addVersion, removeVersion, VERSIONS_KEY, type Version, type VersionKind } from './versions.ts';

export { DOC_KEY, TRAINED_KEY } from './storageKeys.ts';
const DELAY_MS = 300;
export const MAX_WAIT_MS = 2000;

export interface AutosaveStorage {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<void>;
  del(key: string): Promise<void>;
}

export interface AutosaveChannel {
  postMessage(message: TabMessage): void;
  onmessage: ((event: { data: TabMessage }) => void) | null;
}

interface TabMessage {
  tabId: string;
  savedAt: number;
  /** The graph (or its view) was written, not only the trained weights: the other tabs' edits conflict. */
  doc?: boolean;
}

export type SaveState =
  | { kind: 'none' }
  /** `epoch`: how far the saved trained run got (when its weights were saved). */
  | { kind: 'saved'; at: number; epoch?: number | undefined }
  | { kind: 'restored'; at: number }
  | { kind: 'failed'; reason: string };

export interface AutosaveState {
  doc: SaveState;
  /** Why the trained weights could not be saved (the graph was); null when they were or there are none. */
  weightsError: string | null;
  /** Another tab saved this graph: this tab's edits go to a copy until the user chooses. */
  conflict: { savedAt: number } | null;
  /** The autosave that could not be read and was kept aside (shown until dismissed). */
  unreadable: { versionId: string; reason: string } | null;
  /** Another tab trains this graph too: this tab's run is kept in this version (weights included). */
  runCopy: string | null;
  versions: readonly Version[];
}

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

export interface AutosaveOptions {
  editor: Editor;
  storage: AutosaveStorage;
  channel?: AutosaveChannel | null;
  tabId: string;
  now?: () => number;
  newId?: () => string;
}

export function createAutosave(options: AutosaveOptions): Autosave {
  const { editor, storage, tabId } = options;
  const channel = options.channel ?? null;
  const now = options.now ?? (() => Date.now());
  const newId = options.newId ?? (() => crypto.randomUUID());
  const store = createStore<AutosaveState>(() => ({
    doc: { kind: 'none' },
    weightsError: null,
    conflict: null,
    unreadable: null,
    runCopy: null,
    versions: [],
  }));

  // What the main record holds as far as this tab knows.
  let base: number | null = null;
  /** What the trained record holds as far as this tab knows (its savedAt). */
  let trainedBase: number | null = null;
  let owner = false;
  let lineage = newId();
  let lineageRun = editor.getState().runId;
  let saved: Pick<EditorState, 'doc' | 'viewport' | 'weights' | 'trained'> | null = null;
  /** The inline datasets last written to DATA_KEY (the objects themselves) and that record's id. */
  let savedData: { id: string; datasets: [string, object][] } | null = null;
  let queue: Promise<void> = Promise.resolve();

  const readVersions = async () => versionsOf(await storage.get(VERSIONS_KEY), now());
  const refreshVersions = async () => {
    store.setState({ versions: await readVersions() });
  };
  const keepVersion = async (kind: VersionKind, id: string, doc: unknown, viewport: Viewport | null) => {
    const next = addVersion(await readVersions(), { id, kind, savedAt: now(), doc, viewport });
    await storage.set(VERSIONS_KEY, next);
    store.setState({ versions: next });
  };

  /**
   * The main record (or the legacy one) with its inline data put back; a damaged one reads as none
   * (restore keeps it aside first); one whose data record is missing keeps its stand-ins (unreadable).
   */
  const readMain = async (): Promise<DocRecord | undefined> => {
    const raw = await storage.get(DOC_KEY);
    if (raw !== undefined) {
      const record = docRecordOf(raw) ?? undefined;
      if (!record?.data) return record;
      const data = dataRecordOf(await storage.get(DATA_KEY));
      return { ...record, doc: putBackData(record.doc, record.data, data) };
    }
    const legacy = legacyRecordOf(await storage.get(LEGACY_KEY));
    if (!legacy) return undefined;
    return { doc: legacy.doc, viewport: legacy.viewport, tabId: legacy.tabId, savedAt: legacy.savedAt, lineage: 'v1' };
  };

  /** The trained record as stored (any lineage), or undefined when there is none or it is damaged. */
  const readTrainedRecord = async () => trainedRecordOf(await storage.get(TRAINED_KEY)) ?? undefined;

  const readTrained = async (record: DocRecord): Promise<TrainedRecord | undefined> => {
    if (record.lineage === 'v1') {
      const legacy = legacyRecordOf(await storage.get(LEGACY_KEY));
      return legacy?.weights ? { lineage: 'v1', savedAt: record.savedAt, weights: legacy.weights } : undefined;
    }
    const read = await readTrainedRecord();
    if (read?.record.lineage !== record.lineage) return undefined;
    // NOTE: the weights come back without the damaged optimizer state; the run continues with fresh moments.
    if (read.snapshotProblem) editor.notify('notice.trainedStateDamaged', { reason: read.snapshotProblem });
    return read.record;
  };

  /** Loads the main record into the editor; throws GraphFormatError when it cannot be read. */
  const loadRecord = async (record: DocRecord) => {
    const doc = parseGraph(record.doc);
    const trained = await readTrained(record);
    editor.load(doc, { weights: trained?.weights, trained: trained?.trained, viewport: record.viewport });
    const s = editor.getState();
    saved = { doc: s.doc, viewport: s.viewport, weights: s.weights, trained: s.trained };
    savedData = null;
    base = record.savedAt;
    trainedBase = trained?.savedAt ?? null;
    owner = record.tabId === tabId;
    lineage = record.lineage === 'v1' ? newId() : record.lineage;
    lineageRun = s.runId;
  };

  const writeMain = async (s: EditorState) => {
    // NOTE: inline data goes to its own record, written only when it changed (never on an edit elsewhere).
    const { doc, datasets } = takeOutData(s.doc);
    if (datasets.length > 0 && !sameData(datasets, savedData?.datasets ?? null)) {
      const data: DataRecord = { id: newId(), datasets };
      await storage.set(DATA_KEY, data);
      savedData = { id: data.id, datasets };
    }
    const record: DocRecord = { doc, viewport: s.viewport, tabId, savedAt: now(), lineage };
    if (datasets.length > 0 && savedData) record.data = savedData.id;
    await storage.set(DOC_KEY, record);
    base = record.savedAt;
    owner = true;
    return record.savedAt;
  };

  /** This tab's run in its own version: the graph with its weights (opening it brings them back). */
  const keepRunCopy = async (s: EditorState) => {
    const id = `conflict-${tabId}`;
    await keepVersion('conflict', id, exportedDocument(s), s.viewport);
    return id;
  };

  const writeTrained = async (s: EditorState) => {
    try {
      // NOTE: the head, not the record: the record holds the weights (up to 200 MB) and this runs every 2 s.
      const theirs = trainedHeadOf(await storage.get(TRAINED_HEAD_KEY));
      if (theirs && theirs.lineage === lineage && theirs.tabId !== tabId && theirs.savedAt !== trainedBase) {
        // NOTE: another tab trained this graph since this tab last saw its run: theirs stays, ours is kept.
        if (s.weights) store.setState({ runCopy: await keepRunCopy(s) });
        return;
      }
      if (s.weights) {
        const record: TrainedRecord = { lineage, savedAt: now(), tabId, weights: s.weights, trained: s.trained };
        await storage.set(TRAINED_KEY, record);
        const head: TrainedHead = { lineage, tabId, savedAt: record.savedAt };
        await storage.set(TRAINED_HEAD_KEY, head);
        trainedBase = record.savedAt;
      } else {
        await storage.del(TRAINED_KEY);
        await storage.del(TRAINED_HEAD_KEY);
      }
      store.setState({ weightsError: null });
    } catch (e) {
      store.setState({ weightsError: storageFailure(e) });
    }
  };

  const saveNow = async () => {
    const s = editor.getState();
    if (s.runId !== lineageRun) {
      // A new document (new graph, example, import): a new lineage, so old weights never attach to it.
      lineage = newId();
      lineageRun = s.runId;
    }
    const docChanged = !saved || s.doc !== saved.doc;
    const viewChanged = !saved || s.viewport !== saved.viewport;
    const trainedChanged = !saved || s.weights !== saved.weights || s.trained !== saved.trained;
    if (!docChanged && !trainedChanged && (!viewChanged || !owner)) return; // opening a tab writes nothing
    try {
      if (!store.getState().conflict) {
        const current = (await storage.get(DOC_KEY)) as DocRecord | undefined;
        if (current && current.tabId !== tabId && current.savedAt !== base)
          store.setState({ conflict: { savedAt: current.savedAt } });
      }
      if (store.getState().conflict) {
        // NOTE: keep both: this tab's graph (and run) goes to its own copy; the other tab's stays the autosave.
        if (docChanged || trainedChanged) await keepRunCopy(s);
        saved = { doc: s.doc, viewport: s.viewport, weights: s.weights, trained: s.trained };
        return;
      }
      const wroteDoc = docChanged || viewChanged;
      const at = wroteDoc ? await writeMain(s) : now();
      if (trainedChanged) await writeTrained(s);
      saved = { doc: s.doc, viewport: s.viewport, weights: s.weights, trained: s.trained };
      const epoch = s.weights && !store.getState().weightsError ? s.trained?.epoch : undefined;
      store.setState({ doc: { kind: 'saved', at, epoch } });
      channel?.postMessage({ tabId, savedAt: base ?? at, doc: wroteDoc });
    } catch (e) {
      store.setState({ doc: { kind: 'failed', reason: storageFailure(e) } });
    }
  };

  const enqueue = (task: () => Promise<void>) => {
    queue = queue.then(task, task);
    return queue;
  };

  const autosave: Autosave = {
    store,
    async restore() {
      await refreshVersions();
      const raw = await storage.get(DOC_KEY);
      if (raw !== undefined && !docRecordOf(raw)) {
        // A damaged record (a string, [null], …): kept aside like a graph that does not parse.
        const id = `unreadable-${now()}`;
        await keepVersion('unreadable', id, raw, null);
        await storage.del(DOC_KEY);
        store.setState({ unreadable: { versionId: id, reason: 'the saved record is not a nodegrad autosave' } });
        return false;
      }
      const record = await readMain();
      if (!record) return false;
      try {
        await loadRecord(record);
        store.setState({ doc: { kind: 'restored', at: record.savedAt } });
        return true;
      } catch (e) {
        if (!(e instanceof GraphFormatError)) throw e;
        // NOTE: kept aside before anything may overwrite it; if even that fails, leave it where it is.
        const id = `unreadable-${record.savedAt}`;
        await keepVersion('unreadable', id, record.doc, record.viewport);
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
      let timer: ReturnType<typeof setTimeout> | undefined;
      let firstPending: number | null = null;
      const fire = () => {
        timer = undefined;
        firstPending = null;
        void enqueue(saveNow);
      };
      const schedule = () => {
        const t = now();
        firstPending ??= t;
        clearTimeout(timer);
        timer = setTimeout(fire, Math.max(0, Math.min(DELAY_MS, firstPending + MAX_WAIT_MS - t)));
      };
      const unsubscribe = editor.store.subscribe((s, prev) => {
        if (s.revision !== prev.revision || s.viewport !== prev.viewport) schedule();
      });
      // NOTE: a trained graph that an example, New, an import or a variant replaces is kept, with its weights.
      const unlisten = editor.listen((change) => {
        if (change.type !== 'run' || !change.replaced) return;
        const { replaced } = change;
        const viewport = editor.getState().viewport;
        void enqueue(async () => {
          await keepVersion('trained', `trained-${now()}`, replaced, viewport);
          editor.notify('notice.keptTrained', { name: replaced.name });
        });
      });
      if (channel)
        channel.onmessage = (event) => {
          // NOTE: a tab that only trained changed no graph: no edit conflict (its run is handled on save).
          if (event.data.tabId === tabId || event.data.doc === false) return;
          owner = false;
          // NOTE: the other tab may have written its own data record: ours is written again when we save.
          savedData = null;
          store.setState({ conflict: { savedAt: event.data.savedAt } });
        };
      const flushOnHide = () => {
        if (timer !== undefined) fire();
      };
      globalThis.addEventListener?.('pagehide', flushOnHide);
      return () => {
        unsubscribe();
        unlisten();
        clearTimeout(timer);
        if (channel) channel.onmessage = null;
        globalThis.removeEventListener?.('pagehide', flushOnHide);
      };
    },
    flush: () => enqueue(saveNow),
    loadTheirs: () =>
      enqueue(async () => {
        store.setState({ conflict: null, runCopy: null });
        const record = await readMain();
        if (record) await loadRecord(record);
      }),
    keepMine: () =>
      enqueue(async () => {
        const current = await readMain();
        const theirRun = (await readTrainedRecord())?.record;
        const theirWeights = theirRun && theirRun.lineage === current?.lineage ? theirRun.weights : undefined;
        if (current && (current.tabId !== tabId || (theirRun && theirRun.tabId !== tabId))) {
          const doc =
            theirWeights && typeof current.doc === 'object' ? { ...current.doc, weights: theirWeights } : current.doc;
          await keepVersion('conflict', `theirs-${current.savedAt}`, doc, current.viewport);
        }
        store.setState({ conflict: null, runCopy: null });
        base = current?.savedAt ?? base;
        trainedBase = theirRun?.savedAt ?? trainedBase;
        saved = null;
        savedData = null;
        await saveNow();
        await storage.set(VERSIONS_KEY, removeVersion(await readVersions(), `conflict-${tabId}`));
        await refreshVersions();
      }),
    markGood: () =>
      enqueue(async () => {
        const s = editor.getState();
        await keepVersion('good', 'good', s.doc, s.viewport);
      }),
    startEmpty: () =>
      enqueue(async () => {
        const current = await readMain();
        if (current) await keepVersion('crashed', `crashed-${current.savedAt}`, current.doc, current.viewport);
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
        await storage.set(VERSIONS_KEY, removeVersion(await readVersions(), id));
        await refreshVersions();
        if (store.getState().unreadable?.versionId === id) store.setState({ unreadable: null });
      }),
    adopt: () =>
      enqueue(async () => {
        const current = await readMain();
        if (current) await keepVersion('replaced', `replaced-${current.savedAt}`, current.doc, current.viewport);
        base = current?.savedAt ?? null;
        owner = true;
        saved = null;
        savedData = null;
        store.setState({ conflict: null });
        await saveNow();
      }),
    dismissUnreadable() {
      store.setState({ unreadable: null });
    },
  };
  return autosave;
}
