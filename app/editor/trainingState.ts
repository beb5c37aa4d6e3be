// The training state the UI shows, built by a pure reducer of the worker's messages and the client's
// own events (trainingReducer.ts). A run belongs to one document: `runStarted` wipes everything of the
// previous run (chart series and axes, statistics, output view), and a worker message of any other run
// is dropped, so nothing leaks from one graph to the next. Every piece keeps the step it was computed
// at; `viewRev` (trainingViews.ts) is what each view writes in its `data-rev` (DESIGN.md, "Truth on screen").
import type { EpochMetrics, Task, TraceStep } from '../../engine/index.ts';
import type { DivergenceReport } from '../worker/divergence.ts';
import type { Pace } from '../worker/pace.ts';
import type {
  Evaluation,
  FeatureMaps,
  FromWorker,
  NodeStats,
  OutputView,
  Progress,
  ThreadsSetting,
} from '../worker/protocol.ts';

/** `diverged`: the loss turned NaN/Infinity or exploded; stopped until the optimizer changes. */
export type TrainingStatus = 'idle' | 'loading' | 'ready' | 'running' | 'paused' | 'done' | 'error' | 'diverged';

export interface TrainingState {
  status: TrainingStatus;
  /** The editor's runId this state belongs to. */
  runId: number;
  task: Task | null;
  kernels: string;
  progress: Progress | null;
  /** The step of `progress` and of the chart's last point. */
  progressStep: number;
  /** The current weights evaluated on both splits, while training stands still (null while it runs). */
  evaluation: StepEvaluation | null;
  initialLoss: number | null;
  /** Chart samples: fractional epoch and training loss. */
  lossX: readonly number[];
  lossY: readonly number[];
  history: readonly EpochMetrics[];
  nodes: ReadonlyMap<string, NodeStats>;
  statsStep: number;
  /** Gradient norms over time per node, newest last (sparklines). */
  gradTrail: ReadonlyMap<string, readonly number[]>;
  output: OutputView | null;
  outputStep: number;
  /** The confusion matrix (recomputed less often than the output while running) and its step. */
  confusion: Int32Array | null;
  confusionStep: number;
  /** Where the run stood when the confusion matrix was counted (it comes less often than progress). */
  confusionAt: { epoch: number; batch: number } | null;
  /** The feature maps of the image-shaped nodes for one test image, and their step. */
  maps: FeatureMaps | null;
  mapsStep: number;
  error: { key: string; params: Readonly<Record<string, string | number>>; nodeId?: string } | null;
  diverged: DivergenceReport | null;
  /** How fast training runs (a UI setting, kept across Reset; a new document brings its default). */
  pace: Pace;
  /** Threads per training step (a UI setting, kept across runs and documents). */
  threads: ThreadsSetting;
  /** Epochs the worker holds a weight snapshot of (the scrubber's stops) and their memory. */
  timeline: { epochs: readonly number[]; bytes: number };
  /** The run as it was at a past epoch (the scrubber); null shows the live run. */
  scrub: Scrub | null;
  /** The last gradient check of this run ('running' while the worker computes it). */
  gradcheck: GradcheckRun | 'running' | null;
  /** Step-through backprop of one sample, at step `index` ('loading' while the worker computes it). */
  trace: TraceView | 'loading' | null;
}

export type StepEvaluation = Evaluation & { step: number; epoch: number };

export interface TraceView {
  step: number;
  sample: number;
  samples: number;
  epoch: number;
  steps: readonly TraceStep[];
  index: number;
}

export type GradcheckRun = Omit<Extract<FromWorker, { type: 'gradcheck' }>, 'type' | 'runId'>;

export interface Scrub {
  epoch: number;
  step: number;
  nodes: ReadonlyMap<string, NodeStats>;
  output: OutputView | null;
  maps: FeatureMaps | null;
  evaluation: StepEvaluation;
}

export type TrainingEvent =
  | FromWorker
  /** A new run; `pace` when it belongs to a new document (its default pace), else the pace is kept. */
  | { type: 'runStarted'; runId: number; pace?: Pace }
  /** Run `runId` continues the current one from its snapshot at `epoch`: later epochs leave the chart. */
  | { type: 'branchStarted'; runId: number; epoch: number }
  | { type: 'paceChanged'; pace: Pace }
  | { type: 'threadsChanged'; threads: ThreadsSetting }
  /** Back to the live run from the scrubber. */
  | { type: 'scrubEnded' }
  | { type: 'gradcheckStarted' }
  | { type: 'traceLoading' }
  /** Moves the trace to step `index` (clamped). */
  | { type: 'traceMoved'; index: number }
  | { type: 'traceClosed' }
  | { type: 'gradcheckClosed' }
  | { type: 'loading' }
  | { type: 'running' }
  | { type: 'paused' }
  | { type: 'optimizerChanged' }
  | { type: 'failed'; key: string; params?: Readonly<Record<string, string | number>>; nodeId?: string }
  /** The worker crashed or hung and was replaced: paused, with the reason shown. */
  | { type: 'workerLost'; key: string; params: Readonly<Record<string, string | number>> };

export const initialTrainingState = (
  runId = 0,
  pace: Pace = 'watch',
  threads: ThreadsSetting = 'auto',
): TrainingState => ({
  status: 'idle',
  runId,
  task: null,
  kernels: '',
  progress: null,
  progressStep: 0,
  evaluation: null,
  initialLoss: null,
  lossX: [],
  lossY: [],
  history: [],
  nodes: new Map(),
  statsStep: 0,
  gradTrail: new Map(),
  output: null,
  outputStep: 0,
  confusion: null,
  confusionStep: 0,
  confusionAt: null,
  maps: null,
  mapsStep: 0,
  error: null,
  diverged: null,
  pace,
  threads,
  timeline: { epochs: [], bytes: 0 },
  scrub: null,
  gradcheck: null,
  trace: null,
});
