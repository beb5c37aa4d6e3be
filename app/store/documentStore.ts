// The editor's one store: the document (undoable), the selection, live drag positions, the
// viewport and trained weights (not undoable). The document changes only through commands.
//
// API for other parts of the app (training UI included):
//   useEditor(selector)                 read anything reactively; editor.getState() outside React
//   run(command)                        apply a named command (app/store/commands.ts) as one undo step
//   undo(), redo()
//   setWeights(weights | undefined)     trained parameters, kept out of the undo history; pruned
//                                       automatically when an edit changes a layer's shape
//   select(nodeIds, edgeIds), focusNode(id)   (focusNode also asks the canvas to centre it)
//   markNode(id, message | null)        an external error badge (e.g. NaN during training)
//   notify(message)                     a transient notice in the status bar
import { create } from 'zustand';
import {
  analyzeGraph,
  type GraphAnalysis,
  type GraphDoc,
  type GraphWeights,
  type Position,
} from '../../engine/index.ts';
import type { Command } from './commands.ts';
import { emptyDocument } from './commands.ts';
import { execute, type History, redo, undo } from './history.ts';

export interface Viewport {
  x: number;
  y: number;
  zoom: number;
}

export interface ImportProblem {
  path: string;
  message: string;
}

export interface EditorState {
  history: History<GraphDoc>;
  doc: GraphDoc;
  analysis: GraphAnalysis;
  weights: GraphWeights | undefined;
  selectedNodes: string[];
  selectedEdges: string[];
  livePositions: Record<string, Position>;
  measured: Record<string, { width: number; height: number }>;
  viewport: Viewport | null;
  /** Increments on every document or weights change (autosave watches it). */
  revision: number;
  importProblems: { source: string; problems: ImportProblem[] } | null;
  externalErrors: Record<string, string>;
  notice: { text: string; id: number } | null;
  /** Set by focusNode; the canvas centres this node and clears it. */
  focusRequest: string | null;

  run(command: Command): void;
  undo(): void;
  redo(): void;
  setWeights(weights: GraphWeights | undefined): void;
  select(nodes: string[], edges?: string[]): void;
  focusNode(id: string): void;
  markNode(id: string, message: string | null): void;
  notify(text: string): void;
  /** Replaces everything without an undo entry (autosave restore, other-tab reload). */
  restore(doc: GraphDoc, weights: GraphWeights | undefined, viewport: Viewport | null): void;
}

/** Weights whose node still exists with the same parameter shapes. */
export function pruneWeights(
  weights: GraphWeights | undefined,
  doc: GraphDoc,
  analysis: GraphAnalysis,
): GraphWeights | undefined {
  if (!weights) return undefined;
  const kept: GraphWeights = {};
  for (const node of doc.nodes) {
    const saved = weights[node.id];
    if (node.type !== 'dense' || !saved) continue;
    const edge = doc.edges.find((e) => e.target === node.id && e.targetHandle === 'in');
    const inShape = edge && analysis.edgeShapes.get(edge.id);
    if (!inShape) continue;
    const features = inShape.reduce((a, b) => a * b, 1);
    const W = saved.W;
    const b = saved.b;
    if (!W || W.shape[0] !== features || W.shape[1] !== node.data.units) continue;
    if ((node.data.bias === false) !== (b === undefined)) continue;
    if (b && b.shape[0] !== node.data.units) continue;
    kept[node.id] = saved;
  }
  return Object.keys(kept).length > 0 ? kept : undefined;
}

let noticeId = 0;

export const useEditor = create<EditorState>((set, get) => {
  const commit = (history: History<GraphDoc>) => {
    const s = get();
    if (history === s.history) return;
    const doc = history.present;
    const analysis = analyzeGraph(doc);
    const weights = pruneWeights(s.weights, doc, analysis);
    const dropped = s.weights && Object.keys(s.weights).length !== Object.keys(weights ?? {}).length;
    set({ history, doc, analysis, weights, revision: s.revision + 1, livePositions: {} });
    if (dropped) get().notify('Layers you changed lost their trained weights; the rest keep theirs.');
    // Selection may point at nodes that no longer exist.
    const ids = new Set(doc.nodes.map((n) => n.id));
    const edges = new Set(doc.edges.map((e) => e.id));
    set({
      selectedNodes: s.selectedNodes.filter((id) => ids.has(id)),
      selectedEdges: s.selectedEdges.filter((id) => edges.has(id)),
    });
  };
  const initial = emptyDocument();
  return {
    history: { present: initial, past: [], future: [] },
    doc: initial,
    analysis: analyzeGraph(initial),
    weights: undefined,
    selectedNodes: [],
    selectedEdges: [],
    livePositions: {},
    measured: {},
    viewport: null,
    revision: 0,
    importProblems: null,
    externalErrors: {},
    notice: null,
    focusRequest: null,

    run: (command) => commit(execute(get().history, command.name, command.recipe)),
    undo: () => {
      const entry = get().history.past.at(-1);
      commit(undo(get().history));
      if (entry) get().notify(`Undid: ${entry.name}`);
    },
    redo: () => {
      const entry = get().history.future[0];
      commit(redo(get().history));
      if (entry) get().notify(`Redid: ${entry.name}`);
    },
    setWeights: (weights) =>
      set((s) => ({ weights: pruneWeights(weights, s.doc, s.analysis), revision: s.revision + 1 })),
    select: (nodes, edges = []) => set({ selectedNodes: nodes, selectedEdges: edges }),
    focusNode: (id) => set({ selectedNodes: [id], selectedEdges: [], focusRequest: id }),
    markNode: (id, message) =>
      set((s) => {
        const externalErrors = { ...s.externalErrors };
        if (message) externalErrors[id] = message;
        else delete externalErrors[id];
        return { externalErrors };
      }),
    notify: (text) => set({ notice: { text, id: ++noticeId } }),
    restore: (doc, weights, viewport) => {
      const analysis = analyzeGraph(doc);
      set((s) => ({
        history: { present: doc, past: [], future: [] },
        doc,
        analysis,
        weights: pruneWeights(weights, doc, analysis),
        viewport,
        revision: s.revision + 1,
        selectedNodes: [],
        selectedEdges: [],
        livePositions: {},
      }));
    },
  };
});

/** The document as exported: the graph plus its trained weights. */
export function exportedDocument(state: Pick<EditorState, 'doc' | 'weights'>): GraphDoc {
  return state.weights ? { ...state.doc, weights: state.weights } : state.doc;
}
