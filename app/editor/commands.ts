// Every edit of the document is one of these commands: plain data, applied by a pure Immer recipe
// (excalidraw's actions, tldraw's editor). `perform` returns the ids it creates, so callers never
// dig them out of the document. Trained weights live outside the undo history (runs.ts).
import {
  type GraphDoc,
  type GraphEdge,
  type GraphNode,
  type NodeType,
  nodeDefinition,
  type OptimizerConfig,
  type Position,
  type TrainingConfig,
  type TrainingSnapshot,
} from '../../engine/index.ts';

/** The part of the graph on screen (graph units) and the box of the node placed into it. */
export interface Placement {
  within: { x: number; y: number; width: number; height: number };
  size: { width: number; height: number };
}

export type TrainingField = 'batchSize' | 'epochs' | 'seed' | 'weightDecay';

export type Command =
  | {
      type: 'addNode';
      nodeType: NodeType;
      position: Position;
      data?: GraphNode['data'];
      /** Where free space is looked for first (the visible canvas) and the new node's box. */
      placement?: Placement;
    }
  | { type: 'moveNodes'; positions: readonly (readonly [string, Position])[]; label?: 'move' | 'layout' }
  | { type: 'connect'; source: string; sourceHandle: string; target: string; targetHandle: string }
  | { type: 'delete'; nodeIds: readonly string[]; edgeIds: readonly string[] }
  | { type: 'setField'; nodeId: string; key: string; value: unknown }
  | { type: 'setTraining'; key: TrainingField; value: number | undefined }
  | { type: 'setOptimizer'; optimizer: OptimizerConfig }
  | { type: 'rename'; name: string }
  /** A new document; it arrives trained when `doc.weights` are given (with `trained`, the run state that goes with them). */
  | {
      type: 'replaceDocument';
      doc: GraphDoc;
      source: 'new' | 'import' | 'example' | 'compare' | 'lesson' | 'template';
      trained?: TrainingSnapshot | undefined;
    }
  | { type: 'paste'; nodes: readonly GraphNode[]; edges: readonly GraphEdge[]; offset: Position }
  /** A new node on an edge: the edge's source feeds the node's first input, its first output feeds the target. */
  | {
      type: 'insertNode';
      nodeType: NodeType;
      edgeId: string;
      position: Position;
      /** Nodes moved aside to make room for it (else the editor finds it free space). */
      moves?: readonly (readonly [string, Position])[];
      /** Its data (else its type's defaults), checked against its schema. */
      data?: Record<string, unknown>;
    };

export type CommandType = Command['type'];

/** A training setting a run takes live, mid-run (the client sends it to the worker). */
export type LiveSetting = 'optimizer' | 'epochs' | 'weightDecay';

/**
 * What a command changes for training: nothing (`layout`: positions, the name), one setting the run
 * takes live, or the model or its data: a new run (DESIGN.md, "Truth on screen"), so no number of
 * the old graph is ever shown on the new one.
 */
export type CommandEffect = 'layout' | LiveSetting | 'run' | 'document';

interface CommandDefinition<C extends Command> {
  /** Applies the command to a draft; returns the ids of nodes it creates. */
  perform(doc: GraphDoc, command: C): string[] | undefined;
  effect(command: C): CommandEffect;
}

const LIVE_TRAINING: Readonly<Partial<Record<TrainingField, LiveSetting>>> = {
  epochs: 'epochs',
  weightDecay: 'weightDecay',
};

type Registry = { [T in CommandType]: CommandDefinition<Extract<Command, { type: T }>> };

/** A fresh id like "dense3" that the document does not use yet. */
export function freshId(doc: GraphDoc, prefix: string, taken: ReadonlySet<string> = new Set()): string {
  const used = new Set<string>(taken);
  for (const n of doc.nodes) used.add(n.id);
  for (const e of doc.edges) used.add(e.id);
  for (let i = 1; ; i++) {
    const id = `${prefix}${i}`;
    if (!used.has(id)) return id;
  }
}

const idPrefix = (type: NodeType) => (type === 'input' ? 'in' : type);
const round = (p: Position): Position => ({ x: Math.round(p.x), y: Math.round(p.y) });

