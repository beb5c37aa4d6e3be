// The editor core without React (tldraw's editor is the model): one store holding the document
// with its undo history, the trained weights, and the UI state; it changes only through the named
// actions below. Every command's result must be a document parseGraph accepts, or it is refused
// with the reason. React reads it through useStore (app/editorContext.tsx); tests drive it headless.
import { createStore, type StoreApi } from 'zustand/vanilla';
import {
  analyzeGraph,
  DEFAULT_TRAINING,
  edgeProblem,
  GRAPH_FORMAT,
  GRAPH_VERSION,
  type GraphAnalysis,
  type GraphDoc,
  type GraphWeights,
  GraphFormatError,
  type Lang,
  type Position,
  parseGraph,
  type TrainingSnapshot,
} from '../../engine/index.ts';
import { type Command, commandLabel, performCommand } from './commands.ts';
import { execute, type History, redo, undo } from './history.ts';
import { freePasteOffset, freePosition } from './placement.ts';

export interface Viewport {
  x: number;
  y: number;
  zoom: number;
}

export interface ImportProblem {
  path: string;
  code?: string;
  params?: Readonly<Record<string, unknown>>;
  message: string;
}

/** Why an edit was refused: a problem code with its params (rendered in the UI's language). */
export interface Refusal {
  code: string;
  params: Readonly<Record<string, unknown>>;
  message: string;
  path?: string;
}

export type RunResult = { ok: true; ids: string[] } | { ok: false; reason: Refusal };

export type EdgeView = 'gradients' | 'activations';

export interface Notice {
  key: string;
  params: Readonly<Record<string, string | number>>;
  id: number;
}

export interface EditorState {
  history: History<GraphDoc>;
  doc: GraphDoc;
  analysis: GraphAnalysis;
  /** Trained parameters: not undoable; pruned when an edit changes a layer's shape. */
  weights: GraphWeights | undefined;
  /** The run's optimizer state and counters that go with `weights` (a restored run continues from them). */
  trained: TrainingSnapshot | undefined;
  /** Increments when a new document begins (new graph, example, import, restore): a new training run. */
  runId: number;
  /** Increments on every document or weights change (autosave watches it). */
  revision: number;
  selectedNodes: readonly string[];
  selectedEdges: readonly string[];
  /** Positions of nodes being dragged (committed as one move when the drag ends). */
  livePositions: ReadonlyMap<string, Position>;
  measured: ReadonlyMap<string, { width: number; height: number }>;
  viewport: Viewport | null;
  importProblems: { source: string; problems: ImportProblem[] } | null;
  /** Error badges from outside the analysis (NaN during training), by node id. */
  externalErrors: ReadonlyMap<string, string>;
  notice: Notice | null;
  /** The canvas centres this node and clears it. */
  focusRequest: string | null;
  lang: Lang;
  edgeView: EdgeView;
  /** The example the current document was opened from (its first-time hint); null for other documents. */
  example: string | null;
  /** The Dense node whose weights the per-unit view shows; null when it is closed. */
  unitsView: string | null;
}

/** An empty document with the default training settings (engine's DEFAULT_TRAINING). */
export function emptyDocument(name = 'Untitled'): GraphDoc {
  return {
    format: GRAPH_FORMAT,
    version: GRAPH_VERSION,
    name,
    nodes: [],
    edges: [],
    training: structuredClone(DEFAULT_TRAINING),
  };
}

/** Weights of the nodes whose parameter shapes still match. */
export function pruneWeights(weights: GraphWeights | undefined, analysis: GraphAnalysis): GraphWeights | undefined {
  if (!weights) return undefined;
  const kept: [string, GraphWeights[string]][] = [];
  for (const info of analysis.nodes) {
    if (info.params.length === 0 || !Object.hasOwn(weights, info.id)) continue;
    const saved = weights[info.id]!;
    const names = Object.keys(saved);
    const fits =
      names.length === info.params.length &&
      info.params.every((p) => {
        const t = Object.hasOwn(saved, p.name) ? saved[p.name] : undefined;
        return t !== undefined && t.shape.length === p.shape.length && t.shape.every((d, i) => d === p.shape[i]);
      });
    if (fits) kept.push([info.id, saved]);
  }
  return kept.length > 0 ? Object.fromEntries(kept) : undefined;
}

