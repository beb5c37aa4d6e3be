// The graph document, format version 1 (see shared DESIGN.md). These types are the contract
// between the schema (engine/format/schema.ts), the compiler, the trainer and the editor.

export const GRAPH_FORMAT = 'nodegrad-graph';
export const GRAPH_VERSION = 1;

export type NodeType = 'input' | 'dense' | 'activation' | 'add' | 'concat' | 'loss';
export type ActivationFn = 'identity' | 'relu' | 'leaky_relu' | 'sigmoid' | 'tanh' | 'softmax';
export type LossFn = 'squared_error' | 'mse' | 'cross_entropy' | 'binary_cross_entropy';
export type InitKind = 'glorot_uniform' | 'he_normal' | 'uniform' | 'normal' | 'zeros';

export type DatasetSpec =
  | { kind: 'xor' | 'and' | 'or' }
  | {
      kind: 'function';
      /** e.g. "x^3 - 2.5*x^2"; parsed by engine/expr, never evaluated as code. */
      expr: string;
      domain: [number, number];
      samples: number;
      /** Std of Gaussian noise added to the targets (default 0). */
      noise?: number;
    }
  | { kind: 'circle' | 'spiral' | 'gauss' | 'xor_cloud'; samples: number; noise: number }
  | { kind: 'mnist'; train: number; test: number; binaryDigit?: number }
  | {
      kind: 'csv';
      /** The whole CSV file, header row first. */
      text: string;
      /** Feature column names (default: every column but the target). */
      features?: string[];
      /** Target column name. */
      target: string;
      /** `categorical` one-hot encodes the target; default: categorical when any value is not a number. */
      targetType?: 'numeric' | 'categorical';
      /** Fraction held out for testing (default 0.2). */
      testFraction?: number;
    };

export type DatasetKind = DatasetSpec['kind'];

export interface Position {
  x: number;
  y: number;
}

export interface InputData {
  dataset?: DatasetSpec;
}
export interface DenseData {
  units: number;
  init?: InitKind;
  /** Half-width for `init: "uniform"` (default 0.05). */
  scale?: number;
  /** Standard deviation for `init: "normal"` (default 0.05). */
  std?: number;
  /** Default true. */
  bias?: boolean;
  /** Default "zeros". */
  biasInit?: InitKind;
}
export interface ActivationData {
  fn: ActivationFn;
}
export type AddData = Record<string, never>;
export type ConcatData = Record<string, never>;
export interface LossData {
  fn: LossFn;
}

interface NodeBase<T extends NodeType, D> {
  id: string;
  type: T;
  position: Position;
  data: D;
}
export type InputNode = NodeBase<'input', InputData>;
export type DenseNode = NodeBase<'dense', DenseData>;
export type ActivationNode = NodeBase<'activation', ActivationData>;
export type AddNode = NodeBase<'add', AddData>;
export type ConcatNode = NodeBase<'concat', ConcatData>;
export type LossNode = NodeBase<'loss', LossData>;
export type GraphNode = InputNode | DenseNode | ActivationNode | AddNode | ConcatNode | LossNode;

export interface GraphEdge {
  id: string;
  source: string;
  sourceHandle: string;
  target: string;
  targetHandle: string;
}

export type OptimizerConfig =
  | { type: 'sgd'; learningRate: number }
  | { type: 'momentum'; learningRate: number; momentum?: number }
  | { type: 'adam'; learningRate: number; beta1?: number; beta2?: number; epsilon?: number };

export interface TrainingConfig {
  optimizer: OptimizerConfig;
  batchSize: number;
  epochs: number;
  seed: number;
  /** L2 weight decay applied to weights (not biases); default 0. */
  weightDecay?: number;
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

/** Ports of each node type: inputs and outputs, by handle id. */
export const PORTS: Record<NodeType, { inputs: readonly string[]; outputs: readonly string[] }> = {
  input: { inputs: [], outputs: ['x', 'y'] },
  dense: { inputs: ['in'], outputs: ['out'] },
  activation: { inputs: ['in'], outputs: ['out'] },
  add: { inputs: ['a', 'b'], outputs: ['out'] },
  concat: { inputs: ['a', 'b'], outputs: ['out'] },
  loss: { inputs: ['pred', 'target'], outputs: [] },
};

export const DEFAULT_TRAINING: TrainingConfig = {
  optimizer: { type: 'sgd', learningRate: 0.1 },
  batchSize: 32,
  epochs: 100,
  seed: 1,
};

/** Most parameters a graph may hold. */
export const MAX_PARAMETERS = 50_000_000;
