// Documents and their trained weights: an empty document, the weights that still fit an edited graph,
// and the document as exported (graph plus weights).
import {
  DEFAULT_TRAINING,
  GRAPH_FORMAT,
  GRAPH_VERSION,
  type GraphAnalysis,
  type GraphDoc,
  type GraphWeights,
} from '../../engine/index.ts';
import type { EditorState } from './editorState.ts';

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
