// The graph document, format version 1 (see shared DESIGN.md). Node data types come from each
// node definition's zod schema (engine/nodes/), the rest from engine/format/schema.ts.
import type { NodeDataOf, NodeType } from '../nodes/index.ts';
import type { TrainingConfig } from './schema.ts';

export type {
  ActivationFn,
  DatasetSpec,
  EncodedArray,
  InitKind,
  LossFn,
  OptimizerConfig,
  TrainingConfig,
} from './schema.ts';
export type { NodeDataOf, NodeType } from '../nodes/index.ts';

export const GRAPH_FORMAT = 'nodegrad-graph';
export const GRAPH_VERSION = 1;

export type DatasetKind = import('./schema.ts').DatasetSpec['kind'];

export interface Position {
  x: number;
  y: number;
}

interface NodeBase<T extends NodeType> {
  id: string;
  type: T;
  position: Position;
  data: NodeDataOf<T>;
}
/** One node of the document; `data` is typed by `type`. */
export type GraphNode = { [T in NodeType]: NodeBase<T> }[NodeType];
export type InputNode = NodeBase<'input'>;
export type DenseNode = NodeBase<'dense'>;
export type ActivationNode = NodeBase<'activation'>;
export type LossNode = NodeBase<'loss'>;
export type InputData = NodeDataOf<'input'>;
export type DenseData = NodeDataOf<'dense'>;

export interface GraphEdge {
  id: string;
  source: string;
  sourceHandle: string;
  target: string;
  targetHandle: string;
}

export interface EncodedTensor {
  dtype: 'float32';
  shape: number[];
  /** Little-endian float32 bytes, base64. */
  base64: string;
}

/** Trained parameters by node id, then by parameter name ("W", "b"). */
export type GraphWeights = Record<string, Record<string, EncodedTensor>>;

export interface GraphDoc {
  format: typeof GRAPH_FORMAT;
  version: typeof GRAPH_VERSION;
  name: string;
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** parseGraph fills the defaults when a file omits it. */
  training: TrainingConfig;
  weights?: GraphWeights;
}

export const DEFAULT_TRAINING: TrainingConfig = {
  optimizer: { type: 'sgd', learningRate: 0.1 },
  batchSize: 32,
  epochs: 100,
  seed: 1,
};

/** Most parameters a graph may hold. */
export const MAX_PARAMETERS = 50_000_000;