/** The document as exported: the graph plus its trained weights. */
export function exportedDocument(state: Pick<EditorState, 'doc' | 'weights'>): GraphDoc {
  return state.weights ? { ...state.doc, weights: state.weights } : state.doc;
}

function refusalOf(e: unknown): Refusal {
  if (e instanceof GraphFormatError) {
    const first = e.problems[0]!;
    return { code: first.code, params: first.params, message: first.message, path: first.path };
  }
  const message = e instanceof Error ? e.message : String(e);
  return { code: 'format.invalid', params: { detail: message }, message };
}

/** New nodes land in free space: an add or a paste is moved to the nearest spot where it covers no node. */
function placed(command: Command, s: EditorState): Command {
  if (command.type === 'addNode')
    return {
      ...command,
      position: freePosition(s.doc, s.measured, command.position, command.placement?.size, command.placement?.within),
    };
  if (command.type === 'insertNode' && !command.moves)
    return { ...command, position: freePosition(s.doc, s.measured, command.position) };
  if (command.type === 'paste')
    return { ...command, offset: freePasteOffset(s.doc, s.measured, command.nodes, command.offset) };
  return command;
}

export interface Editor {
  readonly store: StoreApi<EditorState>;
  getState(): EditorState;
  /** Applies a command as one undo step; refused (no change) when the result would not be a valid document. */
  run(command: Command): RunResult;
  undo(): void;
  redo(): void;
  /** Starts a new document outside the undo history (startup example, autosave restore, other tab). */
  load(
    doc: GraphDoc,
    options?: {
      weights?: GraphWeights | undefined;
      trained?: TrainingSnapshot | undefined;
      viewport?: Viewport | null;
    },
  ): void;
  /** The trained weights (and the run state that goes with them) from the training worker. */
  setWeights(weights: GraphWeights | undefined, trained?: TrainingSnapshot): void;
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
  /** Opens the per-unit weight view of a node (null closes it). */
  showUnits(nodeId: string | null): void;
  /** The label of the undo / redo step (for tooltips). */
  undoLabel(): ReturnType<typeof commandLabel> | null;
  redoLabel(): ReturnType<typeof commandLabel> | null;
}

interface Entry {
  command: Command;
}

/**
 * @example
 * const editor = createEditor();
 * const { ids } = editor.run({ type: 'addNode', nodeType: 'dense', position: { x: 0, y: 0 } }) as { ids: string[] };
 * editor.undo();
 */
