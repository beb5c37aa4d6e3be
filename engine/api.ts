// Shared interfaces of the engine's public surface. Implementations live in compiler/, datasets/,
// train/; engine/index.ts re-exports everything the app, the CLI and the tests may use.
import type { ActivationFn, DatasetSpec, LossFn, NodeDataOf, NodeType, OptimizerConfig } from './format/types.ts';
import type { Optimizer } from './optim/optimizers.ts';
import type { ProblemParams } from './problems.ts';
import type { Tensor } from './tensor.ts';

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
   * outputGrads, findNonFinite) covers the whole batch. 1: one thread. 'auto' (the default): two
   * where helper threads can start, there are two cores and a step of training.batchSize rows takes
   * at least TWO_THREADS_MIN_MULTIPLY_ADDS multiply-adds (a CNN), else one (XOR, the MNIST MLP).
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
  /** Threads lossAndGrads runs on now: 2 once a two-thread model's helper thread is ready, else 1. */
  readonly threads?: number;
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

export type Task = 'binary' | 'multiclass' | 'regression';

export interface Split {
  x: Tensor;
  y: Tensor;
}

/** A loaded dataset with a seeded train/test split. */
export interface Dataset {
  spec: DatasetSpec;
  task: Task;
  /** Per-sample shapes (no batch axis). */
  inputShape: number[];
  targetShape: number[];
  train: Split;
  test: Split;
  /** Class names for classification (e.g. "0".."9", or CSV categories), in target column order. */
  classNames?: string[];
  /** Column names of the features (CSV, or ["x"] / ["x1", "x2"]). */
  featureNames: string[];
  /** Set when each sample is an image (MNIST: 28×28×1), for views that draw the inputs. */
  image?: { height: number; width: number; channels: number };
}

/** The summary of a run: `nodegrad train --json` prints it (with timings); lesson checks read it. */
export interface RunSummary {
  /** Epochs trained. */
  epochs: number;
  /** Loss on the whole training split with the final parameters. */
  loss: number;
  testLoss?: number | undefined;
  /** Classification only. */
  trainAccuracy?: number | undefined;
  testAccuracy?: number | undefined;
}

/** Metrics after one epoch (accuracies only for classification tasks). */
export interface EpochMetrics {
  /** 1-based number of the epoch just completed. */
  epoch: number;
  /** Mean training loss over the epoch's batches. */
  trainLoss: number;
  testLoss: number;
  /** Running accuracy on the epoch's training batches, each predicted just before its update. */
  trainAccuracy?: number;
  testAccuracy?: number;
  /** Wall time of the epoch's training steps, seconds. */
  seconds: number;
}

export interface StepResult {
  /** Loss of the batch just trained (before the update). */
  loss: number;
  /** Epochs completed so far. */
  epoch: number;
  /** Batches completed in the current epoch (0 right after an epoch ends). */
  batch: number;
  /** Samples trained on since the start. */
  samples: number;
  /** Set when this step completed an epoch. */
  epochEnded: EpochMetrics | null;
  /** Set when the loss or a gradient was NaN/Inf: the update was skipped, parameters are the last finite ones. */
  nonFinite: NonFiniteReport | null;
}

/** What a trainer's data and network are, for whoever shows the results. */
export interface TrainerInfo {
  /** The node whose output feeds the loss's `pred` (after a fused softmax/sigmoid). */
  predictionNode: string;
  task: Task;
  /** Per-sample image layout when the inputs are images (MNIST: 28×28×1); null otherwise. */
  image: { height: number; width: number; channels: number } | null;
  /** Features per sample (product of the input shape) and outputs per sample. */
  inputSize: number;
  outputSize: number;
}

/** Optimizer state for saving and restoring a run (momentum / Adam moments and the step count). */
export interface OptimizerState {
  step: number;
  /** Per parameter key: first and second moments (empty arrays where the optimizer keeps none). */
  slots: Map<string, { m: Float32Array; v: Float32Array }>;
}

