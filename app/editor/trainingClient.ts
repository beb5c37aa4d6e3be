// The training client: owns one training worker for one editor, turns the editor's changes into
// worker messages and the worker's messages into TrainingState (through the pure reducer). Made by
// a factory and disposable, so tests run it against a fake Worker and the app makes exactly one.
import { createStore, type StoreApi } from 'zustand/vanilla';
import { defaultPace, type Pace } from '../worker/pace.ts';
import type { FromWorker, ThreadsSetting, ToWorker, WorkerLike } from '../worker/protocol.ts';
import type { Editor } from './editor.ts';
import { exportedDocument } from './documents.ts';
import type { EditorChange } from './editorState.ts';
import { initialTrainingState, type TrainingEvent, type TrainingState } from './trainingState.ts';
import { trainingReducer } from './trainingReducer.ts';

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
  /** Threads per training step ('auto', 1 or 2); takes effect at the next step, also mid-run. */
  setThreads(threads: ThreadsSetting): void;
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
  /** Feature maps follow test image `sample` (one of those the output view shows). */
  showMapsOf(sample: number): void;
  closeTrace(): void;
  /** Replaces the worker; the document and the last trained weights are kept. */
  recover(reason: 'crashed' | 'hung', detail?: string): void;
  /** Test hook: makes the worker unresponsive, as a hang would. */
  simulateHang(): void;
  dispose(): void;
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
  /** The run the worker holds a model of; null: none (nothing sent yet, or it failed to load). */
  let loadedRun: number | null = null;
  let lastMessage = now();
  let resumeAfterLoad = false;
  let mapsSample = 0;

  const receive = (m: FromWorker) => {
    lastMessage = now();
    // NOTE: the one gate: a message of another run (reported before the worker read a newer load or
    // branch) changes nothing, neither the state nor the editor's weights.
    if (m.runId !== latest.runId) return;
    dispatch(m);
    if (m.type === 'ready' && resumeAfterLoad) {
      resumeAfterLoad = false;
      client.start();
    } else if (m.type === 'weights') editor.setWeights(m, m.weights, m.snapshot);
    else if (m.type === 'diverged') editor.markNode(m.report.nodeId, m.report.message);
    else if (m.type === 'error') {
      loadedRun = null;
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

  /** Sends the editor's run to the worker (its document with the weights and run state it holds). */
  const load = () => {
    const s = editor.getState();
    loadedRun = s.runId;
    editor.clearMarks();
    dispatch({ type: 'loading' });
    // NOTE: a fresh worker (after a crash or hang) knows no settings (threads, pace, the
    // picked sample); every load says them, threads first (the model is compiled with them; a worker
    // starts with 'auto').
    if (latest.threads !== 'auto') send({ type: 'setThreads', threads: latest.threads });
    send({ type: 'load', runId: s.runId, doc: exportedDocument(s), resetWeights: false, resume: s.trained });
    send({ type: 'setPace', pace: latest.pace });
    send({ type: 'setMapsSample', sample: mapsSample });
  };

  /** Loads the current run unless the worker has it; false when the graph does not compile. */
  const ensureLoaded = (): boolean => {
    const s = editor.getState();
    if (s.analysis.problems.length > 0) {
      dispatch({ type: 'failed', key: 'train.fixProblems', params: { count: s.analysis.problems.length } });
      return false;
    }
    if (loadedRun !== s.runId) load();
    return true;
  };

  /** The editor says what changed: a live setting goes to the worker, a new run replaces the old one. */
  const onChange = (change: EditorChange) => {
    const s = editor.getState();
    if (change.type === 'setting') {
      if (loadedRun !== s.runId) return;
      const t = s.doc.training;
      if (change.setting === 'optimizer') {
        send({ type: 'setOptimizer', config: t.optimizer });
        dispatch({ type: 'optimizerChanged' });
        editor.clearMarks();
      } else if (change.setting === 'weightDecay') send({ type: 'setWeightDecay', value: t.weightDecay ?? 0 });
      else send({ type: 'setEpochs', value: t.epochs });
      return;
    }
    // Reset, a branch and a recovery are this client's own doing: handled where they start.
    if (change.cause !== 'document' && change.cause !== 'edit') return;
    const wasRunning = latest.status === 'running';
    const hadModel = loadedRun !== null;
    if (wasRunning) send({ type: 'pause' });
    loadedRun = null;
    resumeAfterLoad = false;
    // Nothing of the previous run is kept: its numbers belong to another graph.
    dispatch({
      type: 'runStarted',
      runId: change.runId,
      pace: change.cause === 'document' ? defaultPace(s.doc) : undefined,
    });
    if (s.analysis.problems.length > 0) return;
    if (change.cause === 'edit' && hadModel) {
      // A structural edit of a loaded graph: reloaded with the weights that still fit, running on if it ran.
      resumeAfterLoad = wasRunning;
      load();
    } else if (s.weights) load(); // a graph that arrives trained (a reload, an import, a variant): shown at once
  };
  const unsubscribe = editor.listen(onChange);

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
      if (worker) send({ type: 'pause' });
      dispatch({ type: 'paused' });
    },
    step() {
      if (ensureLoaded()) send({ type: 'step' });
    },
    epoch() {
      if (ensureLoaded()) send({ type: 'epoch' });
    },
    scrub(epoch) {
      if (!worker || loadedRun === null) return;
      if (latest.status === 'running') dispatch({ type: 'paused' });
      send({ type: 'scrub', epoch });
    },
    live() {
      dispatch({ type: 'scrubEnded' });
    },
    branch(epoch) {
      if (!worker || loadedRun === null) return;
      const runId = editor.newRun('branch');
      loadedRun = runId;
      dispatch({ type: 'branchStarted', runId, epoch });
      send({ type: 'branch', epoch, runId });
    },
    gradcheck() {
      if (latest.status === 'running') client.pause();
      if (latest.scrub) dispatch({ type: 'scrubEnded' });
      if (!ensureLoaded()) return;
      dispatch({ type: 'gradcheckStarted' });
      send({ type: 'gradcheck' });
    },
    trace(sample) {
      if (latest.status === 'running') client.pause();
      if (latest.scrub) dispatch({ type: 'scrubEnded' });
      if (!ensureLoaded()) return;
      dispatch({ type: 'traceLoading' });
      send({ type: 'trace', sample });
    },
    showMapsOf(sample) {
      mapsSample = sample;
      if (!worker || loadedRun === null) return;
      send({ type: 'setMapsSample', sample });
      // NOTE: a scrubbed epoch's maps are the snapshot's: the worker recomputes the whole view of it.
      if (latest.scrub) send({ type: 'scrub', epoch: latest.scrub.epoch });
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
    setThreads(threads) {
      dispatch({ type: 'threadsChanged', threads });
      if (worker) send({ type: 'setThreads', threads });
    },
    reset() {
      if (latest.status === 'running') send({ type: 'pause' });
      resumeAfterLoad = false;
      const runId = editor.newRun('reset');
      loadedRun = null;
      dispatch({ type: 'runStarted', runId });
      ensureLoaded();
    },
    recover(reason, detail) {
      worker?.terminate();
      worker = null;
      loadedRun = null;
      resumeAfterLoad = false;
      const epoch = latest.progress?.epoch ?? 0;
      // NOTE: the new worker continues from the last weights the old one sent: another run (its step count
      // starts again), so nothing the old worker said is shown as the new one's.
      dispatch({ type: 'runStarted', runId: editor.newRun('recover') });
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
