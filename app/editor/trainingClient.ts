// The training client: owns one training worker for one editor, turns the editor's changes into
// worker messages and the worker's messages into TrainingState (through the pure reducer). Made by
// a factory and disposable, so tests run it against a fake Worker and the app makes exactly one.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { GraphDoc } from '../../engine/index.ts';
import { defaultPace, type Pace } from '../worker/pace.ts';
import type { FromWorker, ToWorker, WorkerLike } from '../worker/protocol.ts';
import { type Editor, type EditorState, exportedDocument } from './editor.ts';
import { initialTrainingState, type TrainingEvent, type TrainingState, trainingReducer } from './trainingState.ts';

export interface TrainingClientOptions {
  editor: Editor;
  spawnWorker: () => WorkerLike;
  now?: () => number;
  /** How long the worker may stay silent while running before it is replaced. */
  hangMs?: number;
  setInterval?: (fn: () => void, ms: number) => unknown;
  clearInterval?: (handle: unknown) => void;
  /** Runs `fn` a moment later in a task of its own (setTimeout 16 ms; tests run it at once). */
  later?: (fn: () => void) => void;
}

export interface TrainingClient {
  readonly store: StoreApi<TrainingState>;
  start(): void;
  pause(): void;
  step(): void;
  epoch(): void;
  reset(): void;
  /** How fast to train; takes effect at once, also mid-run. */
  setPace(pace: Pace): void;
  /** Shows the run as it was at `epoch` (pauses a running run); `live()` goes back. */
  scrub(epoch: number): void;
  live(): void;
  /** Continues training from the snapshot at `epoch` (a branch: later epochs are dropped). */
  branch(epoch: number): void;
  /** Checks the gradients numerically on a training batch (pauses a running run). */
  gradcheck(): void;
  closeGradcheck(): void;
  /** Step-through backprop on training sample `sample` (pauses a running run). */
  trace(sample: number): void;
  traceMove(index: number): void;
  closeTrace(): void;
  /** Replaces the worker; the document and the last trained weights are kept. */
  recover(reason: 'crashed' | 'hung', detail?: string): void;
  /** Test hook: makes the worker unresponsive, as a hang would. */
  simulateHang(): void;
  dispose(): void;
}

/** What must match for a loaded model to stay valid: the graph and the data order. Optimizer
 * settings, weight decay and epochs change live; a new document (runId) always reloads. */
export function structureKey(doc: GraphDoc, runId: number): string {
  const { batchSize, seed } = doc.training;
  return JSON.stringify({
    runId,
    nodes: doc.nodes.map((n) => [n.id, n.type, n.data]),
    edges: doc.edges.map((e) => [e.source, e.sourceHandle, e.target, e.targetHandle]),
    training: [batchSize, seed],
  });
}