const COMMANDS: Registry = {
  addNode: {
    effect: () => 'run',
    perform(doc, c) {
      const id = freshId(doc, idPrefix(c.nodeType));
      const data = c.data ?? nodeDefinition(c.nodeType).defaults();
      doc.nodes.push({ id, type: c.nodeType, position: round(c.position), data: structuredClone(data) } as GraphNode);
      return [id];
    },
  },
  moveNodes: {
    effect: () => 'layout',
    perform(doc, c) {
      const positions = new Map(c.positions);
      for (const n of doc.nodes) {
        const p = positions.get(n.id);
        if (p) n.position = round(p);
      }
      return undefined;
    },
  },
  connect: {
    effect: () => 'run',
    perform(doc, c) {
      doc.edges.push({
        id: freshId(doc, 'e'),
        source: c.source,
        sourceHandle: c.sourceHandle,
        target: c.target,
        targetHandle: c.targetHandle,
      });
      return undefined;
    },
  },
  delete: {
    effect: () => 'run',
    perform(doc, c) {
      const nodes = new Set(c.nodeIds);
      const edges = new Set(c.edgeIds);
      doc.nodes = doc.nodes.filter((n) => !nodes.has(n.id));
      doc.edges = doc.edges.filter((e) => !edges.has(e.id) && !nodes.has(e.source) && !nodes.has(e.target));
      return undefined;
    },
  },
  setField: {
    effect: () => 'run',
    perform(doc, c) {
      const node = doc.nodes.find((n) => n.id === c.nodeId);
      if (!node) return undefined;
      const data = node.data as Record<string, unknown>;
      if (c.value === undefined) delete data[c.key];
      else data[c.key] = structuredClone(c.value);
      return undefined;
    },
  },
  setTraining: {
    effect: (c) => LIVE_TRAINING[c.key] ?? 'run',
    perform(doc, c) {
      const t = doc.training as Partial<Record<TrainingField, number>> & TrainingConfig;
      if (c.value === undefined) delete t[c.key];
      else t[c.key] = c.value;
      return undefined;
    },
  },
  setOptimizer: {
    effect: () => 'optimizer',
    perform(doc, c) {
      // NOTE: the same settings again are no edit (no undo step, nothing sent to a run).
      const same = (a: object, b: object) =>
        Object.keys(a).length === Object.keys(b).length &&
        Object.entries(a).every(([k, v]) => (b as Record<string, unknown>)[k] === v);
      if (!same(doc.training.optimizer, c.optimizer)) doc.training.optimizer = { ...c.optimizer };
      return undefined;
    },
  },
  rename: {
    effect: () => 'layout',
    perform(doc, c) {
      doc.name = c.name;
      return undefined;
    },
  },
  replaceDocument: {
    effect: () => 'document',
    perform(doc, c) {
      doc.name = c.doc.name;
      doc.nodes = structuredClone(c.doc.nodes);
      doc.edges = structuredClone(c.doc.edges);
      doc.training = structuredClone(c.doc.training);
      delete doc.weights;
      return c.doc.nodes.map((n) => n.id);
    },
  },
  insertNode: {
    effect: () => 'run',
    perform(doc, c) {
      const edge = doc.edges.find((e) => e.id === c.edgeId);
      if (!edge) return undefined;
      if (c.moves) COMMANDS.moveNodes.perform(doc, { type: 'moveNodes', positions: c.moves });
      const def = nodeDefinition(c.nodeType);
      const id = freshId(doc, idPrefix(c.nodeType));
      const data = c.data && def.schema.safeParse(c.data).success ? structuredClone(c.data) : def.defaults();
      doc.nodes.push({ id, type: c.nodeType, position: round(c.position), data } as GraphNode);
      doc.edges = doc.edges.filter((e) => e.id !== c.edgeId);
      const link = (e: Omit<GraphEdge, 'id'>) => doc.edges.push({ id: freshId(doc, 'e'), ...e });
      link({
        source: edge.source,
        sourceHandle: edge.sourceHandle,
        target: id,
        targetHandle: def.ports.inputs[0] as string,
      });
      link({
        source: id,
        sourceHandle: def.ports.outputs[0] as string,
        target: edge.target,
        targetHandle: edge.targetHandle,
      });
      return [id];
    },
  },
  paste: {
    effect: () => 'run',
    perform(doc, c) {
      const rename = new Map<string, string>();
      const taken = new Set<string>();
      for (const n of c.nodes) {
        const id = freshId(doc, idPrefix(n.type), taken);
        taken.add(id);
        rename.set(n.id, id);
        doc.nodes.push({
          ...structuredClone(n),
          id,
          position: round({ x: n.position.x + c.offset.x, y: n.position.y + c.offset.y }),
        } as GraphNode);
      }
      for (const e of c.edges) {
        const source = rename.get(e.source);
        const target = rename.get(e.target);
        if (!source || !target) continue;
        const id = freshId(doc, 'e', taken);
        taken.add(id);
        doc.edges.push({ ...e, id, source, target });
      }
      return [...rename.values()];
    },
  },
};

/** What `command` changes for training (a new run, a live setting, or nothing). */
export function commandEffect(command: Command): CommandEffect {
  return (COMMANDS[command.type] as CommandDefinition<Command>).effect(command);
}

/** Runs a command's recipe on a draft document; returns the ids it created. */
export function performCommand(doc: GraphDoc, command: Command): string[] {
  const def = COMMANDS[command.type] as CommandDefinition<Command>;
  return def.perform(doc, command) ?? [];
}

/** The catalogue key naming a command in the undo/redo tooltips ("Undo Add Dense"). */
export function commandLabel(command: Command): { key: string; params: Record<string, string> } {
  switch (command.type) {
    case 'addNode':
    case 'insertNode':
      return { key: 'cmd.addNode', params: { type: command.nodeType } };
    case 'moveNodes':
      return { key: command.label === 'layout' ? 'cmd.layout' : 'cmd.move', params: {} };
    case 'setField':
      return { key: 'cmd.setField', params: { field: command.key, node: command.nodeId } };
    case 'setTraining':
      return { key: 'cmd.setTraining', params: { field: command.key } };
    case 'replaceDocument':
      return { key: `cmd.replace.${command.source}`, params: { name: command.doc.name } };
    default:
      return { key: `cmd.${command.type}`, params: {} };
  }
}
