// The training state the UI shows, as a pure reducer of the worker's messages and the client's
// own events. A run belongs to one document: `runStarted` wipes everything of the previous run
// (chart series and axes, statistics, output view), so nothing leaks from one graph to the next.
import type { EpochMetrics, Task, TraceStep } from '../../engine/index.ts';
import type { DivergenceReport } from '../train/divergence.ts';
import type { Pace } from '../train/pace.ts';
import type { FromWorker, NodeStats, OutputView, Progress } from '../train/protocol.ts';

/** `diverged`: the loss turned NaN/Infinity or exploded; stopped until the optimizer changes. */
export type TrainingStatus = 'idle' | 'loading' | 'ready' | 'running' | 'paused' | 'done' | 'error' | 'diverged';

export interface TrainingState {
  status: TrainingStatus;
  /** The editor's runId this state belongs to. */
  runId: number;
  task: Task | null;
  kernels: string;
  progress: Progress | null;
  initialLoss: number | null;
  /** Chart samples: fractional epoch and training loss. */
  lossX: readonly number[];
  lossY: readonly number[];
  history: readonly EpochMetrics[];
  nodes: ReadonlyMap<string, NodeStats>;
  /** Gradient norms over time per node, newest last (sparklines). */
  gradTrail: ReadonlyMap<string, readonly number[]>;
  output: OutputView | null;
  confusion: Int32Array | null;
  error: { key: string; params: Readonly<Record<string, string | number>>; nodeId?: string } | null;
  diverged: DivergenceReport | null;
  /** How fast training runs (a UI setting, kept across Reset; a new document brings its default). */
  pace: Pace;
  /** Epochs the worker holds a weight snapshot of (the scrubber's stops) and their memory. */
  timeline: { epochs: readonly number[]; bytes: number };
  /** The run as it was at a past epoch (the scrubber); null shows the live run. */
  scrub: Scrub | null;
  /** The last gradient check of this run ('running' while the worker computes it). */
  gradcheck: GradcheckRun | 'running' | null;
  /** Step-through backprop of one sample, at step `index` ('loading' while the worker computes it). */
  trace: TraceView | 'loading' | null;
}

export interface TraceView {
  sample: number;
  samples: number;
  epoch: number;
  steps: readonly TraceStep[];
  index: number;
}

export type GradcheckRun = Omit<Extract<FromWorker, { type: 'gradcheck' }>, 'type'>;

export interface Scrub {
  epoch: number;
  nodes: ReadonlyMap<string, NodeStats>;
  output: OutputView | null;
}

export type TrainingEvent =
  | FromWorker
  /** A new run; `pace` when it belongs to a new document (its default pace), else the pace is kept. */
  | { type: 'runStarted'; runId: number; pace?: Pace }
  | { type: 'paceChanged'; pace: Pace }
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

export const MAX_POINTS = 4000;
const TRAIL = 60;

export const initialTrainingState = (runId = 0, pace: Pace = 'watch'): TrainingState => ({
  status: 'idle',
  runId,
  task: null,
  kernels: '',
  progress: null,
  initialLoss: null,
  lossX: [],
  lossY: [],
  history: [],
  nodes: new Map(),
  gradTrail: new Map(),
  output: null,
  confusion: null,
  error: null,
  diverged: null,
  pace,
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

function withProgress(s: TrainingState, p: Progress): TrainingState {
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
  return { ...s, progress: p, lossX, lossY, status };
}

function withStats(s: TrainingState, stats: readonly NodeStats[]): TrainingState {
  const nodes = new Map<string, NodeStats>();
  const gradTrail = new Map(s.gradTrail);
  for (const n of stats) {
    const old = s.nodes.get(n.id);
    // NOTE: weights come a few times a second only; keep the last ones between.
    nodes.set(n.id, n.weights || !old?.weights ? n : { ...n, weights: old.weights });
    if (n.gradNorm !== null) gradTrail.set(n.id, [...(gradTrail.get(n.id) ?? []).slice(-(TRAIL - 1)), n.gradNorm]);
  }
  return { ...s, nodes, gradTrail };
}

/** The next state; never mutates its inputs. */
export function trainingReducer(s: TrainingState, m: TrainingEvent): TrainingState {
  switch (m.type) {
    case 'runStarted':
      return initialTrainingState(m.runId, m.pace ?? s.pace);
    case 'paceChanged':
      return { ...s, pace: m.pace };
    case 'loading':
      return {
        ...initialTrainingState(s.runId, s.pace),
        status: 'loading',
        gradcheck: s.gradcheck === 'running' ? 'running' : null,
        trace: s.trace === 'loading' ? 'loading' : null,
      };
    case 'running':
      return { ...s, status: 'running', error: null, scrub: null, trace: null };
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
        kernels: m.kernels,
        error: null,
      };
    case 'progress':
      return withProgress(s, m.progress);
    case 'epochs':
      return { ...s, history: boundHistory([...s.history, ...m.metrics]) };
    case 'stats':
      return withStats(s, m.nodes);
    case 'output':
      return {
        ...s,
        output: m.view,
        confusion: m.view.kind === 'digits' && m.view.confusion ? m.view.confusion : s.confusion,
      };
    case 'diverged':
      return { ...s, status: 'diverged', diverged: m.report };
    case 'error':
      return {
        ...s,
        status: 'error',
        error: { key: 'train.workerError', params: { message: m.message }, ...(m.nodeId ? { nodeId: m.nodeId } : {}) },
      };
    case 'done':
      return { ...s, status: 'done' };
    case 'weights':
      return s;
    case 'timeline':
      return { ...s, timeline: { epochs: m.epochs, bytes: m.bytes } };
    case 'scrubView':
      return { ...s, scrub: { epoch: m.epoch, nodes: new Map(m.nodes.map((n) => [n.id, n])), output: m.view } };
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
      return { ...s, trace: { sample: m.sample, samples: m.samples, epoch: m.epoch, steps: m.steps, index } };
    }
    case 'gradcheck': {
      const { type: _, ...run } = m;
      return { ...s, gradcheck: run };
    }
    case 'branched': {
      const keep = s.lossX.findIndex((x) => x > m.epoch);
      const cut = keep < 0 ? s.lossX.length : keep;
      return {
        ...s,
        scrub: null,
        history: s.history.filter((h) => h.epoch <= m.epoch),
        lossX: s.lossX.slice(0, cut),
        lossY: s.lossY.slice(0, cut),
      };
    }
  }
}
