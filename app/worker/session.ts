// The training worker's logic as a plain object: messages in, messages out. The Worker file only
// wires it to `self`; tests drive it directly in Node. Here: building a run from its document and
// handling each message; the reports, the run loop and the timeline's rewinds are their own modules.
import {
  CompileError,
  compile,
  createTrainer,
  type Dataset,
  type GraphDoc,
  getKernels,
  loadDataset,
  type MnistData,
  parseGraph,
  type TrainingSnapshot,
} from '../../engine/index.ts';
import { createDivergenceGuard } from './divergence.ts';
import { featureMaps } from './featureMaps.ts';
import { checkGradients, traceOne } from './learn.ts';
import type { ToWorker } from './protocol.ts';
import { createReports, evaluation } from './reports.ts';
import { branch, postScrubView } from './rewind.ts';
import { createRunLoop } from './runLoop.ts';
import { createSessionState, modelState, type SessionEnv } from './sessionState.ts';
import { makeProbe } from './sessionStats.ts';

export interface Session {
  handle(message: ToWorker): Promise<void>;
}

export function createSession(env: SessionEnv): Session {
  const s = createSessionState(env);
  const { post, busy, speed, timeline } = s;
  const reports = createReports(s);
  const { progress, report, postWeights } = reports;
  const { trainOneAwaited, stillStopped, startPacing, restart, idle } = createRunLoop(s, reports);
  let datasetKey = '';
  let dataset: Dataset | null = null;
  let mnist: MnistData | null = null;
  let queue = Promise.resolve();

  const build = async (next: GraphDoc, resetWeights: boolean, resume?: TrainingSnapshot) => {
    const parsed = parseGraph(next);
    const spec = parsed.nodes.find((n) => n.type === 'input')?.data.dataset;
    if (!spec) throw new Error('The Input node has no dataset');
    const key = JSON.stringify([spec, parsed.training.seed]);
    if (key !== datasetKey || !dataset) {
      if (spec.kind === 'mnist' && !mnist) mnist = await env.loadMnist();
      dataset = loadDataset(spec, { seed: parsed.training.seed, ...(mnist ? { mnist } : {}) });
      datasetKey = key;
    }
    if (resetWeights) delete parsed.weights;
    const model = compile(parsed, {
      inputShape: dataset.inputShape,
      targetShape: dataset.targetShape,
      threads: s.threads,
    });
    const trainer = createTrainer(parsed, dataset, { model, onEvaluateChunk: reports.alive });
    s.trainer = trainer;
    if (resume && parsed.weights) trainer.restore(resume);
    s.doc = parsed;
    s.probe = makeProbe(dataset, model.info.step.bytesPerSample);
    s.activationFns = new Map(parsed.nodes.flatMap((n) => (n.type === 'activation' ? [[n.id, n.data.fn]] : [])));
    // NOTE: a run trained past its document's epochs (a Compare variant) is done, not "epoch 300 / 200".
    s.epochsTotal = Math.max(parsed.training.epochs, trainer.epoch);
    speed.samplesPerSecond = 0;
    const start = evaluation(trainer);
    s.initialLoss = start.trainLoss;
    const guard = createDivergenceGuard(trainer, s.initialLoss);
    s.guard = guard;
    s.total = 0;
    s.base = 0;
    timeline.clear();
    timeline.record(trainer.epoch, s.total, modelState(trainer.model));
    s.timelineChanged = true;
    post({
      type: 'ready',
      task: dataset.task,
      batchesPerEpoch: trainer.batchesPerEpoch,
      initialLoss: s.initialLoss,
      progress: progress(),
      kernels: getKernels().name,
    });
    // NOTE: a continued run brings its loss curve back.
    if (resume && parsed.weights && trainer.history.length > 0) post({ type: 'epochs', metrics: [...trainer.history] });
    if (guard.stopped) post({ type: 'diverged', report: guard.stopped });
    report(true, start);
  };

  const handleNow = async (m: ToWorker) => {
    if (m.type === 'load') {
      s.running = false;
      // NOTE: from here on every message (a compile error too) belongs to the new run.
      s.runId = m.runId;
      s.total = 0;
      s.base = 0;
      // NOTE: the old model's helper thread goes back to the pool for the new one.
      s.trainer?.model.release?.();
      s.trainer = null;
      s.doc = null;
      await build(m.doc, m.resetWeights, m.resume);
      return;
    }
    if (m.type === 'setThreads') {
      s.threads = m.threads;
      s.trainer?.model.setThreads?.(s.threads);
      return;
    }
    if (m.type === 'setPace') {
      s.pace = m.pace;
      startPacing();
      // NOTE: a pending slow tick (up to a second away) must not hold back the new pace.
      if (s.running) restart();
      return;
    }
    const { trainer, doc } = s;
    if (!trainer || !doc) return;
    switch (m.type) {
      case 'start':
        if (stillStopped()) break;
        if (trainer.epoch >= s.epochsTotal) s.epochsTotal = trainer.epoch + doc.training.epochs;
        s.running = true;
        speed.t = 0;
        busy.since = env.now();
        busy.stepMs = 0;
        startPacing();
        restart();
        break;
      case 'pause':
        s.running = false;
        report(true);
        break;
      case 'step':
      case 'epoch': {
        s.running = false;
        const guard = s.guard;
        if (stillStopped() || !guard) break;
        while ((await trainOneAwaited(trainer, guard)) && m.type === 'epoch' && trainer.batch !== 0);
        report(true);
        break;
      }
      case 'setOptimizer':
        // NOTE: the trainer lifts its own NaN stop here; the guard lifts an explosion's.
        trainer.setOptimizer(m.config);
        s.guard?.clear();
        report(true);
        break;
      case 'setWeightDecay':
        trainer.setWeightDecay(m.value);
        break;
      case 'setEpochs':
        s.epochsTotal = m.value;
        report(true);
        break;
      case 'snapshot':
        postWeights();
        break;
      case 'scrub':
        s.running = false;
        postScrubView(s, m.epoch);
        break;
      case 'branch':
        s.running = false;
        branch(s, reports, m.epoch, m.runId);
        break;
      case 'gradcheck':
        s.running = false;
        if (s.probe) post(checkGradients(trainer, doc, s.probe, env.now));
        break;
      case 'trace':
        s.running = false;
        post(traceOne(trainer, m.sample));
        break;
      case 'setMapsSample': {
        s.mapsSample = m.sample;
        // NOTE: running, the next output look brings them; standing, at once (of the weights standing).
        const maps = s.running ? null : featureMaps(trainer, s.mapsSample);
        if (maps) post({ type: 'maps', maps });
        break;
      }
    }
  };

  return {
    handle(message) {
      // NOTE: loading is async (MNIST); later messages wait for it, in order, and for a training step
      // in flight (two threads by messages): the trainer is only ever touched between steps.
      queue = queue
        .then(idle)
        .then(() => handleNow(message))
        .catch((e: unknown) => {
          s.running = false;
          if (e instanceof CompileError) {
            const first = e.problems[0];
            post({
              type: 'error',
              message: first?.message ?? e.message,
              ...(first?.nodeId ? { nodeId: first.nodeId } : {}),
            });
          } else post({ type: 'error', message: e instanceof Error ? e.message : String(e) });
        });
      return queue;
    },
  };
}