export function createTrainingClient(options: TrainingClientOptions): TrainingClient {
  const { editor, spawnWorker } = options;
  const now = options.now ?? (() => performance.now());
  const hangMs = options.hangMs ?? 6000;
  const later = options.later ?? ((fn: () => void) => setTimeout(fn, 16));
  const store = createStore<TrainingState>(() =>
    initialTrainingState(editor.getState().runId, defaultPace(editor.getState().doc)),
  );
  /** The newest state; the store (what React draws) gets it at once or, for the live stream, a moment later. */
  let latest = store.getState();
  let publishPending = false;
  const publish = () => {
    publishPending = false;
    if (store.getState() !== latest) store.setState(latest, true);
  };
  // NOTE: the worker reports progress, epochs, stats and output as separate messages, dozens a second at
  // the watch pace; drawing each (the chart twice per report) kept the main thread half busy. They are
  // drawn together once per 16 ms, in a task of their own: in a requestAnimationFrame callback the drawing
  // joined the frame's layout and paint in one task, often over 50 ms.
  const STREAM: ReadonlySet<TrainingEvent['type']> = new Set(['progress', 'epochs', 'stats', 'output', 'timeline']);
  const dispatch = (event: TrainingEvent) => {
    latest = trainingReducer(latest, event);
    if (!STREAM.has(event.type)) publish();
    else if (!publishPending) {
      publishPending = true;
      later(publish);
    }
  };
  let worker: WorkerLike | null = null;
  let loadedKey: string | null = null;
  let lastMessage = now();
  let resumeAfterLoad = false;

  const receive = (m: FromWorker) => {
    lastMessage = now();
    dispatch(m);
    if (m.type === 'ready' && resumeAfterLoad) {
      resumeAfterLoad = false;
      client.start();
    } else if (m.type === 'weights') editor.setWeights(m.weights, m.snapshot);
    else if (m.type === 'diverged') editor.markNode(m.report.nodeId, m.report.message);
    else if (m.type === 'error') {
      loadedKey = null;
      if (m.nodeId) editor.markNode(m.nodeId, m.message);
    }
  };

  const spawn = (): WorkerLike => {
    const w = spawnWorker();
    w.onmessage = (e) => receive(e.data);
    w.onerror = (e) => {
      e.preventDefault();
      client.recover('crashed', e.message);
    };
    worker = w;
    return w;
  };

  const send = (message: ToWorker) => {
    (worker ?? spawn()).postMessage(message);
    lastMessage = now();
  };

  /** Sends the current document when the worker has no model for it yet; false when it does not compile. */
  const ensureLoaded = (resetWeights = false): boolean => {
    const s = editor.getState();
    if (s.analysis.problems.length > 0) {
      dispatch({ type: 'failed', key: 'train.fixProblems', params: { count: s.analysis.problems.length } });
      return false;
    }
    const key = structureKey(s.doc, s.runId);
    if (key === loadedKey && !resetWeights) return true;
    loadedKey = key;
    editor.clearMarks();
    if (latest.runId !== s.runId) dispatch({ type: 'runStarted', runId: s.runId, pace: defaultPace(s.doc) });
    dispatch({ type: 'loading' });
    send({ type: 'load', doc: exportedDocument(s), resetWeights, resume: resetWeights ? undefined : s.trained });
    // NOTE: a fresh worker (after a crash or hang) knows no pace; every load says it.
    send({ type: 'setPace', pace: latest.pace });
    return true;
  };

  const onEditorChange = (s: EditorState, prev: EditorState) => {
    if (s.runId !== latest.runId) {
      // A new document: a new run. Nothing of the previous one is kept.
      if (latest.status === 'running') send({ type: 'pause' });
      resumeAfterLoad = false;
      loadedKey = null;
      dispatch({ type: 'runStarted', runId: s.runId, pace: defaultPace(s.doc) });
      // A graph that arrives trained (a reload, a share link) is loaded at once: overlays, output and curve shown.
      if (s.weights && s.analysis.problems.length === 0) ensureLoaded();
      return;
    }
    // NOTE: weights that come just after their document (an import, a variant opened from Compare) are
    // a graph arriving trained as well: shown at once.
    if (s.weights && !prev.weights && loadedKey === null && s.analysis.problems.length === 0) {
      ensureLoaded();
      return;
    }
    if (s.doc === prev.doc || loadedKey === null) return;
    const t = s.doc.training;
    const p = prev.doc.training;
    if (JSON.stringify(t.optimizer) !== JSON.stringify(p.optimizer)) {
      send({ type: 'setOptimizer', config: t.optimizer });
      dispatch({ type: 'optimizerChanged' });
      editor.clearMarks();
    }
    if (t.weightDecay !== p.weightDecay) send({ type: 'setWeightDecay', value: t.weightDecay ?? 0 });
    if (t.epochs !== p.epochs) send({ type: 'setEpochs', value: t.epochs });
    if (structureKey(s.doc, s.runId) === loadedKey) return;
    // A structural edit: reload with the weights that still fit (the editor pruned the rest).
    const wasRunning = latest.status === 'running';
    if (wasRunning) send({ type: 'pause' });
    loadedKey = null;
    if (s.analysis.problems.length > 0) {
      dispatch({ type: 'runStarted', runId: s.runId });
      return;
    }
    resumeAfterLoad = wasRunning;
    ensureLoaded();
  };
  const unsubscribe = editor.store.subscribe(onEditorChange);

  const setInt = options.setInterval ?? ((fn, ms) => setInterval(fn, ms));
  const clearInt = options.clearInterval ?? ((h) => clearInterval(h as ReturnType<typeof setInterval>));
  const watchdog = setInt(() => {
    const { status } = latest;
    if ((status === 'running' || status === 'loading') && now() - lastMessage > hangMs) client.recover('hung');
  }, 1000);

  const client: TrainingClient = {
    store,
    start() {
      if (!ensureLoaded()) return;
      dispatch({ type: 'running' });
      send({ type: 'start' });
    },
    pause() {
      send({ type: 'pause' });
      dispatch({ type: 'paused' });
    },
    step() {
      if (ensureLoaded()) send({ type: 'step' });
    },
    epoch() {
      if (ensureLoaded()) send({ type: 'epoch' });
    },
    scrub(epoch) {
      if (!worker || loadedKey === null) return;
      if (latest.status === 'running') dispatch({ type: 'paused' });
      send({ type: 'scrub', epoch });
    },
    live() {
      dispatch({ type: 'scrubEnded' });
    },
    branch(epoch) {
      if (!worker || loadedKey === null) return;
      send({ type: 'branch', epoch });
    },
    gradcheck() {
      if (latest.status === 'running') client.pause();
      if (!ensureLoaded()) return;
      dispatch({ type: 'gradcheckStarted' });
      send({ type: 'gradcheck' });
    },
    trace(sample) {
      if (latest.status === 'running') client.pause();
      if (!ensureLoaded()) return;
      dispatch({ type: 'traceLoading' });
      send({ type: 'trace', sample });
    },
    traceMove(index) {
      dispatch({ type: 'traceMoved', index });
    },
    closeTrace() {
      dispatch({ type: 'traceClosed' });
    },
    closeGradcheck() {
      dispatch({ type: 'gradcheckClosed' });
    },
    setPace(pace) {
      dispatch({ type: 'paceChanged', pace });
      if (worker) send({ type: 'setPace', pace });
    },
    reset() {
      editor.setWeights(undefined);
      loadedKey = null;
      dispatch({ type: 'runStarted', runId: editor.getState().runId });
      ensureLoaded(true);
    },
    recover(reason, detail) {
      worker?.terminate();
      worker = null;
      loadedKey = null;
      const epoch = latest.progress?.epoch ?? 0;
      dispatch({
        type: 'workerLost',
        key: reason === 'hung' ? 'train.workerHung' : 'train.workerCrashed',
        // NOTE: the watchdog names its limit and the likeliest cause of a silent worker: a step too big.
        params: {
          epoch,
          detail: detail ?? '',
          seconds: Math.round(hangMs / 1000),
          batch: editor.getState().doc.training.batchSize,
        },
      });
      editor.notify('notice.workerRestarted');
    },
    simulateHang() {
      worker?.terminate();
      worker = null;
      lastMessage = now() - hangMs - 1;
    },
    dispose() {
      unsubscribe();
      clearInt(watchdog);
      worker?.terminate();
      worker = null;
    },
  };
  return client;
}
