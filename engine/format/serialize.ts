import type { Model } from '../compiler/types.ts';
import type { GraphDoc, GraphEdge, GraphNode } from './types.ts';
import { encodeWeights } from './weights.ts';

/**
 * The document as a JSON-ready object with a fixed key order; with `model`, its current parameters
 * and buffers become the document's `weights` (otherwise the document's own weights, if any, are kept).
 *
 * @example
 * const text = JSON.stringify(serializeGraph(doc, model), null, 2);
 */
export function serializeGraph(doc: GraphDoc, model?: Model): object {
  const out: Record<string, unknown> = {
    format: doc.format,
    version: doc.version,
    name: doc.name,
    nodes: doc.nodes.map(serializeNode),
    edges: doc.edges.map(serializeEdge),
    training: structuredClone(doc.training),
  };
  if (model) out.weights = encodeWeights(new Map([...model.params, ...model.buffers]));
  else if (doc.weights && Object.keys(doc.weights).length > 0) out.weights = structuredClone(doc.weights);
  return out;
}

function serializeNode(node: GraphNode): object {
  return {
    id: node.id,
    type: node.type,
    position: { x: node.position.x, y: node.position.y },
    data: structuredClone(node.data),
  };
}

function serializeEdge(e: GraphEdge): GraphEdge {
  return { id: e.id, source: e.source, sourceHandle: e.sourceHandle, target: e.target, targetHandle: e.targetHandle };
}
