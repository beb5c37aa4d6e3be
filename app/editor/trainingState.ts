// The training state the UI shows, as a pure reducer of the worker's messages and the client's
// own events. A run belongs to one document: `runStarted` wipes everything of the previous run
// (chart series and axes, statistics, output view), and a worker message of any other run is
// dropped, so nothing leaks from one graph to the next. Every piece keeps the step it was computed
// at; `viewRev` is what each view writes in its `data-rev` (DESIGN.md, "Truth on screen").
import type { EpochMetrics, Task, TraceStep } from '../../engine/index.ts';
import type { DivergenceReport } from '../worker/divergence.ts';
import type { Pace } from '../worker/pace.ts';
import {
  type Evaluation,
  type FeatureMaps,
  type FromWorker,
  type NodeStats,
  type OutputView,
  type Progress,
  revText,
  type ThreadsSetting,
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

/** The statistics the overlays show: the scrubbed epoch's, else the live ones. */
export const shownNodes = (s: TrainingState): ReadonlyMap<string, NodeStats> => s.scrub?.nodes ?? s.nodes;
/** The output view shown: the scrubbed epoch's, else the live one. */
export const shownOutput = (s: TrainingState): OutputView | null => (s.scrub ? s.scrub.output : s.output);
/** The feature maps shown: the scrubbed epoch's, else the live ones. */
export const shownMaps = (s: TrainingState): FeatureMaps | null => (s.scrub ? s.scrub.maps : s.maps);
/** The confusion matrix shown: the scrubbed epoch's, else the live one. */
export const shownConfusion = (s: TrainingState): Int32Array | null =>
  s.scrub ? (s.scrub.output?.kind === 'digits' ? s.scrub.output.confusion : null) : s.confusion;

/** Where the shown confusion matrix was counted: the scrubbed epoch's end, else the live matrix's step. */
export const shownConfusionAt = (s: TrainingState): { epoch: number; batch: number } | null =>
  s.scrub ? { epoch: s.scrub.epoch, batch: 0 } : s.confusionAt;

/** The test images a confusion matrix counts and how many of them sit on its diagonal. */
export function confusionCorrect(counts: Int32Array, classes: number): { correct: number; total: number } {
  let correct = 0;
  let total = 0;
  for (let i = 0; i < counts.length; i++) {
    total += counts[i]!;
    if (Math.floor(i / classes) === i % classes) correct += counts[i]!;
  }
  return { correct, total };
}

/** The loss the training bar and the Loss node show: the scrubbed snapshot's, else the live one. */
export const shownLoss = (s: TrainingState): number | null =>
  s.scrub ? s.scrub.evaluation.trainLoss : (s.progress?.loss ?? null);
/** The epoch the training bar shows: the scrubbed snapshot's, else the live one. */
export const shownEpoch = (s: TrainingState): number | null => (s.scrub ? s.scrub.epoch : (s.progress?.epoch ?? null));

/** The evaluation the chart's text shows: the scrubbed snapshot's, the standing weights', else the last epoch's. */
export function shownSummary(s: TrainingState): { epoch: number; testLoss: number; testAccuracy?: number } | null {
  if (s.scrub) return s.scrub.evaluation;
  if (s.evaluation && s.evaluation.step === s.progressStep && s.history.length > 0) return s.evaluation;
  return s.history.at(-1) ?? null;
}

/** The views that show numbers of the weights, each with a `data-rev` (DESIGN.md, "Truth on screen"). */
export const RUN_VIEWS = [
  'progress',
  'stats',
  'output',
  'confusion',
  'maps',
  'chart',
  'timeline',
  'gradcheck',
  'trace',
] as const;
export type RunView = (typeof RUN_VIEWS)[number];
/** The views a scrubbed snapshot replaces (the rest describe the live weights, or nothing while scrubbed). */
export const SCRUBBED_VIEWS: ReadonlySet<RunView> = new Set(
  RUN_VIEWS.filter((v) => v !== 'gradcheck' && v !== 'trace'),
);

/** `<runId>:<step>` of the weights a view shows; undefined while it shows nothing of this run. */
export function viewRev(s: TrainingState, view: RunView): string | undefined {
  const at = (step: number) => revText(s.runId, step);
  if (s.scrub && SCRUBBED_VIEWS.has(view)) return at(s.scrub.step);
  switch (view) {
    case 'progress':
    case 'chart':
    case 'timeline':
      return s.progress ? at(s.progressStep) : undefined;
    case 'stats':
      return s.nodes.size > 0 ? at(s.statsStep) : undefined;
    case 'output':
      return s.output ? at(s.outputStep) : undefined;
    case 'confusion':
      return s.confusion ? at(s.confusionStep) : undefined;
    case 'maps':
      return s.maps ? at(s.mapsStep) : undefined;
    case 'gradcheck':
      return s.gradcheck && s.gradcheck !== 'running' ? at(s.gradcheck.step) : undefined;
    case 'trace':
      return s.trace && s.trace !== 'loading' ? at(s.trace.step) : undefined;
  }
}

export const MAX_POINTS = 4000;
const TRAIL = 60;

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

/** Keeps at most MAX_POINTS epochs for the chart, thinning old ones evenly and keeping the newest. */
export function boundHistory<T>(history: readonly T[]): readonly T[] {
  if (history.length <= MAX_POINTS) return history;
  const keepEvery = Math.ceil(history.length / (MAX_POINTS / 2));
  return history.filter((_, i) => i % keepEvery === 0 || i === history.length - 1);
}

function withProgress(s: TrainingState, p: Progress, step: number, evaluation: Evaluation | undefined): TrainingState {
  const x = p.batchesPerEpoch > 0 ? p.epoch + p.batch / p.batchesPerEpoch : 0;
  let lossX = s.lossX;
  let lossY = s.lossY;
  if (p.samples > 0 && Number.isFinite(p.loss) && (lossX.length === 0 || x > lossX[lossX.length - 1]!)) {
    lossX = [...lossX, x];
    lossY = [...lossY, p.loss];
    if (lossX.length > MAX_POINTS) {
      lossX = lossX.filter((_, i) => i % 2 === 0);
      lossY = lossY.filter((_, i) => i % 2 === 0);
    }
  }
  const status = p.running ? 'running' : s.status === 'running' ? 'paused' : s.status;
  // NOTE: a check or a trace of other weights than the ones now standing no longer describes them.
  const gradcheck = s.gradcheck && s.gradcheck !== 'running' && s.gradcheck.step !== step ? null : s.gradcheck;
  const trace = s.trace && s.trace !== 'loading' && s.trace.step !== step ? null : s.trace;
  return {
    ...s,
    progress: p,
    progressStep: step,
    // NOTE: a matrix counted at this very step (the final one comes before Done) is where this progress says.
    confusionAt: s.confusion && s.confusionStep === step ? { epoch: p.epoch, batch: p.batch } : s.confusionAt,
    evaluation: evaluation
      ? { ...evaluation, step, epoch: p.epoch + (p.batchesPerEpoch > 0 ? p.batch / p.batchesPerEpoch : 0) }
      : null,
    lossX,
    lossY,
    status,
    gradcheck,
    trace,
  };
}

function withStats(s: TrainingState, stats: readonly NodeStats[], step: number): TrainingState {
  const nodes = new Map<string, NodeStats>();
  const gradTrail = new Map(s.gradTrail);
  for (const n of stats) {
    const old = s.nodes.get(n.id);
    // NOTE: weights come a few times a second only; keep the last ones between.
    nodes.set(n.id, n.weights || !old?.weights ? n : { ...n, weights: old.weights });
    if (n.gradNorm !== null) gradTrail.set(n.id, [...(gradTrail.get(n.id) ?? []).slice(-(TRAIL - 1)), n.gradNorm]);
  }
  return { ...s, nodes, statsStep: step, gradTrail };
}

/** A worker message (stamped with its run), as opposed to the client's own events. */
const fromWorker = (m: TrainingEvent): m is FromWorker => 'runId' in m && 'step' in m;

/** The next state; never mutates its inputs. A worker message of another run changes nothing. */
export function trainingReducer(s: TrainingState, m: TrainingEvent): TrainingState {
  if (fromWorker(m) && m.runId !== s.runId) return s;
  switch (m.type) {
    case 'runStarted':
      return initialTrainingState(m.runId, m.pace ?? s.pace, s.threads);
    case 'branchStarted': {
      const keep = s.lossX.findIndex((x) => x > m.epoch);
      const cut = keep < 0 ? s.lossX.length : keep;
      // NOTE: what was measured on the old run's latest weights goes; the worker reports the branch's at once.
      return {
        ...initialTrainingState(m.runId, s.pace, s.threads),
        status: 'loading',
        task: s.task,
        kernels: s.kernels,
        initialLoss: s.initialLoss,
        history: s.history.filter((h) => h.epoch <= m.epoch),
        lossX: s.lossX.slice(0, cut),
        lossY: s.lossY.slice(0, cut),
        timeline: s.timeline,
      };
    }
    case 'paceChanged':
      return { ...s, pace: m.pace };
    case 'threadsChanged':
      return { ...s, threads: m.threads };
    case 'loading':
      return {
        ...initialTrainingState(s.runId, s.pace, s.threads),
        status: 'loading',
        gradcheck: s.gradcheck === 'running' ? 'running' : null,
        trace: s.trace === 'loading' ? 'loading' : null,
      };
    case 'running':
      return { ...s, status: 'running', error: null, scrub: null, trace: null, gradcheck: null };
    case 'paused':
      return s.status === 'running' ? { ...s, status: 'paused' } : s;
    case 'optimizerChanged':
      return s.status === 'diverged' ? { ...s, status: 'paused', diverged: null } : s;
    case 'failed':
      return {
        ...s,
        status: 'error',
        error: { key: m.key, params: m.params ?? {}, ...(m.nodeId ? { nodeId: m.nodeId } : {}) },
      };
    case 'workerLost':
      return { ...s, status: 'paused', error: { key: m.key, params: m.params } };
    case 'alive':
      return s;
    case 'ready':
      return {
        ...s,
        status: 'ready',
        task: m.task,
        initialLoss: m.initialLoss,
        progress: m.progress,
        progressStep: m.step,
        kernels: m.kernels,
        error: null,
      };
    case 'progress':
      return withProgress(s, m.progress, m.step, m.evaluation);
    case 'epochs':
      return { ...s, history: boundHistory([...s.history, ...m.metrics]) };
    case 'stats':
      return withStats(s, m.nodes, m.step);
    case 'output': {
      const confusion = m.view.kind === 'digits' ? m.view.confusion : null;
      return {
        ...s,
        output: m.view,
        outputStep: m.step,
        // NOTE: kept between the (rarer) outputs that recompute it, with the step it belongs to.
        confusion: confusion ?? (m.view.kind === 'digits' ? s.confusion : null),
        confusionStep: confusion ? m.step : s.confusionStep,
        // NOTE: progress comes before the output of the same look, so it names the step counted.
        confusionAt: confusion
          ? { epoch: s.progress?.epoch ?? 0, batch: s.progress?.batch ?? 0 }
          : m.view.kind === 'digits'
            ? s.confusionAt
            : null,
      };
    }
    case 'maps':
      return { ...s, maps: m.maps, mapsStep: m.step };
    case 'diverged':
      return { ...s, status: 'diverged', diverged: m.report };
    case 'error':
      return {
        ...s,
        status: 'error',
        error: { key: 'train.workerError', params: { message: m.message }, ...(m.nodeId ? { nodeId: m.nodeId } : {}) },
      };
    case 'done':
      // NOTE: with where the run ended: the final report (its evaluation of the whole split) comes after.
      return withProgress({ ...s, status: 'done' }, m.progress, m.step, undefined);
    case 'weights':
      return s;
    case 'timeline':
      return { ...s, timeline: { epochs: m.epochs, bytes: m.bytes } };
    case 'scrubView':
      return {
        ...s,
        gradcheck: null,
        trace: null,
        scrub: {
          epoch: m.epoch,
          step: m.step,
          nodes: new Map(m.nodes.map((n) => [n.id, n])),
          output: m.view,
          maps: m.maps,
          evaluation: { ...m.evaluation, step: m.step, epoch: m.epoch },
        },
      };
    case 'scrubEnded':
      return { ...s, scrub: null };
    case 'gradcheckStarted':
      return { ...s, gradcheck: 'running' };
    case 'gradcheckClosed':
      return { ...s, gradcheck: null };
    case 'traceLoading':
      return { ...s, trace: s.trace && s.trace !== 'loading' ? s.trace : 'loading' };
    case 'traceMoved':
      return s.trace && s.trace !== 'loading'
        ? { ...s, trace: { ...s.trace, index: Math.max(0, Math.min(s.trace.steps.length - 1, m.index)) } }
        : s;
    case 'traceClosed':
      return { ...s, trace: null };
    case 'trace': {
      // NOTE: another sample keeps the step the learner was at.
      const index = s.trace && s.trace !== 'loading' ? Math.min(s.trace.index, m.steps.length - 1) : 0;
      return {
        ...s,
        trace: { step: m.step, sample: m.sample, samples: m.samples, epoch: m.epoch, steps: m.steps, index },
      };
    }
    case 'gradcheck': {
      const { type: _, runId: __, ...run } = m;
      return { ...s, gradcheck: run };
    }
    case 'branched':
      return { ...s, status: 'paused', scrub: null };
  }
}
