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
  type ProblemParams,
  parseGraph,
  type TextEncodingName,
  type TrainingSnapshot,
} from '../../engine/index.ts';
import {
  type Command,
  type CommandEffect,
  commandEffect,
  commandLabel,
  type LiveSetting,
  performCommand,
} from './commands.ts';
import { execute, type History, redo, undo } from './history.ts';
import { rememberData, withoutCheckedData } from './checkedData.ts';
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

/** Why a new run began (DESIGN.md, "Truth on screen"). */
export type RunCause =
  /** A new document: an example, New, an import, a version, a share link, a Compare variant, a reload. */
  | 'document'
  /** A structural or data edit (or its undo/redo): the weights that still fit are kept. */
  | 'edit'
  | 'reset'
  /** A timeline branch: the worker continues from a snapshot. */
  | 'branch'
  /** The worker crashed or hung: a new one continues from the last weights it sent. */
  | 'recover';

/**
 * What changed, for those that act on it (the training client): told by the commands, not found
 * by comparing states (tldraw's store.listen).
 */
export type EditorChange =
  /** `replaced`: the trained graph (with its weights) that a new document replaced, to keep it (Versions). */
  { type: 'run'; runId: number; cause: RunCause; replaced?: GraphDoc } | { type: 'setting'; setting: LiveSetting };

export interface EditorState {
  history: History<GraphDoc>;
  doc: GraphDoc;
  analysis: GraphAnalysis;
  /** Trained parameters of this run (never another run's): not undoable; pruned when an edit changes a layer's shape. */
  weights: GraphWeights | undefined;
  /** The step of this run the weights were taken at (null without weights). */
  weightsStep: number | null;
  /** The run's optimizer state and counters that go with `weights` (a restored run continues from them). */
  trained: TrainingSnapshot | undefined;
  /** Increments when a new training run begins (RunCause): a new document, a structural or data edit, Reset, a branch. */
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
  /** A share link's graph on screen: nothing autosaves until the user keeps it or goes back to theirs. */
  /** `verified`: false for a link made before links carried a checksum (it may have been changed). */
  shared: { name: string; withWeights: boolean; verified: boolean } | null;
  /** The data import under way (its dialog), or null. */
  dataImport: DataImport | null;
  /** The node whose larger view is open (a Dense layer's units, a convolution's feature maps); null: closed. */
  nodeView: string | null;
}

/** Files picked for a data import, as read (app/data reads them). */
export type ImportRequest =
  | { kind: 'csv'; name: string; text: string; encoding: TextEncodingName }
  | { kind: 'hdf5'; train: { name: string; bytes: Uint8Array }; test: { name: string; bytes: Uint8Array } | null }
  /** `ignored`: the folder's other files (not PNG or JPEG), by path. */
  | { kind: 'images'; folder: string; files: { path: string; bytes: Uint8Array }[]; ignored: string[] }
  /** `code`: an engine problem code or an app catalogue key; rendered with renderProblem. */
  | { kind: 'error'; code: string; params: ProblemParams };

