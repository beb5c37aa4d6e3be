// The one message protocol between the app and the training worker. Float32Arrays travel in the
// transfer list, never as JSON.
import type {
  EpochMetrics,
  GraphDoc,
  GradientCheck,
  GraphWeights,
  OptimizerConfig,
  Task,
  TraceStep,
  TrainingSnapshot,
} from '../../engine/index.ts';
import type { DivergenceReport } from './divergence.ts';
import type { Pace } from './pace.ts';

export type ToWorker =
  /**
   * Starts run `runId` on `doc`; every message after it carries that id. `resume` continues a saved run
   * (optimizer moments, counters) with the document's weights.
   */
  | { type: 'load'; runId: number; doc: GraphDoc; resetWeights: boolean; resume?: TrainingSnapshot | undefined }
  | { type: 'start' }
  | { type: 'pause' }
  | { type: 'step' }
  | { type: 'epoch' }
  /** The whole optimizer config (type, learning rate, momentum, β1, β2, ε), applied at the next step. */
  | { type: 'setOptimizer'; config: OptimizerConfig }
  | { type: 'setWeightDecay'; value: number }
  | { type: 'setEpochs'; value: number }
  /** How fast to train (pace.ts); takes effect at once, also mid-run. */
  | { type: 'setPace'; pace: Pace }
  /** Threads per training step (the engine's CompileOptions.threads); takes effect at the next step. */
  | { type: 'setThreads'; threads: ThreadsSetting }
  | { type: 'snapshot' }
  /** Shows the run as it was at the end of `epoch` (the timeline's nearest snapshot); training pauses. */
  | { type: 'scrub'; epoch: number }
  /** Continues from the snapshot at `epoch` as run `runId`: a new branch of the run (fresh optimizer moments). */
  | { type: 'branch'; epoch: number; runId: number }
  /** Checks the model's gradients numerically on a batch of the training data (engine gradientCheck). */
  | { type: 'gradcheck' }
  /** Traces forward and backward on training sample `sample` (engine traceSample); training pauses. */
  | { type: 'trace'; sample: number }
  /** Feature maps follow test image `sample` (of those the output view shows); sent again at once when standing. */
  | { type: 'setMapsSample'; sample: number };

export interface NodeStats {
  id: string;
  /** Per-sample output shape. */
  shape: number[];
  mean: number;
  std: number;
  min: number;
  max: number;
  /** Counts over [min, max]. */
  histogram: Float32Array;
  /** RMS of dLoss/d(output); null where no gradient exists (the input, a fused activation). */
  gradRms: number | null;
  gradNorm: number | null;
  /** ReLU / leaky ReLU: share of units that are zero on the whole batch. */
  dead?: number;
  /** Sigmoid / tanh (not fused into the loss): share of outputs where the slope is under a tenth of its peak. */
  saturated?: number;
  /** Dense only. */
  weightNorm?: number;
  biasNorm?: number;
  /** lr·‖∇W‖ / ‖W‖: the relative size of one SGD update. */
  updateRatio?: number;
  /** Dense W ([inputs, units]) for the heatmap, sent at most a few times a second. */
  weights?: { data: Float32Array; rows: number; cols: number };
  /** Conv2D W ([kh, kw, inChannels, filters], as the engine stores it), sent with `weights`' timing. */
  filters?: { data: Float32Array; kh: number; kw: number; inChannels: number; filters: number };
}

/** One node's output for one sample: `channels` of its `total` channels, each a height × width plane (row-major). */
export interface NodeMaps {
  id: string;
  height: number;
  width: number;
  channels: number;
  total: number;
  data: Float32Array;
}

/** The feature maps of every image-shaped node for test image `sample` (of those the output view shows). */
export interface FeatureMaps {
  sample: number;
  nodes: NodeMaps[];
}

export type OutputView =
  | {
      kind: 'surface';
      size: number;
      x0: number;
      x1: number;
      y0: number;
      y1: number;
      grid: Float32Array;
      points: Float32Array;
      labels: Float32Array;
    }
  | { kind: 'curve'; xs: Float32Array; ys: Float32Array; sampleX: Float32Array; sampleY: Float32Array }
  | {
      kind: 'digits';
      /** `shown` test images, each height × width × channels bytes (0–255). */
      images: Uint8Array;
      height: number;
      width: number;
      channels: number;
      /** Draw dark ink on white (MNIST's digits are stored as light strokes on black). */
      invert: boolean;
      labels: Uint8Array;
      predicted: Uint8Array;
      confusion: Int32Array | null;
      classes: number;
      /** The dataset's class names (cat/non-cat, image folders); null for numbered classes. */
      classNames: string[] | null;
    };

export interface Progress {
  epoch: number;
  batch: number;
  batchesPerEpoch: number;
  epochsTotal: number;
  samples: number;
  loss: number;
  learningRate: number;
  samplesPerSecond: number;
  /**
   * While running: the share of the time since Start that the worker spent inside training steps (the
   * time the CLI counts, epoch-end test evaluations included); the rest went to looks and messages.
   */
  stepShare: number;
  running: boolean;
  /** Threads the last training step ran on (1, or 2 once a helper thread is ready); absent: 1. */
  threads?: number;
  /** With two threads: whether they share memory or exchange messages (a page not cross-origin isolated). */
  threadsBy?: 'memory' | 'messages' | undefined;
}

/** The threads setting: 'auto' (the engine decides by the graph's size), or 1 or 2. */
export type ThreadsSetting = 'auto' | 1 | 2;
export const THREADS_SETTINGS: readonly ThreadsSetting[] = ['auto', 1, 2];