export function createEditor(options: { doc?: GraphDoc; lang?: Lang } = {}): Editor {
  const initial = options.doc ?? emptyDocument();
  const store = createStore<EditorState>(() => ({
    history: { present: initial, past: [], future: [] },
    doc: initial,
    analysis: analyzeGraph(initial),
    weights: undefined,
    trained: undefined,
    runId: 1,
    revision: 0,
    selectedNodes: [],
    selectedEdges: [],
    livePositions: new Map(),
    measured: new Map(),
    viewport: null,
    importProblems: null,
    externalErrors: new Map(),
    notice: null,
    focusRequest: null,
    lang: options.lang ?? 'en',
    edgeView: 'gradients',
    example: null,
    unitsView: null,
  }));
  const commands = new WeakMap<object, Entry>();
  let noticeId = 0;

  const commit = (history: History<GraphDoc>, newRun: boolean) => {
    const s = store.getState();
    if (history === s.history) return;
    const doc = history.present;
    const analysis = analyzeGraph(doc);
    // NOTE: a new document starts untrained; whoever replaces it (import, example) sets its own weights.
    const weights = newRun ? undefined : pruneWeights(s.weights, analysis);
    const dropped = s.weights !== undefined && Object.keys(s.weights).length !== Object.keys(weights ?? {}).length;
    const ids = new Set(doc.nodes.map((n) => n.id));
    const edgeIds = new Set(doc.edges.map((e) => e.id));
    store.setState({
      history,
      doc,
      analysis,
      weights,
      trained: weights ? s.trained : undefined,
      revision: s.revision + 1,
      runId: newRun ? s.runId + 1 : s.runId,
      example: newRun ? null : s.example,
      livePositions: new Map(),
      selectedNodes: s.selectedNodes.filter((id) => ids.has(id)),
      selectedEdges: s.selectedEdges.filter((id) => edgeIds.has(id)),
    });
    if (dropped && !newRun) editor.notify('notice.weightsDropped');
  };

  const labelOf = (entry: History<GraphDoc>['past'][number] | undefined) => {
    const c = entry && commands.get(entry)?.command;
    return c ? commandLabel(c) : null;
  };

  const editor: Editor = {
    store,
    getState: () => store.getState(),
    run(requested) {
      const s = store.getState();
      const command = placed(requested, s);
      if (command.type === 'connect') {
        const problem = edgeProblem(s.doc, command);
        if (problem)
          return { ok: false, reason: { code: problem.code, params: problem.params, message: problem.message } };
      }
      let ids: string[] = [];
      const history = execute(s.history, command.type, (draft) => {
        ids = performCommand(draft, command);
      });
      if (history === s.history) return { ok: true, ids };
      try {
        // NOTE: the one gate: whatever a command produces must be a document parseGraph accepts.
        parseGraph(history.present);
      } catch (e) {
        const reason = refusalOf(e);
        editor.notify('notice.refused', { reason: reason.message });
        return { ok: false, reason };
      }
      commands.set(history.past[history.past.length - 1]!, { command });
      commit(history, command.type === 'replaceDocument');
      if (command.type === 'replaceDocument')
        store.setState({ selectedNodes: [], selectedEdges: [], externalErrors: new Map() });
      return { ok: true, ids };
    },
    undo() {
      const s = store.getState();
      const entry = s.history.past[s.history.past.length - 1];
      if (!entry) return;
      const c = commands.get(entry)?.command;
      commit(undo(s.history), c?.type === 'replaceDocument');
    },
    redo() {
      const s = store.getState();
      const entry = s.history.future[0];
      if (!entry) return;
      const c = commands.get(entry)?.command;
      commit(redo(s.history), c?.type === 'replaceDocument');
    },
    load(doc, { weights, trained, viewport = null } = {}) {
      const analysis = analyzeGraph(doc);
      const kept = pruneWeights(weights, analysis);
      store.setState((s) => ({
        history: { present: doc, past: [], future: [] },
        doc,
        analysis,
        weights: kept,
        trained: kept ? trained : undefined,
        viewport,
        runId: s.runId + 1,
        revision: s.revision + 1,
        example: null,
        selectedNodes: [],
        selectedEdges: [],
        livePositions: new Map(),
        externalErrors: new Map(),
        importProblems: null,
      }));
    },
    setWeights(weights, trained) {
      store.setState((s) => {
        const kept = pruneWeights(weights, s.analysis);
        return { weights: kept, trained: kept ? trained : undefined, revision: s.revision + 1 };
      });
    },
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
      editor.run({ type: 'moveNodes', positions: [...live] });
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
    setEdgeView(view) {
      store.setState({ edgeView: view });
    },
    showUnits(nodeId) {
      store.setState({ unitsView: nodeId });
    },
    undoLabel() {
      const past = store.getState().history.past;
      return labelOf(past[past.length - 1]);
    },
    redoLabel() {
      return labelOf(store.getState().history.future[0]);
    },
  };
  return editor;
}
