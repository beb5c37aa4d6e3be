// The editor's state (one zustand store, editor.ts) and what it tells its listeners: the document with
// its undo history, the run and its trained weights, and the UI state around them.
import {
  analyzeGraph,
  type GraphAnalysis,
  type GraphDoc,
  type GraphWeights,
  type Lang,
  type Position,
  type ProblemParams,
  type TextEncodingName,
  type TrainingSnapshot,
} from '../../engine/index.ts';
import type { LiveSetting } from './commands.ts';
import type { History } from './history.ts';

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

/** A data import: the files read (null while reading), the Input node they go into, what is offered after. */
export interface DataImport {
  nodeId: string | null;
  request: ImportRequest | null;
  /**
   * After the data arrived: `fix`, a node's problem that a node inserted before it fixes (a Flatten
   * before a Dense fed images, a Reshape before a Conv2D fed flat rows); `images`: the data are images
   * (a CNN for them is offered).
   */
  offer: { fix: { nodeId: string; code: string } | null; images: boolean } | null;
}

/** The state of a new editor: `doc` with no history, no weights, run 1, nothing selected. */
export function initialEditorState(doc: GraphDoc, lang: Lang): EditorState {
  return {
    history: { present: doc, past: [], future: [] },
    doc,
    analysis: analyzeGraph(doc),
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
    lang,
    edgeView: 'gradients',
    example: null,
    shared: null,
    dataImport: null,
    nodeView: null,
  };
}