/**
 * Which run and which weights a message is about (DESIGN.md, "Truth on screen"): the run's id and the
 * optimizer steps taken in that run when the message's numbers were computed (a scrubbed snapshot's
 * own step; negative for a snapshot from before a branch began this run).
 */
export interface Rev {
  runId: number;
  step: number;
}

/** `Rev` as the views write it in their `data-rev` attribute. */
export const revText = (runId: number, step: number): string => `${runId}:${step}`;

/** The loss and accuracy of the weights at one step, on the whole training and test splits. */
export interface Evaluation {
  trainLoss: number;
  testLoss: number;
  trainAccuracy?: number;
  testAccuracy?: number;
}

/** What the worker reports, before it stamps each message with its `Rev`. */
export type WorkerReport =
  | { type: 'ready'; task: Task; batchesPerEpoch: number; initialLoss: number; progress: Progress; kernels: string }
  /** `evaluation`: the current weights evaluated, sent whenever training is not running (paused, done, a step). */
  | { type: 'progress'; progress: Progress; evaluation?: Evaluation }
  /** The worker is busy but alive (a long evaluation): the client's hang watchdog waits on. */
  | { type: 'alive' }
  /** Epochs completed since the last message, sent with the throttled progress (not one message per epoch). */
  | { type: 'epochs'; metrics: EpochMetrics[] }
  | { type: 'stats'; nodes: NodeStats[] }
  | { type: 'output'; view: OutputView }
  | { type: 'maps'; maps: FeatureMaps }
  | { type: 'weights'; weights: GraphWeights; snapshot: TrainingSnapshot }
  /** Training stopped: the loss turned NaN/Infinity or exploded; parameters are back at the last healthy step. */
  | { type: 'diverged'; report: DivergenceReport }
  | { type: 'error'; message: string; nodeId?: string }
  /** The run trained its epochs; `progress`: where it ended (the final report's evaluation follows). */
  | { type: 'done'; progress: Progress }
  /** The epochs the timeline holds a snapshot of, and their memory. */
  | { type: 'timeline'; epochs: number[]; bytes: number }
  /** The statistics, output view and evaluation recomputed from the snapshot at `epoch` (the scrubber). */
  | {
      type: 'scrubView';
      epoch: number;
      nodes: NodeStats[];
      view: OutputView | null;
      maps: FeatureMaps | null;
      evaluation: Evaluation;
    }
  /** The run continues from `epoch`: later epochs are gone from the chart. */
  | { type: 'branched'; epoch: number }
  /** A gradient check's result: on `rows` training samples at epoch `epoch`, taking `ms`. */
  | { type: 'gradcheck'; result: GradientCheck; rows: number; epoch: number; ms: number }
  /** One sample's backprop, step by step; `samples`: how many training samples there are to pick from. */
  | { type: 'trace'; sample: number; samples: number; epoch: number; steps: TraceStep[] };

/** A message from the training worker: a report stamped with the run and step it belongs to. */
export type FromWorker = WorkerReport & Rev;

/** What the client needs of a Worker (a fake in tests). */
export interface WorkerLike {
  postMessage(message: ToWorker): void;
  terminate(): void;
  onmessage: ((event: { data: FromWorker }) => void) | null;
  onerror: ((event: { message?: string; preventDefault(): void }) => void) | null;
}

/** The buffers of a message that can be transferred instead of copied. */
export function transferables(message: FromWorker): Transferable[] {
  const out: Transferable[] = [];
  if (message.type === 'weights') {
    for (const slot of message.snapshot.optimizer.slots.values())
      out.push(slot.m.buffer as ArrayBuffer, slot.v.buffer as ArrayBuffer);
  } else if (message.type === 'stats') statsBuffers(message.nodes, out);
  else if (message.type === 'output') viewBuffers(message.view, out);
  else if (message.type === 'maps') mapsBuffers(message.maps, out);
  else if (message.type === 'scrubView') {
    statsBuffers(message.nodes, out);
    if (message.view) viewBuffers(message.view, out);
    if (message.maps) mapsBuffers(message.maps, out);
  }
  return out;
}

function statsBuffers(nodes: readonly NodeStats[], out: Transferable[]): void {
  for (const n of nodes) {
    out.push(n.histogram.buffer as ArrayBuffer);
    if (n.weights) out.push(n.weights.data.buffer as ArrayBuffer);
    if (n.filters) out.push(n.filters.data.buffer as ArrayBuffer);
  }
}

function mapsBuffers(maps: FeatureMaps, out: Transferable[]): void {
  for (const n of maps.nodes) out.push(n.data.buffer as ArrayBuffer);
}

function viewBuffers(v: OutputView, out: Transferable[]): void {
  if (v.kind === 'surface')
    out.push(v.grid.buffer as ArrayBuffer, v.points.buffer as ArrayBuffer, v.labels.buffer as ArrayBuffer);
  else if (v.kind === 'curve')
    out.push(
      v.xs.buffer as ArrayBuffer,
      v.ys.buffer as ArrayBuffer,
      v.sampleX.buffer as ArrayBuffer,
      v.sampleY.buffer as ArrayBuffer,
    );
  else {
    out.push(v.images.buffer as ArrayBuffer, v.labels.buffer as ArrayBuffer, v.predicted.buffer as ArrayBuffer);
    if (v.confusion) out.push(v.confusion.buffer as ArrayBuffer);
  }
}
