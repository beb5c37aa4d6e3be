// Compare runs: the variants of a sweep (engine sweepVariants) trained side by side, one training
// worker (app/worker/worker.ts, the editor's own protocol) per core; a worker takes the next variant
// when one finishes. Framework-free: a zustand store the dialog reads, tested headless.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { EpochMetrics, GraphDoc, GraphWeights, SweepVariant, TrainingSnapshot } from '../../engine/index.ts';
import { settingsKey, settingsLabel } from '../../engine/index.ts';
import type { WorkerLike } from '../worker/protocol.ts';
import type { FromWorker, OutputView } from '../worker/protocol.ts';

export type VariantStatus = 'waiting' | 'running' | 'done' | 'diverged' | 'failed' | 'cancelled';

export interface VariantRun {
  /** `h.units=3` (the test hook's data-settings). */
  key: string;
  /** `h.units = 3` (legend, titles). */
  label: string;
  /** One `path = value` per varied setting (the small multiple's title lines). */
  parts: string[];
  doc: GraphDoc;
  status: VariantStatus;
  /** Epochs completed. */
  epoch: number;
  /** Metrics per epoch, at most MAX_HISTORY of them (thinned evenly, the last one always kept). */
  history: EpochMetrics[];
  /** The latest output view (the final one once done). */
  view: OutputView | null;
  /** Trained weights, once done (or diverged: the last healthy ones). */
  weights: GraphWeights | null;
  /** The optimizer state and counters that go with the weights (training continues from them). */
  trained: TrainingSnapshot | null;
  error: string | null;
}

export interface CompareState {
  status: 'running' | 'done' | 'cancelled';
  epochs: number;
  threads: number;
  variants: VariantRun[];
  /** performance.now() at the start, and when the last run finished (null until then). */
  startedAt: number;
  finishedAt: number | null;
}

export interface ComparePool {
  store: StoreApi<CompareState>;
  /** Stops every run and terminates the workers; runs not finished are marked cancelled. */
  cancel(): void;
}

/** Most epochs of metrics kept per variant (enough for the chart; a long run is thinned evenly). */
export const MAX_HISTORY = 1000;

/**
 * `history` with `metrics` appended, halved (every other epoch, the newest always kept) while it
 * holds more than `max`: a run of millions of one-batch epochs stays cheap to keep and to draw.
 */
export function appendThinned(history: readonly EpochMetrics[], metrics: readonly EpochMetrics[], max = MAX_HISTORY) {
  let out = [...history, ...metrics];
  while (out.length > max) {
    const last = out.length - 1;
    out = out.filter((_, i) => i % 2 === 0 || i === last);
  }
  return out;
}

/** Workers to start for `variants` runs: one per core, at most one per variant, at least one. */
export function threadCount(variants: number, cores: number | undefined): number {
  return Math.max(1, Math.min(variants, cores && cores > 0 ? cores : 2));
}

/** Trains every variant for `epochs` epochs at full speed on `threads` workers. */
export function startComparePool(options: {
  variants: readonly SweepVariant[];
  epochs: number;
  threads: number;
  spawn: () => WorkerLike;
}): ComparePool {
  const { epochs, spawn } = options;
  const threads = Math.max(1, Math.min(options.threads, options.variants.length));
  const store = createStore<CompareState>(() => ({
    status: 'running',
    epochs,
    threads,
    startedAt: performance.now(),
    finishedAt: null,
    variants: options.variants.map((v) => ({
      key: settingsKey(v.settings),
      label: settingsLabel(v.settings),
      parts: v.settings.map((setting) => settingsLabel([setting])),
      doc: v.doc,
      status: 'waiting',
      epoch: 0,
      history: [],
      view: null,
      weights: null,
      trained: null,
      error: null,
    })),
  }));
  const update = (index: number, change: Partial<VariantRun> | ((v: VariantRun) => Partial<VariantRun>)) =>
    store.setState((s) => ({
      variants: s.variants.map((v, i) =>
        i === index ? { ...v, ...(typeof change === 'function' ? change(v) : change) } : v,
      ),
    }));
  let next = 0;
  const workers = new Set<WorkerLike>();
  const isOver = (v: VariantRun) => v.status !== 'waiting' && v.status !== 'running';
  const finishIfAllDone = () => {
    if (store.getState().variants.every(isOver) && store.getState().status === 'running') {
      for (const w of workers) w.terminate();
      workers.clear();
      store.setState({ status: 'done', finishedAt: performance.now() });
    }
  };

  const startWorker = () => {
    if (next >= options.variants.length) return;
    const w = spawn();
    workers.add(w);
    let index = -1;
    /** The run ended ('done' or 'diverged'); a diverged run's report that follows ends with its weights. */
    let ended: 'done' | 'diverged' | null = null;
    /** The variant's last weights. */
    let latest: Extract<FromWorker, { type: 'weights' }> | null = null;
    const finish = (status: 'done' | 'diverged', w: Extract<FromWorker, { type: 'weights' }>) => {
      update(index, { status, weights: w.weights, trained: w.snapshot });
      take();
      finishIfAllDone();
    };
    const take = () => {
      if (next >= options.variants.length) {
        workers.delete(w);
        w.terminate();
        finishIfAllDone();
        return;
      }
      index = next++;
      ended = null;
      latest = null;
      update(index, { status: 'running' });
      // NOTE: the variants already take one core each: no helper threads on top.
      w.postMessage({ type: 'setThreads', threads: 1 });
      // NOTE: the variant's index is its run: a message of the worker's previous variant is dropped.
      w.postMessage({ type: 'load', runId: index + 1, doc: options.variants[index]!.doc, resetWeights: true });
      w.postMessage({ type: 'setPace', pace: 'full' });
      w.postMessage({ type: 'setEpochs', value: epochs });
      w.postMessage({ type: 'start' });
    };
    const fail = (message: string) => {
      update(index, { status: 'failed', error: message });
      take();
      finishIfAllDone();
    };
    w.onmessage = ({ data: m }: { data: FromWorker }) => {
      if (store.getState().status !== 'running' || index < 0 || m.runId !== index + 1) return;
      if (m.type === 'epochs') update(index, (v) => ({ history: appendThinned(v.history, m.metrics) }));
      else if (m.type === 'progress') update(index, { epoch: m.progress.epoch });
      else if (m.type === 'output') update(index, { view: m.view });
      else if (m.type === 'done') {
        // NOTE: a finished run's final weights come just before its 'done' (a diverged run's after it).
        ended = 'done';
        update(index, { epoch: m.progress.epoch });
        if (latest) finish(ended, latest);
      } else if (m.type === 'diverged') {
        ended = 'diverged';
        update(index, { error: m.report.message });
      } else if (m.type === 'weights') {
        latest = m;
        if (ended) finish(ended, m);
      } else if (m.type === 'error') fail(m.message);
    };
    w.onerror = (event) => {
      event.preventDefault();
      workers.delete(w);
      w.terminate();
      if (index >= 0 && store.getState().status === 'running') {
        update(index, { status: 'failed', error: event.message ?? 'the worker stopped' });
        startWorker();
        finishIfAllDone();
      }
    };
    take();
  };
  for (let i = 0; i < threads; i++) startWorker();

  return {
    store,
    cancel() {
      if (store.getState().status !== 'running') return;
      for (const w of workers) w.terminate();
      workers.clear();
      store.setState((s) => ({
        status: 'cancelled',
        variants: s.variants.map((v) => (isOver(v) ? v : { ...v, status: 'cancelled' })),
      }));
    },
  };
}
