// What compiling a graph takes and gives: the options, the problems found, the analysis of every
// node (shapes, parameters, the step's cost) and the compiled Model's interface (compiler/model.ts).
// Public through engine/index.ts.
import type { ActivationFn, LossFn, NodeDataOf, NodeType } from '../format/types.ts';
import type { ProblemParams } from '../problems.ts';
import type { Tensor } from '../tensor.ts';

export interface CompileOptions {
  /** Overrides `training.seed` for parameter initialisation. */
  seed?: number;
  /** Per-sample input shape (no batch axis); defaults to the dataset's. */
  inputShape?: number[];
  /** Per-sample target shape (no batch axis); defaults to the dataset's. */
  targetShape?: number[];
  /**
   * 2: lossAndGrads splits each batch between this thread and a helper thread (data parallel, the
   * gradients summed; equal to one thread up to float32 summation order) where helper threads can
   * start (engine/node.ts enableWorkerThreads(), the app's worker; SharedArrayBuffer needed) and the
   * graph's steps do not depend on the whole batch (no dropout or batch statistics). Both threads
   * read the same parameters and write into the same activations, so every view (activations,
   * outputGrads, findNonFinite) covers the whole batch. Without shared memory but with a message
   * spawner (setMessageSpawner: the app's worker on a page that is not cross-origin isolated), the
   * helper gets its half by messages and lossAndGradsAsync (Trainer.trainStepAsync) uses it.
   * 1: one thread. 'auto' (the default): two where helpers can start, there are two cores and a
   * step of training.batchSize rows takes at least TWO_THREADS_MIN_MULTIPLY_ADDS multiply-adds (a
   * CNN; by messages TWO_THREADS_BY_MESSAGES_MIN_MULTIPLY_ADDS), else one (XOR, the MNIST MLP).
   */
  threads?: number | 'auto';
}

export interface CompileProblem {
  nodeId?: string;
  edgeId?: string;
  /** Stable code, e.g. "dense.input-rank"; the app renders it from `params` in its language. */
  code: string;
  params: ProblemParams;
  /** English. */
  message: string;
}

/** One trainable tensor of a node. */
export interface ParamInfo {
  /** "<nodeId>.<name>", the key in Model.params. */
  key: string;
  name: string;
  shape: number[];
  /** L2 weight decay applies (weights yes, biases no). */
  decay: boolean;
}

/** What the compiler knows about one node, in topological order; `type` narrows `data`. */
export type NodeInfo = { [T in NodeType]: NodeInfoOf<T> }[NodeType];

export interface NodeInfoOf<T extends NodeType> {
  id: string;
  type: T;
  /** The node's settings from the document (e.g. `{ fn: 'relu' }`). */
  data: Readonly<NodeDataOf<T>>;
  /** Per-sample output shape (no batch axis); for `input`, the shape of `x`. Absent for `loss`. */
  outputShape?: number[];
  /** Parameter count of this node (Dense: W and b). */
  paramCount: number;
  /** Its parameters, in its definition's order. */
  params: ParamInfo[];
  /** Its buffers (BatchNorm's running statistics), saved in `weights` beside the parameters. */
  buffers: Omit<ParamInfo, 'decay'>[];
  /** Set on a softmax/sigmoid activation fused into the loss that follows it. */
  fusedIntoLoss?: boolean;
  /** What feeds each connected input port, in its definition's port order (loss: pred, target). */
  inputs: NodeInput[];
}

/** One wire into a node: `port` is fed by `node`'s output `handle` ("out", or "x"/"y" of the input). */
export interface NodeInput {
  port: string;
  node: string;
  handle: string;
}

/**
 * Result of analysing a document without allocating parameters: never throws, lists every
 * problem. The editor calls this on every change; `compile` throws when `problems` is non-empty.
 */
export interface GraphAnalysis {
  problems: CompileProblem[];
  /** Nodes reachable and valid, in topological order (may be partial when there are problems). */
  nodes: NodeInfo[];
  /** Per-sample shape carried by each edge id, where known. */
  edgeShapes: Map<string, number[]>;
  totalParams: number;
  inputShape?: number[];
  targetShape?: number[];
  /** The node whose output feeds the loss's `pred`. */
  predictionNode?: string;
  /** Estimated cost of one training step (shapes known so far); bounded by the analysis. */
  step: StepCost;
}

