// The editor core without React (tldraw's editor is the model): one store holding the document
// with its undo history, the trained weights, and the UI state; it changes only through the named
// actions of commandRunner.ts (commands, undo, redo), runs.ts (documents, runs, weights) and
// uiActions.ts. Every command's result must be a document parseGraph accepts, or it is refused
// with the reason. React reads it through useStore (app/editorContext.tsx); tests drive it headless.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { GraphDoc, Lang } from '../../engine/index.ts';
import { rememberData } from './checkedData.ts';
import { type CommandActions, createCommandActions } from './commandRunner.ts';
import { emptyDocument } from './documents.ts';
import { type EditorChange, type EditorState, initialEditorState } from './editorState.ts';
import { createRuns, type RunActions } from './runs.ts';
import { createUiActions, type UiActions } from './uiActions.ts';

export interface Editor extends CommandActions, RunActions, UiActions {
  readonly store: StoreApi<EditorState>;
  getState(): EditorState;
  /** Hears what changed (a new run, a live setting); returns the function that stops listening. */
  listen(listener: (change: EditorChange) => void): () => void;
}

/**
 * @example
 * const editor = createEditor();
 * const { ids } = editor.run({ type: 'addNode', nodeType: 'dense', position: { x: 0, y: 0 } }) as { ids: string[] };
 * editor.undo();
 */
export function createEditor(options: { doc?: GraphDoc; lang?: Lang } = {}): Editor {
  const initial = options.doc ?? emptyDocument();
  rememberData(initial);
  const store = createStore<EditorState>(() => initialEditorState(initial, options.lang ?? 'en'));
  const listeners = new Set<(change: EditorChange) => void>();
  const tell = (change: EditorChange) => {
    for (const listener of [...listeners]) listener(change);
  };
  const ui = createUiActions(store, (command) => editor.run(command));
  const runs = createRuns(store, tell, (key) => editor.notify(key));
  const commands = createCommandActions(store, runs.commit, (key, params) => editor.notify(key, params));
  const editor: Editor = {
    store,
    getState: () => store.getState(),
    listen(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    ...commands,
    ...runs.actions,
    ...ui,
  };
  return editor;
}
