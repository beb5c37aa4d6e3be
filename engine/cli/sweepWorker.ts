// One worker thread of `nodegrad sweep`: trains the runs it is handed, one after another, and
// reports epochs (a few times a second) and each run's final metrics.
import { parentPort } from 'node:worker_threads';
import { CompileError, createTrainer, isClassification, loadDataset, selectFastestKernels } from '../index.ts';
import { enableRelaxedSimd, enableWorkerThreads, loadMnistFile } from '../node.ts';
import type { SweepRunResult, SweepTask, SweepWorkerMessage } from './sweepProtocol.ts';

const port = parentPort!;
const post = (m: SweepWorkerMessage) => port.postMessage(m);
/** Least time between two epoch reports of one run. */
const REPORT_MS = 100;

/** An error of the run's input (its data), not of the program: `nodegrad sweep` exits 2 for it. */
class InputError extends Error {}

function run(task: SweepTask): SweepRunResult {
  const started = performance.now();
  const { doc } = task;
  const seed = doc.training.seed;
  const spec = doc.nodes.find((n) => n.type === 'input')?.data.dataset;
  if (!spec) throw new InputError('the Input node has no dataset to train on');
  let dataset: ReturnType<typeof loadDataset>;
  try {
    // NOTE: the dataset's own errors (a CSV cell that is not a number, MNIST missing) are plain Errors.
    dataset = loadDataset(spec, { seed, mnist: spec.kind === 'mnist' ? loadMnistFile() : undefined });
  } catch (e) {
    throw new InputError((e as Error).message);
  }
  let trainer: ReturnType<typeof createTrainer>;
  try {
    trainer = createTrainer(doc, dataset, { seed, threads: task.threads });
  } catch (e) {
    if (!(e instanceof CompileError)) throw e;
    throw new InputError(e.problems.map((p) => `${p.nodeId ?? p.edgeId ?? 'graph'}: ${p.message}`).join('; '));
  }
  let reported = performance.now();
  let stoppedAt: SweepRunResult['stoppedAt'];
  while (trainer.epoch < task.epochs) {
    const r = trainer.trainEpoch();
    if (r.nonFinite) {
      stoppedAt = { nodeId: r.nonFinite.nodeId, message: r.nonFinite.message };
      break;
    }
    const now = performance.now();
    if (now - reported >= REPORT_MS) {
      reported = now;
      post({ type: 'epoch', index: task.index, epoch: trainer.epoch });
    }
  }
  const final = trainer.evaluate();
  const result: SweepRunResult = {
    loss: final.trainLoss,
    testLoss: final.testLoss,
    seconds: (performance.now() - started) / 1000,
    epochs: trainer.epoch,
  };
  if (isClassification(trainer.dataset.task)) {
    result.trainAccuracy = final.trainAccuracy!;
    result.testAccuracy = final.testAccuracy!;
  }
  if (stoppedAt) result.stoppedAt = stoppedAt;
  trainer.model.release?.();
  return result;
}

enableRelaxedSimd();
selectFastestKernels();
enableWorkerThreads();
port.on('message', (task: SweepTask) => {
  try {
    post({ type: 'done', index: task.index, result: run(task) });
  } catch (e) {
    const input = e instanceof InputError;
    const message = e instanceof Error ? e.message : String(e);
    const stack = !input && e instanceof Error && e.stack ? { stack: e.stack } : {};
    post({ type: 'failed', index: task.index, message, input, ...stack });
  }
});
post({ type: 'ready' });