/** The cost of one training step, per sample and for the batch the document trains with. */
export interface StepCost {
  /** Rows per training step: training.batchSize, at most the dataset's training samples. */
  batch: number;
  /** Bytes of node outputs, their gradients, scratch and the batch rows, per sample. */
  bytesPerSample: number;
  /** Multiply-adds of forward and backward, per sample. */
  multiplyAddsPerSample: number;
}

export interface NonFiniteReport {
  /** The node whose output (or gradient w.r.t. its output, or parameter) first held NaN/Inf. */
  nodeId: string;
  where: 'output' | 'gradient' | 'parameter' | 'loss';
  /** Human-readable, e.g. "Dense 'h1' output holds NaN". */
  message: string;
}

/** A compiled network. Buffers are reused between calls; returned tensors may alias them. */
export interface Model {
  /** Keys "<nodeId>.W", "<nodeId>.b"; live tensors, may be written. */
  params: Map<string, Tensor>;
  /**
   * Threads a training step runs on now: 2 once a two-thread model's helper is ready, else 1. By
   * messages (threadsBy), only lossAndGradsAsync uses the helper.
   */
  readonly threads?: number;
  /**
   * How two threads work together, when `threads` is 2: 'memory' (a helper thread shares this one's
   * memory; lossAndGrads uses it) or 'messages' (no shared memory here, e.g. a page that is not
   * cross-origin isolated: the helper is sent its half of each batch; lossAndGradsAsync uses it).
   */
  readonly threadsBy?: 'memory' | 'messages' | undefined;
  /**
   * Resolves to `threads` once a two-thread model's helper has compiled (or failed); at once for one
   * thread. Steps run on one thread meanwhile, so waiting is only for a caller that wants two from the start.
   */
  threadsReady?(): Promise<number>;
  /** Changes CompileOptions.threads of a compiled model: starts or ends its helper thread; later steps use the new count. */
  setThreads?(threads: number | 'auto'): void;
  /**
   * Non-trainable state, "<nodeId>.runningMean", "<nodeId>.runningVar" (BatchNorm); empty for most
   * graphs. Saved in `weights` beside the parameters, never touched by an optimizer; live, may be written.
   */
  buffers: Map<string, Tensor>;
  /** The params weight decay applies to (the node definitions mark them: weights, not biases). */
  decayKeys: ReadonlySet<string>;
  /** Forward + backward on one batch; `grads` has the same keys as `params` and aliases internal buffers. */
  lossAndGrads(x: Tensor, y: Tensor): { loss: number; grads: Map<string, Tensor> };
  /**
   * lossAndGrads on two threads by messages (threadsBy 'messages'): this thread's half runs before
   * it returns, the helper's answer resolves it. Otherwise lossAndGrads, resolved at once. NOTE: call
   * nothing else on the model until it resolves (the helper's rows arrive into the plan then).
   */
  lossAndGradsAsync?(x: Tensor, y: Tensor): Promise<{ loss: number; grads: Map<string, Tensor> }>;
  /** The value that feeds loss.pred (after a fused softmax/sigmoid). May alias an internal buffer. */
  predict(x: Tensor): Tensor;
  /** Forward only: the loss on one batch. */
  loss(x: Tensor, y: Tensor): number;
  /** Static facts: nodes in topological order with shapes and parameter counts. */
  readonly info: GraphAnalysis;
  /** Loss function of the loss node and the fused activation feeding it, if any. */
  readonly lossFn: LossFn;
  readonly fusedActivation: ActivationFn | null;
  /** Each node's output from the most recent forward pass ([B, ...shape]; aliases internal buffers). */
  activations(): Map<string, Tensor>;
  /** dLoss/d(output) of each node from the most recent backward pass (aliases internal buffers). */
  outputGrads(): Map<string, Tensor>;
  /**
   * Each dropout node's multiplier per element from the most recent forward pass ([B, ...shape]:
   * 0 or 1/(1 − rate) after lossAndGrads, 1 after predict and loss; aliases internal buffers).
   */
  dropoutMasks(): Map<string, Tensor>;
  /** After a non-finite loss: the first node, in forward order, whose output/gradient/parameter is not finite. */
  findNonFinite(): NonFiniteReport | null;
  /**
   * Ends a two-thread model's helper (its thread goes back to the pool) and gives the model's arrays
   * back to the shared memory; the model must not be used afterwards. Optional: a dropped model is
   * released when it is garbage-collected.
   */
  release?(): void;
}
