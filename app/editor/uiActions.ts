// The UI state's actions, outside the document and its history: selection, focus, a drag in
// progress, measured sizes, the viewport, error marks, notices, language, edge view and dialogs.
import type { StoreApi } from 'zustand/vanilla';
import type { Lang, Position } from '../../engine/index.ts';
import type { Command } from './commands.ts';
import type { DataImport, EdgeView, EditorState, RunResult, Viewport } from './editorState.ts';

/** The editor's actions on the UI state (part of Editor). */
export interface UiActions {
  select(nodes: readonly string[], edges?: readonly string[]): void;
  focusNode(id: string): void;
  clearFocusRequest(): void;
  /** Positions while dragging; endDrag commits them as one undo step. */
  dragNodes(positions: ReadonlyMap<string, Position>): void;
  endDrag(): void;
  setMeasured(sizes: ReadonlyMap<string, { width: number; height: number }>): void;
  setViewport(viewport: Viewport): void;
  markNode(id: string, message: string | null): void;
  clearMarks(): void;
  notify(key: string, params?: Readonly<Record<string, string | number>>): void;
  setImportProblems(value: EditorState['importProblems']): void;
  setLang(lang: Lang): void;
  setEdgeView(view: EdgeView): void;
  /** Marks the document as opened from an example (after loading it). */
  setExample(name: string | null): void;
  /** The data import's dialog: opened (reading), given what was read, offering a Flatten, or closed (null). */
  setDataImport(value: DataImport | null): void;
  /** Opens a node's larger view (null closes it). */
  showNodeView(nodeId: string | null): void;
}

/** `run` applies the command a drag ends with (the editor's run). */
export function createUiActions(store: StoreApi<EditorState>, run: (command: Command) => RunResult): UiActions {
  let noticeId = 0;
  return {
    select(nodes, edges = []) {
      store.setState({ selectedNodes: [...nodes], selectedEdges: [...edges] });
    },
    focusNode(id) {
      store.setState({ selectedNodes: [id], selectedEdges: [], focusRequest: id });
    },
    clearFocusRequest() {
      store.setState({ focusRequest: null });
    },
    dragNodes(positions) {
      store.setState((s) => ({ livePositions: new Map([...s.livePositions, ...positions]) }));
    },
    endDrag() {
      const live = store.getState().livePositions;
      if (live.size === 0) return;
      // The whole drag is one undo step.
      run({ type: 'moveNodes', positions: [...live] });
      store.setState({ livePositions: new Map() });
    },
    setMeasured(sizes) {
      store.setState((s) => ({ measured: new Map([...s.measured, ...sizes]) }));
    },
    setViewport(viewport) {
      store.setState({ viewport });
    },
    markNode(id, message) {
      store.setState((s) => {
        const externalErrors = new Map(s.externalErrors);
        if (message) externalErrors.set(id, message);
        else externalErrors.delete(id);
        return { externalErrors };
      });
    },
    clearMarks() {
      if (store.getState().externalErrors.size > 0) store.setState({ externalErrors: new Map() });
    },
    notify(key, params = {}) {
      store.setState({ notice: { key, params, id: ++noticeId } });
    },
    setImportProblems(value) {
      store.setState({ importProblems: value });
    },
    setLang(lang) {
      store.setState({ lang });
    },
    setExample(name) {
      store.setState({ example: name });
    },
    setDataImport(value) {
      store.setState({ dataImport: value });
    },
    setEdgeView(view) {
      store.setState({ edgeView: view });
    },
    showNodeView(nodeId) {
      store.setState({ nodeView: nodeId });
    },
  };
}
