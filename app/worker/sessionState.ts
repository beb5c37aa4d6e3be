// What a training session keeps between messages: the run's trainer and document, its pace and step
// counts, and what its next reports owe (epochs, a changed timeline, weights after an epoch end).
// The session's parts (reports.ts, runLoop.ts, rewind.ts) read and change it together.
import type { ActivationFn, EpochMetrics, GraphDoc, MnistData, Model, Tensor, Trainer } from '../../engine/index.ts';
import type { DivergenceGuard } from './divergence.ts';
import type { Pace } from './pace.ts';
import type { FromWorker, ThreadsSetting, WorkerReport } from './protocol.ts';
import type { Probe } from './sessionStats.ts';
import { createTimeline, type Timeline } from './timeline.ts';

export interface SessionEnv {
  post(message: FromWorker): void;
  loadMnist(): Promise<MnistData>;
  /** Runs `fn` after pending messages (a macrotask), `delayMs` later when given. */
  schedule(fn: () => void, delayMs?: number): void;
  now(): number;
}

export interface SessionState {
  readonly env: SessionEnv;
  trainer: Trainer | null;
  /** The threads setting every model of this worker is compiled with. */
  threads: ThreadsSetting;
  initialLoss: number;
  doc: GraphDoc | null;
  probe: Probe | null;
  activationFns: ReadonlyMap<string, ActivationFn>;
  epochsTotal: number;
  running: boolean;
  /** The training speed: measured at most every 250 ms while running, smoothed. */
  readonly speed: { t: number; samples: number; samplesPerSecond: number };
  /** Since Start: when it was pressed and the time spent inside training steps (what the CLI times). */
  readonly busy: { since: number; stepMs: number };
  pendingEpochs: EpochMetrics[];
  epochSinceWeights: boolean;
  guard: DivergenceGuard | null;
  pace: Pace;
  /** The test image whose feature maps are shown (of those the output view shows). */
  mapsSample: number;
  readonly timeline: Timeline;
  timelineChanged: boolean;
  /** The run this worker trains (the client's id) and its step count: `total` steps since the model was
   * built, `base` of them taken before this run began (a branch rewinds `total` to its snapshot's). */
  runId: number;
  total: number;
  base: number;
  /** Every message leaves stamped with the run and the step its numbers belong to. */
  post(m: WorkerReport, step?: number): void;
}

export function createSessionState(env: SessionEnv): SessionState {
  const s: SessionState = {
    env,
    trainer: null,
    threads: 'auto',
    initialLoss: Number.NaN,
    doc: null,
    probe: null,
    activationFns: new Map(),
    epochsTotal: 1,
    running: false,
    speed: { t: 0, samples: 0, samplesPerSecond: 0 },
    busy: { since: 0, stepMs: 0 },
    pendingEpochs: [],
    epochSinceWeights: false,
    guard: null,
    pace: 'full',
    mapsSample: 0,
    timeline: createTimeline(),
    timelineChanged: false,
    runId: 0,
    total: 0,
    base: 0,
    post: (m, step = s.total - s.base) => env.post({ ...m, runId: s.runId, step } as FromWorker),
  };
  return s;
}

/** A model's parameters and buffers (BatchNorm's running statistics): what its weights are, saved and restored together. */
export function modelState(model: Model): Map<string, Tensor> {
  return new Map([...model.params, ...model.buffers]);
}
