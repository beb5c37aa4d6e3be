// The runtime shapes every op works on. A Value is one node output for a whole batch; its
// buffers are allocated once per batch size by the compiler and reused on every call.
import type { Rng } from '../prng.ts';
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
  /** "<nodeId>.<name>", e.g. "h.W". */
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
  /** The node's parameters in the order its definition lists them (Dense: [W] or [W, b]). */
  params: Param[];
  /** The node's buffers (non-trainable state, e.g. BatchNorm's running statistics) in definition order. */
  buffers: Tensor[];
  /** The node's `data` from the document (e.g. `{ fn: 'relu' }`). */
  data: Readonly<Record<string, unknown>>;
  /** True for a softmax/sigmoid fused into the loss: the loss writes the gradient of its input. */
  fused: boolean;
  /** Per-plan scratch of `op.scratch` elements per sample (dropout's mask); empty when unused. */
  scratch: Float32Array;
}

/** How a forward pass runs: training (dropout active) or inference, and the model's seeded PRNG. */
export interface RunContext {
  training: boolean;
  rng: Rng;
}

/** Forward and backward of one node type. Backward ADDS into input gradients. */
export interface Op {
  forward(step: Step, batch: number, ctx: RunContext): void;
  backward(step: Step, batch: number): void;
  /** Scratch elements per sample this op needs, given its output size and per-sample input sizes. */
  scratch?: (outputSize: number, inputSizes: readonly number[]) => number;
  /** The scratch holds a multiplier per output element (dropout's mask), shown by Model.dropoutMasks. */
  mask?: true;
}