/** What a run needs besides its weights to continue where it was (autosave, reload). */
export interface TrainingSnapshot {
  /** Epochs completed and samples trained on. */
  epoch: number;
  samples: number;
  optimizer: OptimizerState;
  /** Per-epoch metrics so far, thinned to at most SNAPSHOT_HISTORY entries (oldest thinned first). */
  history?: EpochMetrics[] | undefined;
}

/** Mini-batch training of one compiled model on one dataset (engine/train). */
export interface Trainer {
  readonly model: Model;
  readonly dataset: Dataset;
  readonly info: TrainerInfo;
  readonly batchesPerEpoch: number;
  readonly batchSize: number;
  /** Epochs completed. */
  readonly epoch: number;
  /** Batches completed in the current epoch. */
  readonly batch: number;
  /** Samples trained on since the start. */
  readonly samples: number;
  /** Loss of the last batch trained; NaN before the first step. */
  readonly lastLoss: number;
  /** Per-epoch metrics so far. */
  readonly history: readonly EpochMetrics[];
  /** Set after a NaN/Inf: training is stopped until the optimizer changes. */
  readonly nonFinite: NonFiniteReport | null;
  /** The run's optimizer: its settings, and `resetState()` to forget its moments (a rollback, a branch). */
  readonly optimizer: Pick<Optimizer, 'config' | 'learningRate' | 'resetState'>;
  /** Trains one mini-batch. */
  trainStep(): StepResult;
  /** Trains until the current epoch ends (or a non-finite value stops it). */
  trainEpoch(): StepResult;
  /** Loss and accuracy of the current parameters on the full train and test splits. */
  evaluate(): Omit<EpochMetrics, 'epoch' | 'seconds'>;
  /** Predictions for any number of rows, in chunks; writes into `out` when given. */
  predictAll(x: Tensor, out?: Float32Array): Float32Array;
  setLearningRate(learningRate: number): void;
  /** Takes a whole new optimizer config (momentum, β1, β2, ε…); the state carries over where it fits. */
  setOptimizer(config: OptimizerConfig): void;
  /** Sets the L2 weight decay on weights. */
  setWeightDecay(weightDecay: number): void;
  /** The optimizer state and counters (copies), to continue the run elsewhere with the same weights. */
  snapshot(): TrainingSnapshot;
  /** Continues a run from a snapshot: counters and optimizer moments (parameters whose size differs start fresh).
   * The next step begins a new epoch. */
  restore(snapshot: TrainingSnapshot): void;
}

/** Options of gradientCheck. */
export interface GradientCheckOptions {
  /** Entries checked per parameter, a seeded sample (all of a smaller parameter); default 20. */
  entriesPerParam?: number;
  /** Seed of the sample; default 1. */
  seed?: number;
}

/** One parameter's result: its entries' analytic gradient against the float64 numerical one. */
export interface ParamGradientCheck {
  /** "<nodeId>.<name>", as in Model.params. */
  key: string;
  nodeId: string;
  /** Entries compared. */
  checked: number;
  /** Largest |a − n| / max(|a|, |n|, 1e-6) over them (Infinity when a value is NaN). */
  maxRelError: number;
  /** The entry with that error (flat index into the parameter); index −1 when none was compared. */
  worst: { index: number; analytic: number; numeric: number };
  /** Entries whose ±step moved a relu/leaky-relu input across 0: differenced on the smooth side only. */
  oneSided: number;
  /** Entries with a kink on both sides of the step: not compared. */
  skipped: number;
}

/** Result of gradientCheck. */
export interface GradientCheck {
  params: ParamGradientCheck[];
  /** Largest relative error over all parameters. */
  maxRelError: number;
  /** The model's loss on the batch (float32) and the float64 reference's, with the same dropout masks. */
  loss: number;
  referenceLoss: number;
}

// --- one-sample backprop trace (engine/train/trace.ts) ---

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
