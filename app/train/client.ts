// Owns the training worker: sends commands, feeds the training store, keeps the editor's
// trained weights up to date, and replaces a worker that crashes or stops answering.
import type { GraphDoc } from '../../engine/index.ts';
import { exportedDocument, useEditor } from '../store/documentStore.ts';
import type { FromWorker, ToWorker } from './protocol.ts';
import { addStats, initialTraining, useTraining } from './store.ts';

const HANG_MS = 6000;
const MAX_POINTS = 4000;

/** What must match for a loaded model to still be valid: everything but positions, name, lr and epochs. */
export function structureKey(doc: GraphDoc): string {
  const { optimizer, batchSize, seed, weightDecay } = doc.training;
  return JSON.stringify({
    nodes: doc.nodes.map((n) => [n.id, n.type, n.data]),
    edges: doc.edges.map((e) => [e.source, e.sourceHandle, e.target, e.targetHandle]),
    training: [optimizer.type, batchSize, seed, weightDecay],
  });
}

/** Keeps at most MAX_POINTS epochs for the chart, thinning old ones evenly and keeping the newest. */
export function boundHistory<T>(history: T[]): T[] {
  if (history.length <= MAX_POINTS) return history;
  const keepEvery = Math.ceil(history.length / (MAX_POINTS / 2));
  return history.filter((_, i) => i % keepEvery === 0 || i === history.length - 1);
}

class TrainingClient {
  private worker: Worker | null = null;
  private loadedKey: string | null = null;
  private lastMessage = 0;
  private resumeAfterLoad = false;

  constructor() {
    setInterval(() => this.watchdog(), 1000);
    useEditor.subscribe((s, prev) => {
      if (s.doc !== prev.doc) this.onDocumentChange(s.doc, prev.doc);
    });
  }

  private spawn(): Worker {
    const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'nodegrad-training' });
    worker.onmessage = (e: MessageEvent<FromWorker>) => this.receive(e.data);
    worker.onerror = (e) => {
      e.preventDefault();
      this.recover(`the training worker crashed (${e.message || 'unknown error'})`);
    };
    this.worker = worker;
    return worker;
  }

  private send(message: ToWorker): void {
    (this.worker ?? this.spawn()).postMessage(message);
    this.lastMessage = performance.now();
  }

  /** Sends the current document when the worker has no model for it yet. Returns false when the graph does not compile. */
  private ensureLoaded(resetWeights = false): boolean {
    const state = useEditor.getState();
    if (state.analysis.problems.length > 0) {
      useTraining.setState({
        status: 'error',
        error: { message: `Fix the ${state.analysis.problems.length} problem(s) listed below before training.` },
      });
      return false;
    }
    const key = structureKey(state.doc);
    if (key === this.loadedKey && !resetWeights) return true;
    this.loadedKey = key;
    this.clearMarks();
    useTraining.setState({ ...initialTraining(), status: 'loading', view: useTraining.getState().view });
    this.send({ type: 'load', doc: exportedDocument(state), resetWeights });
    return true;
  }

  start(): void {
    if (this.ensureLoaded()) {
      useTraining.setState({ status: 'running', error: null });
      this.send({ type: 'start' });
    }
  }

  pause(): void {
    this.send({ type: 'pause' });
    useTraining.setState({ status: 'paused' });
  }

  step(): void {
    if (this.ensureLoaded()) this.send({ type: 'step' });
  }

  epoch(): void {
    if (this.ensureLoaded()) this.send({ type: 'epoch' });
  }

  reset(): void {
    useEditor.getState().setWeights(undefined);
    this.loadedKey = null;
    this.ensureLoaded(true);
  }

  private clearMarks(): void {
    const { externalErrors, markNode } = useEditor.getState();
    for (const id of Object.keys(externalErrors)) markNode(id, null);
  }

  private onDocumentChange(doc: GraphDoc, prev: GraphDoc): void {
    if (this.loadedKey === null) return;
    if (doc.training.optimizer.learningRate !== prev.training.optimizer.learningRate) {
      this.send({ type: 'setLearningRate', value: doc.training.optimizer.learningRate });
      if (useTraining.getState().status === 'nonFinite') useTraining.setState({ status: 'paused', nonFinite: null });
      this.clearMarks();
    }
    if (doc.training.epochs !== prev.training.epochs) this.send({ type: 'setEpochs', value: doc.training.epochs });
    if (structureKey(doc) === this.loadedKey) return;
    // A structural edit: reload with the weights that still fit (the editor pruned the rest).
    const wasRunning = useTraining.getState().status === 'running';
    if (wasRunning) this.send({ type: 'pause' });
    this.loadedKey = null;
    if (useEditor.getState().analysis.problems.length > 0) {
      useTraining.setState({ ...initialTraining(), view: useTraining.getState().view });
      return;
    }
    this.resumeAfterLoad = wasRunning;
    this.ensureLoaded();
  }

  private receive(m: FromWorker): void {
    this.lastMessage = performance.now();
    switch (m.type) {
      case 'ready':
        useTraining.setState({
          status: 'ready',
          task: m.task,
          initialLoss: m.initialLoss,
          progress: m.progress,
          kernels: m.kernels,
        });
        if (this.resumeAfterLoad) {
          this.resumeAfterLoad = false;
          this.start();
        }
        break;
      case 'progress':
        useTraining.setState((s) => {
          const p = m.progress;
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
          return { progress: p, lossX, lossY, status };
        });
        break;
      case 'epochs':
        useTraining.setState((s) => ({ history: boundHistory([...s.history, ...m.metrics]) }));
        break;
      case 'stats':
        addStats(m.nodes);
        break;
      case 'output':
        useTraining.setState((s) => ({
          output: m.view,
          confusion: m.view.kind === 'digits' && m.view.confusion ? m.view.confusion : s.confusion,
        }));
        break;
      case 'weights':
        useEditor.getState().setWeights(m.weights);
        break;
      case 'nonFinite':
        useTraining.setState({ status: 'nonFinite', nonFinite: m.report });
        useEditor.getState().markNode(m.report.nodeId, `Training stopped: ${m.report.message}`);
        break;
      case 'error':
        this.loadedKey = null;
        useTraining.setState({ status: 'error', error: m });
        if (m.nodeId) useEditor.getState().markNode(m.nodeId, m.message);
        break;
      case 'done':
        useTraining.setState({ status: 'done' });
        break;
    }
  }

  private watchdog(): void {
    const { status } = useTraining.getState();
    if ((status === 'running' || status === 'loading') && performance.now() - this.lastMessage > HANG_MS) {
      this.recover('the training worker stopped responding');
    }
  }

  /** Replaces the worker; the document and the last trained weights are kept. */
  recover(reason: string): void {
    this.worker?.terminate();
    this.worker = null;
    this.loadedKey = null;
    const epoch = useTraining.getState().progress?.epoch ?? 0;
    useTraining.setState({
      status: 'paused',
      error: {
        message: `${reason}; it was restarted. Your graph is safe and training continues from the last saved weights (epoch ${epoch}) when you press Train.`,
      },
    });
    useEditor.getState().notify('The training worker was restarted.');
  }

  /** Test hook: makes the worker unresponsive, as a hang would. */
  simulateHang(): void {
    this.worker?.terminate();
    this.worker = null;
    this.lastMessage = performance.now() - HANG_MS - 1;
  }
}

export const training = new TrainingClient();

// Test hook (used by the browser tests): make the worker stop answering, as a hang or crash would.
(globalThis as { nodegradTest?: { hangWorker(): void } }).nodegradTest = { hangWorker: () => training.simulateHang() };
