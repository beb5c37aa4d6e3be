// Every edit of the document is one of these named commands: a pure Immer recipe over the
// document. Trained weights are kept outside the undo history (see documentStore.ts).
import type { GraphDoc, GraphEdge, GraphNode, NodeType, Position, TrainingConfig } from '../../engine/index.ts';
import { NODE_TYPES } from '../nodeTypes.ts';

export interface Command {
  name: string;
  recipe: (doc: GraphDoc) => void;
}

/** A fresh id like "dense3" that the document does not use yet. */
export function freshId(doc: GraphDoc, prefix: string, taken: Set<string> = new Set()): string {
  const used = new Set([...doc.nodes.map((n) => n.id), ...doc.edges.map((e) => e.id), ...taken]);
  for (let i = 1; ; i++) {
    const id = `${prefix}${i}`;
    if (!used.has(id)) return id;
  }
}

export const commands = {
  addNode(type: NodeType, position: Position, id?: string): Command {
    return {
      name: `Add ${NODE_TYPES[type].label}`,
      recipe: (doc) => {
        const nodeId = id ?? freshId(doc, type === 'input' ? 'in' : type);
        doc.nodes.push({
          id: nodeId,
          type,
          position: { x: Math.round(position.x), y: Math.round(position.y) },
          data: NODE_TYPES[type].defaults(),
        } as GraphNode);
      },
    };
  },

  moveNodes(positions: Record<string, Position>): Command {
    return {
      name: 'Move',
      recipe: (doc) => {
        for (const n of doc.nodes) {
          const p = positions[n.id];
          if (p) n.position = { x: Math.round(p.x), y: Math.round(p.y) };
        }
      },
    };
  },

  connect(edge: Omit<GraphEdge, 'id'>): Command {
    return {
      name: 'Connect',
      recipe: (doc) => {
        // An input port takes one edge: a new connection replaces the old one.
        doc.edges = doc.edges.filter((e) => !(e.target === edge.target && e.targetHandle === edge.targetHandle));
        doc.edges.push({ id: freshId(doc, 'e'), ...edge });
      },
    };
  },

  deleteElements(nodeIds: readonly string[], edgeIds: readonly string[]): Command {
    return {
      name: nodeIds.length > 0 ? 'Delete' : 'Delete connection',
      recipe: (doc) => {
        const nodes = new Set(nodeIds);
        const edges = new Set(edgeIds);
        doc.nodes = doc.nodes.filter((n) => !nodes.has(n.id));
        doc.edges = doc.edges.filter((e) => !edges.has(e.id) && !nodes.has(e.source) && !nodes.has(e.target));
      },
    };
  },

  updateNodeData(id: string, change: (data: Record<string, unknown>) => void, label = 'Edit'): Command {
    return {
      name: label,
      recipe: (doc) => {
        const node = doc.nodes.find((n) => n.id === id);
        if (!node) return;
        change(node.data as Record<string, unknown>);
      },
    };
  },

  updateTraining(change: (t: TrainingConfig) => void, label = 'Edit training settings'): Command {
    return { name: label, recipe: (doc) => change(doc.training) };
  },

  rename(name: string): Command {
    return {
      name: 'Rename graph',
      recipe: (doc) => {
        doc.name = name;
      },
    };
  },

  /** Import, example, new graph: the whole document in one undoable step. */
  replaceDocument(next: GraphDoc, label: string): Command {
    return {
      name: label,
      recipe: (doc) => {
        doc.name = next.name;
        doc.nodes = structuredClone(next.nodes);
        doc.edges = structuredClone(next.edges);
        doc.training = structuredClone(next.training);
        delete doc.weights;
      },
    };
  },

  /** Pastes copied nodes with fresh ids, keeping the edges between them, offset by `offset`. */
  paste(nodes: readonly GraphNode[], edges: readonly GraphEdge[], offset: Position): Command & { ids: () => string[] } {
    let pasted: string[] = [];
    return {
      name: 'Paste',
      ids: () => pasted,
      recipe: (doc) => {
        const rename = new Map<string, string>();
        const taken = new Set<string>();
        for (const n of nodes) {
          const id = freshId(doc, n.type === 'input' ? 'in' : n.type, taken);
          taken.add(id);
          rename.set(n.id, id);
          doc.nodes.push({
            ...structuredClone(n),
            id,
            position: { x: n.position.x + offset.x, y: n.position.y + offset.y },
          } as GraphNode);
        }
        for (const e of edges) {
          const source = rename.get(e.source);
          const target = rename.get(e.target);
          if (!source || !target) continue;
          const id = freshId(doc, 'e', taken);
          taken.add(id);
          doc.edges.push({ ...e, id, source, target });
        }
        pasted = [...rename.values()];
      },
    };
  },
};

/** An empty document with the default training settings. */
export function emptyDocument(name = 'Untitled'): GraphDoc {
  return {
    format: 'nodegrad-graph',
    version: 1,
    name,
    nodes: [],
    edges: [],
    training: { optimizer: { type: 'sgd', learningRate: 0.5 }, batchSize: 4, epochs: 1000, seed: 1 },
  };
}