/** A data import: the files read (null while reading), the Input node they go into, the Flatten offered after. */
export interface DataImport {
  nodeId: string | null;
  request: ImportRequest | null;
  /** After importing images: the Dense node that needs a Flatten before it. */
  offer: { denseId: string } | null;
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

/** Weights of the nodes whose parameter and buffer shapes still match. */
export function pruneWeights(weights: GraphWeights | undefined, analysis: GraphAnalysis): GraphWeights | undefined {
  if (!weights) return undefined;
  const kept: [string, GraphWeights[string]][] = [];
  for (const info of analysis.nodes) {
    if (info.params.length === 0 || !Object.hasOwn(weights, info.id)) continue;
    const saved = weights[info.id]!;
    const names = Object.keys(saved);
    const expected = [...info.params, ...info.buffers];
    const fits =
      names.length === expected.length &&
      expected.every((p) => {
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
  /** Hears what changed (a new run, a live setting); returns the function that stops listening. */
  listen(listener: (change: EditorChange) => void): () => void;
  /** Starts a new run of the same document (Reset: untrained; a branch; a recovery: the weights kept). */
  newRun(cause: 'reset' | 'branch' | 'recover'): number;
  /** Starts a new document (one parseGraph gave) outside the undo history (startup example, autosave restore, other tab). */
  load(
    doc: GraphDoc,
    options?: {
      weights?: GraphWeights | undefined;
      trained?: TrainingSnapshot | undefined;
      viewport?: Viewport | null;
    },
  ): void;
  /** The trained weights of run `rev.runId` at `rev.step` (and the run state that goes with them), from the
   * training worker; ignored when that run is not the current one. */
  setWeights(rev: { runId: number; step: number }, weights: GraphWeights, trained?: TrainingSnapshot): void;
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
  /** Shows a share link's graph (its weights when it carries them) without it becoming the user's yet. */
  viewShared(doc: GraphDoc, verified: boolean): void;
  /** The shared graph was kept or left: the editor is the user's again. */
  endShared(): void;
  /** The data import's dialog: opened (reading), given what was read, offering a Flatten, or closed (null). */
  setDataImport(value: DataImport | null): void;
  /** Opens a node's larger view (null closes it). */
  showNodeView(nodeId: string | null): void;
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
  rememberData(initial);
  const store = createStore<EditorState>(() => ({
    history: { present: initial, past: [], future: [] },
    doc: initial,
    analysis: analyzeGraph(initial),
    weights: undefined,
    weightsStep: null,
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
    shared: null,
    dataImport: null,
    nodeView: null,
  }));
  const commands = new WeakMap<object, Entry>();
  let noticeId = 0;
  const listeners = new Set<(change: EditorChange) => void>();
  const tell = (change: EditorChange) => {
    for (const listener of [...listeners]) listener(change);
  };

  /**
   * Makes `history` the present. `effect` says what it changed for training; a new document brings
   * its own weights (`arriving`), an edit keeps those that still fit, each in a new run.
   */
  const commit = (
    history: History<GraphDoc>,
    effect: CommandEffect,
    arriving?: { weights: GraphWeights | undefined; trained: TrainingSnapshot | undefined },
  ) => {
    const s = store.getState();
    if (history === s.history) return;
    const doc = history.present;
    const analysis = analyzeGraph(doc);
    const document = effect === 'document';
    const newRun = document || effect === 'run';
    const weights = document ? pruneWeights(arriving?.weights, analysis) : pruneWeights(s.weights, analysis);
    const dropped =
      !document && s.weights !== undefined && Object.keys(s.weights).length !== Object.keys(weights ?? {}).length;
    const ids = new Set(doc.nodes.map((n) => n.id));
    const edgeIds = new Set(doc.edges.map((e) => e.id));
    const runId = newRun ? s.runId + 1 : s.runId;
    store.setState({
      history,
      doc,
      analysis,
      weights,
      // NOTE: an edited graph's run starts at step 0 from the weights that fit; only a document that
      // arrives trained brings its counters and optimizer state.
      weightsStep: weights ? (newRun ? 0 : s.weightsStep) : null,
      trained: weights ? (document ? arriving?.trained : newRun ? undefined : s.trained) : undefined,
      revision: s.revision + 1,
      runId,
      example: document ? null : s.example,
      livePositions: new Map(),
      selectedNodes: s.selectedNodes.filter((id) => ids.has(id)),
      selectedEdges: s.selectedEdges.filter((id) => edgeIds.has(id)),
    });
    if (dropped) editor.notify('notice.weightsDropped');
    if (document && s.weights) tell({ type: 'run', runId, cause: 'document', replaced: exportedDocument(s) });
    else if (newRun) tell({ type: 'run', runId, cause: document ? 'document' : 'edit' });
    else if (effect !== 'layout') tell({ type: 'setting', setting: effect });
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
        parseGraph(withoutCheckedData(history.present));
        rememberData(history.present);
      } catch (e) {
        const reason = refusalOf(e);
        editor.notify('notice.refused', { reason: reason.message });
        return { ok: false, reason };
      }
      commands.set(history.past[history.past.length - 1]!, { command });
      if (command.type === 'replaceDocument')
        store.setState({ selectedNodes: [], selectedEdges: [], externalErrors: new Map() });
      commit(
        history,
        commandEffect(command),
        command.type === 'replaceDocument' ? { weights: command.doc.weights, trained: command.trained } : undefined,
      );
      return { ok: true, ids };
    },
    undo() {
      const s = store.getState();
      const entry = s.history.past[s.history.past.length - 1];
      if (!entry) return;
      const c = commands.get(entry)?.command;
      // NOTE: undoing a document's opening brings the previous graph back untrained (its run is gone).
      commit(undo(s.history), c ? commandEffect(c) : 'run');
    },
    redo() {
      const s = store.getState();
      const entry = s.history.future[0];
      if (!entry) return;
      const c = commands.get(entry)?.command;
      commit(
        redo(s.history),
        c ? commandEffect(c) : 'run',
        c?.type === 'replaceDocument' ? { weights: c.doc.weights, trained: c.trained } : undefined,
      );
    },
    listen(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    newRun(cause) {
      const s = store.getState();
      const runId = s.runId + 1;
      // NOTE: Reset starts untrained and a branch waits for the worker's weights of the snapshot: the old
      // run's latest weights must not be saved as the new run's.
      const keep = cause === 'recover' && s.weights !== undefined;
      store.setState({
        runId,
        weights: keep ? s.weights : undefined,
        weightsStep: keep ? 0 : null,
        trained: keep ? s.trained : undefined,
        revision: s.revision + 1,
      });
      tell({ type: 'run', runId, cause });
      return runId;
    },
    load(doc, { weights, trained, viewport = null } = {}) {
      rememberData(doc);
      const analysis = analyzeGraph(doc);
      const kept = pruneWeights(weights, analysis);
      const runId = store.getState().runId + 1;
      store.setState((s) => ({
        history: { present: doc, past: [], future: [] },
        doc,
        analysis,
        weights: kept,
        weightsStep: kept ? 0 : null,
        trained: kept ? trained : undefined,
        viewport,
        runId,
        revision: s.revision + 1,
        example: null,
        selectedNodes: [],
        selectedEdges: [],
        livePositions: new Map(),
        externalErrors: new Map(),
        importProblems: null,
      }));
      tell({ type: 'run', runId, cause: 'document' });
    },
    setWeights(rev, weights, trained) {
      const s = store.getState();
      // NOTE: the one gate of the autosave's pairing: weights only ever join the run they were trained in.
      if (rev.runId !== s.runId) return;
      const kept = pruneWeights(weights, s.analysis);
      store.setState({
        weights: kept,
        weightsStep: kept ? rev.step : null,
        trained: kept ? trained : undefined,
        revision: s.revision + 1,
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
    viewShared(doc, verified) {
      editor.load(doc, { weights: doc.weights });
      store.setState({
        shared: { name: doc.name ?? '', withWeights: store.getState().weights !== undefined, verified },
      });
    },
    endShared() {
      store.setState({ shared: null });
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
