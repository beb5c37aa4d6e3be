// The one-sample backprop trace (train/trace.ts): each node's forward and backward step with its
// values, and the rows and terms the step-through view shows (from the node modules).
// Public through engine/index.ts.
import type { ActivationFn, LossFn, NodeType } from '../format/types.ts';

/** One sample's values: `shape` per sample (no batch axis; [] for a scalar), `values` row-major (a copy). */
export interface TraceTensor {
  shape: number[];
  values: Float32Array;
}

/** The value arriving at input `port` in the forward pass, from `from`'s output `fromPort` ("out", or "x"/"y"). */
export interface TraceInput extends TraceTensor {
  port: string;
  from: string;
  fromPort: string;
}

/** A parameter as the forward pass used it ("h.W" [in, units], "h.b" [units]). */
export interface TraceParam extends TraceTensor {
  key: string;
  name: string;
}

/** One term of a step-through row: a tensor (a vector, or a matrix / heatmap), an operator or a formula. */
export type TraceTerm =
  | {
      tensor: TraceTensor;
      /** Math label ("x", "W", "dL/dW = xᵀ·δ"); `labelKey` names an app text used instead ("target", "logits", "out"). */
      label: string;
      labelKey?: string;
      /** Draw as a matrix (rows × columns) rather than a vector. */
      matrix?: boolean;
    }
  | { op: string }
  | { formula: string };

/** One row of the step-through: a text of the node type with its values, and the terms it shows. */
export interface TraceExplain {
  /** Key of the text in the node type's step-through texts ("forward", "backward", "window"…). */
  text: string;
  params: Record<string, string | number>;
  terms: TraceTerm[];
}

/** One node's forward computation, in topological order from the Input to the Loss. */
export interface TraceForwardStep {
  phase: 'forward';
  nodeId: string;
  type: NodeType;
  /** Each input port and the value it received (Loss: pred, then target). */
  inputs: TraceInput[];
  /** The Input's x, the Loss's value (shape []), else the node's output. */
  output: TraceTensor;
  /** Input: the sample's target y. */
  target?: TraceTensor;
  /** The node's parameters as used (Dense: W and b). */
  params: TraceParam[];
  /** Activation: a softmax/sigmoid fused into the Loss (its output is the prediction; its gradient is the
   * Loss's). Loss: computed from the logits of that activation. */
  fused?: boolean;
  /** Loss only. */
  loss?: {
    fn: LossFn;
    /** The fused softmax/sigmoid, or null for the guarded formula on the prediction. */
    activation: ActivationFn | null;
    /** p, what feeds `pred` (after a fused activation). */
    prediction: TraceTensor;
    /** z, the fused activation's input the loss was computed from; null when not fused. */
    logits: TraceTensor | null;
  };
  /** What the node computes, as rows for the view (from its node module). */
  rows: TraceExplain[];
}

/** The gradient one node passes down input `port` to node `to`. */
export interface TraceGrad extends TraceTensor {
  port: string;
  to: string;
  /** On the Loss's gradient when fused: the values are dL/dz of the fused activation `to`'s input
   * (the logits), not dL/d(to's output); the engine computes no gradient at the activation's output. */
  wrt?: 'logits';
}

/** One consumer's share of the gradient of a node whose output feeds several inputs. */
export interface TraceContribution {
  to: string;
  port: string;
  values: Float32Array;
}

/**
 * The local derivative a backward step multiplies by (the chain rule's factor at this node): the
 * explanation row's text and values, the terms that show the factor, and its numbers by name.
 * `kind` is the node type, or a variant: "fused" (a softmax/sigmoid fused into the loss).
 */
export interface TraceLocal extends TraceExplain {
  kind: string;
  /** Numbers of the rule (Dense: W; Activation: derivative; Dropout: mask; Conv: W…). */
  values: Record<string, TraceTensor>;
}

/** One node's backward computation, in reverse topological order from the Loss to the Input. */
export interface TraceBackwardStep {
  phase: 'backward';
  nodeId: string;
  type: NodeType;
  /** dL/d(output), the engine's outputGrads; Loss: dL/dL = 1 (shape []); null where the engine keeps
   * none (the Input's data is not learned; a fused activation, see TraceGrad.wrt). */
  gradOut: TraceTensor | null;
  /** When the output feeds several inputs: each one's share, summing to gradOut. */
  contributions?: TraceContribution[];
  local: TraceLocal;
  /** The gradient passed down each input (none to the Input node, none for the Loss's target). */
  gradIn: TraceGrad[];
  /** The engine's gradient of each parameter of the node (Dense: dW = xᵀ · gradOut, db = gradOut). */
  paramGrads: TraceParam[];
  /** Rows after the chain rule (parameter gradients, a window's share…), from the node module. */
  rows: TraceExplain[];
}

export type TraceStep = TraceForwardStep | TraceBackwardStep;
