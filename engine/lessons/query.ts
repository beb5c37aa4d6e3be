// The one place lesson checks read a graph's structure: the Input and the Loss, the main path between
// them, the layers on it with their activations, the dataset's task and shapes. Ids and positions
// never matter; node kinds come from the node definitions (a layer is a node type with parameters).
import type { GraphAnalysis } from '../compiler/types.ts';
import { analyzeGraph } from '../compiler/analyze.ts';
import { datasetShapes } from '../datasets/index.ts';
import type { ActivationFn, DatasetSpec, GraphDoc, GraphNode, LossFn } from '../format/types.ts';
import { findNodeDefinition } from '../nodes/index.ts';

/** A node with parameters on the main path, and the activation that follows it. */
export interface Layer {
  node: GraphNode;
  /** Its width: a Dense's units (a convolution's filters): the last axis of its output. */
  units: number | undefined;
  /** The first Activation after it (before the next layer); null when there is none. */
  activation: ActivationFn | null;
}

export interface GraphQuery {
  doc: GraphDoc;
  analysis: GraphAnalysis;
  dataset: DatasetSpec | undefined;
  task: 'binary' | 'multiclass' | 'regression' | undefined;
  /** Per-sample shape of `x`, when the dataset is readable. */
  inputShape: readonly number[] | undefined;
  lossFn: LossFn | undefined;
  /** From the node after the Input to the node feeding the Loss's `pred`, in forward order. */
  path: readonly GraphNode[];
  /** The path starts at the Input's `x` and ends at the Loss's `pred`. */
  connected: boolean;
  /** The Loss's `target` comes from the Input's `y`. */
  targetWired: boolean;
  layers: readonly Layer[];
}

/** True for node types with trainable parameters (Dense, convolutions), from the node definitions. */
export function isLayerType(type: string): boolean {
  const def = findNodeDefinition(type);
  // NOTE: a convolution is a layer too (its own palette group, 'convolution'); BatchNorm has parameters but is not.
  return (def?.category === 'layer' || def?.category === 'convolution') && def.params !== undefined;
}

const isActivation = (node: GraphNode) => findNodeDefinition(node.type)?.category === 'activation';

/**
 * The main path: back from the Loss's `pred` through each node's first connected input (a merge's
 * `a`) to the Input's `x`. While the graph is being built and that does not reach the Input, the
 * path forward from the Input's `x` along the first edge out of each node instead.
 */
function mainPath(doc: GraphDoc, inputId: string | undefined, lossId: string | undefined) {
  const byId = new Map(doc.nodes.map((n) => [n.id, n]));
  const back = backPath(doc, byId, lossId);
  if (back.fromX || inputId === undefined) return back;
  const path: GraphNode[] = [];
  const seen = new Set<string>();
  let edge = doc.edges.find((e) => e.source === inputId && e.sourceHandle === 'x');
  while (edge) {
    const node = byId.get(edge.target);
    if (!node || seen.has(node.id) || node.type === 'loss') break;
    seen.add(node.id);
    path.push(node);
    const from = node.id;
    edge = doc.edges.find((e) => e.source === from);
  }
  return { path, fromX: false };
}

/** Back from the Loss's `pred`; stops at the Input, at a node with nothing connected, or at a node seen before. */
function backPath(
  doc: GraphDoc,
  byId: ReadonlyMap<string, GraphNode>,
  lossId: string | undefined,
): { path: GraphNode[]; fromX: boolean } {
  const into = new Map<string, { source: string; sourceHandle: string; port: string }[]>();
  for (const e of doc.edges) {
    const list = into.get(e.target) ?? [];
    list.push({ source: e.source, sourceHandle: e.sourceHandle, port: e.targetHandle });
    into.set(e.target, list);
  }
  const firstInput = (node: GraphNode, port?: string) => {
    const edges = into.get(node.id) ?? [];
    if (port !== undefined) return edges.find((e) => e.port === port);
    const ports = findNodeDefinition(node.type)?.ports.inputs ?? [];
    for (const p of ports) {
      const e = edges.find((x) => x.port === p);
      if (e) return e;
    }
    return undefined;
  };
  const loss = lossId === undefined ? undefined : byId.get(lossId);
  const path: GraphNode[] = [];
  const seen = new Set<string>();
  let edge = loss ? firstInput(loss, 'pred') : undefined;
  while (edge) {
    const node = byId.get(edge.source);
    if (!node || seen.has(node.id)) break;
    if (node.type === 'input') return { path: path.reverse(), fromX: edge.sourceHandle === 'x' };
    seen.add(node.id);
    path.push(node);
    edge = firstInput(node);
  }
  return { path: path.reverse(), fromX: false };
}

function layersOf(path: readonly GraphNode[], analysis: GraphAnalysis): Layer[] {
  const shapes = new Map(analysis.nodes.map((n) => [n.id, n.outputShape]));
  const layers: Layer[] = [];
  for (const node of path) {
    if (isLayerType(node.type)) {
      const data = node.data as Record<string, unknown>;
      const width = data.units ?? data.filters;
      const units = typeof width === 'number' ? width : shapes.get(node.id)?.at(-1);
      layers.push({ node, units, activation: null });
    } else if (isActivation(node)) {
      const last = layers[layers.length - 1];
      if (last && last.activation === null) last.activation = (node.data as { fn: ActivationFn }).fn;
    }
  }
  return layers;
}

/** Reads a document once for every condition of a lesson. */
export function queryGraph(doc: GraphDoc): GraphQuery {
  const analysis = analyzeGraph(doc);
  const input = doc.nodes.find((n) => n.type === 'input');
  const loss = doc.nodes.find((n) => n.type === 'loss');
  const dataset = input?.type === 'input' ? input.data.dataset : undefined;
  let shapes: ReturnType<typeof datasetShapes> | undefined;
  try {
    shapes = dataset ? datasetShapes(dataset) : undefined;
  } catch {
    shapes = undefined;
  }
  const { path, fromX } = mainPath(doc, input?.id, loss?.id);
  const targetWired = doc.edges.some(
    (e) => e.target === loss?.id && e.targetHandle === 'target' && e.source === input?.id && e.sourceHandle === 'y',
  );
  return {
    doc,
    analysis,
    dataset,
    task: shapes?.task,
    inputShape: shapes?.inputShape,
    lossFn: loss?.type === 'loss' ? loss.data.fn : undefined,
    path,
    connected: input !== undefined && loss !== undefined && fromX,
    targetWired,
    layers: layersOf(path, analysis),
  };
}
