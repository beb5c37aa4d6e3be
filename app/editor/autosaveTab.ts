// One tab's autosave session: what it is given (storage, the channel to other tabs, a clock), what it
// shows (AutosaveState), what it knows of the stored records (to tell its own writes from another
// tab's), and the queue that runs its storage tasks one at a time.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Editor } from './editor.ts';
import type { EditorState } from './editorState.ts';
import type { Version } from './versions.ts';

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

export interface AutosaveOptions {
  editor: Editor;
  storage: AutosaveStorage;
  channel?: AutosaveChannel | null;
  tabId: string;
  now?: () => number;
  newId?: () => string;
}

export interface AutosaveTab {
  readonly editor: Editor;
  readonly storage: AutosaveStorage;
  readonly channel: AutosaveChannel | null;
  readonly tabId: string;
  readonly now: () => number;
  readonly newId: () => string;
  readonly store: StoreApi<AutosaveState>;
  // What the main record holds as far as this tab knows.
  base: number | null;
  /** What the trained record holds as far as this tab knows (its savedAt). */
  trainedBase: number | null;
  owner: boolean;
  lineage: string;
  lineageRun: number;
  saved: Pick<EditorState, 'doc' | 'viewport' | 'weights' | 'trained'> | null;
  /** The inline datasets last written to DATA_KEY (the objects themselves) and that record's id. */
  savedData: { id: string; datasets: [string, object][] } | null;
  /** Runs `task` after the storage tasks queued before it (whether they failed or not). */
  enqueue(task: () => Promise<void>): Promise<void>;
}

export function createTab(options: AutosaveOptions): AutosaveTab {
  const { editor, storage, tabId } = options;
  const newId = options.newId ?? (() => crypto.randomUUID());
  const store = createStore<AutosaveState>(() => ({
    doc: { kind: 'none' },
    weightsError: null,
    conflict: null,
    unreadable: null,
    runCopy: null,
    versions: [],
  }));
  let queue: Promise<void> = Promise.resolve();
  return {
    editor,
    storage,
    channel: options.channel ?? null,
    tabId,
    now: options.now ?? (() => Date.now()),
    newId,
    store,
    base: null,
    trainedBase: null,
    owner: false,
    lineage: newId(),
    lineageRun: editor.getState().runId,
    saved: null,
    savedData: null,
    enqueue(task) {
      queue = queue.then(task, task);
      return queue;
    },
  };
}
