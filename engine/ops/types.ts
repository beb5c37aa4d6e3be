// The runtime shapes every op works on. A Value is one node output for a whole batch; its
// buffers are allocated once per batch size by the compiler and reused on every call.
import type { ActivationFn } from '../format/types.ts';
import type { Tensor } from '../tensor.ts';

export interface Value {
  /** Per-sample shape (no batch axis). */
  shape: number[];
  /** Per-sample element count. */
  size: number;
  /** [batch × size] row-major. */
  data: Float32Array;
  /** dLoss/dValue, same layout; null where no gradient is needed (the input batch). */
  grad: Float32Array | null;
}

export interface Param {
  /** "<nodeId>.W" or "<nodeId>.b". */
  key: string;
  value: Tensor;
  grad: Tensor;
}

/** One node of the compiled graph, ready to run. */
export interface Step {
  nodeId: string;
  /** For messages: "Dense 'h1'". */
  label: string;
  op: Op;
  inputs: Value[];
  output: Value;
  /** Dense: [W] or [W, b]. */
  params: Param[];
  /** Activation function of an activation step. */
  fn: ActivationFn;
  /** True for a softmax/sigmoid fused into the loss: the loss writes the gradient of its input. */
  fused: boolean;
}

/** Shape rule, forward and backward of one node type. Backward ADDS into input gradients. */
export interface Op {
  type: string;
  /** Output shape from input shapes, or a message explaining why they do not fit. */
  inferShape(inputs: readonly (readonly number[])[], data: Record<string, unknown>): number[] | string;
  forward(step: Step, batch: number): void;
  backward(step: Step, batch: number): void;
}
