// The training worker's logic as a plain object: messages in, messages out. The Worker file only
// wires it to `self`; tests drive it directly in Node.
import {
  type ActivationFn,
  CompileError,
  type EpochMetrics,
  compile,
  createTrainer,
  type Dataset,
  encodeWeights,
  type GraphDoc,
  getKernels,
  loadDataset,
  type MnistData,
  type Model,
  parseGraph,
  type Tensor,
  type Trainer,
  type TrainingSnapshot,
} from '../../engine/index.ts';
import { createDivergenceGuard, type DivergenceGuard } from './divergence.ts';
import { featureMaps } from './featureMaps.ts';
import { createLooks, type LookKind } from './looks.ts';
import { outputView } from './outputView.ts';
import { type Pace, reportIntervals, STEPS_PER_SECOND } from './pace.ts';
import type { Evaluation, FromWorker, Progress, ThreadsSetting, ToWorker, WorkerReport } from './protocol.ts';
import { computeNodeStats, type Probe, makeProbe } from './sessionStats.ts';
import { checkGradients, traceOne } from './learn.ts';
import { createTimeline } from './timeline.ts';
import { withParams } from './withParams.ts';

export interface SessionEnv {
  post(message: FromWorker): void;
  loadMnist(): Promise<MnistData>;
  /** Runs `fn` after pending messages (a macrotask), `delayMs` later when given. */
  schedule(fn: () => void, delayMs?: number): void;
  now(): number;
}

/** The longest the worker trains without looking at its messages (a pause takes effect within it). */
const SLICE_MS = 25;
/** At a paced speed: the shortest gap between two bursts of steps (about one display frame). */
const TICK_MS = 16;
/** At a paced speed: the most steps one burst may catch up on after the worker fell behind. */
const CATCH_UP_SECONDS = 0.1;
const WEIGHTS_MS = 2000;
/** While running: the longest the confusion matrix goes without being recomputed. */
const CONFUSION_MS = 1000;

export interface Session {
  handle(message: ToWorker): Promise<void>;
}

export function createSession(env: SessionEnv): Session {
  let trainer: Trainer | null = null;
  /** The threads setting every model of this worker is compiled with. */
  let threads: ThreadsSetting = 'auto';
  let initialLoss = Number.NaN;
  let doc: GraphDoc | null = null;
  let probe: Probe | null = null;
  let activationFns: ReadonlyMap<string, ActivationFn> = new Map();
  let epochsTotal = 1;
  let running = false;
  let loop = 0;
  const last = { speedT: 0, speedSamples: 0 };
  /** Since Start: when it was pressed and the time spent inside training steps (what the CLI times). */
  const busy = { since: 0, stepMs: 0 };
  const looks = createLooks(env.now);
  let samplesPerSecond = 0;
  let datasetKey = '';
  let dataset: Dataset | null = null;
  let mnist: MnistData | null = null;
  let queue = Promise.resolve();
  let pendingEpochs: EpochMetrics[] = [];
  let epochSinceWeights = false;
  let guard: DivergenceGuard | null = null;
  let pace: Pace = 'full';
  /** The test image whose feature maps are shown (of those the output view shows). */
  let mapsSample = 0;
  /** At a paced speed: steps trained since `from` (ms); step k is due at from + k / rate. */
  const pacing = { from: 0, steps: 0 };
  const timeline = createTimeline();
  let timelineChanged = false;
  /** The run this worker trains (the client's id) and its step count: `total` steps since the model was
   * built, `base` of them taken before this run began (a branch rewinds `total` to its snapshot's). */
  let runId = 0;
  let total = 0;
  let base = 0;

  /** Every message leaves stamped with the run and the step its numbers belong to. */
  const post = (m: WorkerReport, step = total - base) => env.post({ ...m, runId, step } as FromWorker);

  /** The current weights on both splits: what a paused run's loss, chart text and confusion agree with. */
  const evaluation = (t: Trainer): Evaluation => {
    const e = t.evaluate();
    return {
      trainLoss: e.trainLoss,
      testLoss: e.testLoss,
      ...(e.trainAccuracy !== undefined ? { trainAccuracy: e.trainAccuracy } : {}),
      ...(e.testAccuracy !== undefined ? { testAccuracy: e.testAccuracy } : {}),
    };
  };

  const progress = (loss?: number): Progress => ({
    epoch: trainer?.epoch ?? 0,
    batch: trainer?.batch ?? 0,
    batchesPerEpoch: trainer?.batchesPerEpoch ?? 0,
    epochsTotal,
    samples: trainer?.samples ?? 0,
    // NOTE: a restored run has trained samples but no last batch yet: it shows its evaluated loss.
    loss:
      loss ?? (trainer && trainer.samples > 0 && Number.isFinite(trainer.lastLoss) ? trainer.lastLoss : initialLoss),
    learningRate: trainer?.optimizer.learningRate ?? 0,
    samplesPerSecond,
    stepShare: running && env.now() > busy.since ? Math.min(1, busy.stepMs / (env.now() - busy.since)) : 0,
    running,
    threads: trainer?.model.threads ?? 1,
  });

  const postWeights = () => {
    if (trainer)
      post({ type: 'weights', weights: encodeWeights(modelState(trainer.model)), snapshot: trainer.snapshot() });
  };

  // NOTE: a CNN's evaluation of the whole training split takes seconds; the client restarts a worker
  // that says nothing for 6 s, so a long evaluation says it is alive (at most twice a second).
  let lastAlive = 0;
  const alive = () => {
    const t = performance.now();
    if (t - lastAlive < 500) return;
    lastAlive = t;
    post({ type: 'alive' });
  };

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
    const model = compile(parsed, { inputShape: dataset.inputShape, targetShape: dataset.targetShape, threads });
    trainer = createTrainer(parsed, dataset, { model, onEvaluateChunk: alive });
    if (resume && parsed.weights) trainer.restore(resume);
    doc = parsed;
    probe = makeProbe(dataset, model.info.step.bytesPerSample);
    activationFns = new Map(parsed.nodes.flatMap((n) => (n.type === 'activation' ? [[n.id, n.data.fn]] : [])));
    // NOTE: a run trained past its document's epochs (a Compare variant) is done, not "epoch 300 / 200".
    epochsTotal = Math.max(parsed.training.epochs, trainer.epoch);
    samplesPerSecond = 0;
    const start = evaluation(trainer);
    initialLoss = start.trainLoss;
    guard = createDivergenceGuard(trainer, initialLoss);
    total = 0;
    base = 0;
    timeline.clear();
    timeline.record(trainer.epoch, total, modelState(trainer.model));
    timelineChanged = true;
    post({
      type: 'ready',
      task: dataset.task,
      batchesPerEpoch: trainer.batchesPerEpoch,
      initialLoss,
      progress: progress(),
      kernels: getKernels().name,
    });
    // NOTE: a continued run brings its loss curve back.
    if (resume && parsed.weights && trainer.history.length > 0) post({ type: 'epochs', metrics: [...trainer.history] });
    if (guard.stopped) post({ type: 'diverged', report: guard.stopped });
    report(true, start);
  };

  /** The output view (the confusion matrix with it when `withConfusion`) and the feature maps, at time `t`. */
  const postOutput = (tr: Trainer, t: number, withConfusion: boolean) => {
    looks.mark('output', t);
    const [view, maps] = looks.take(withConfusion ? 'confusion' : 'output', t, () => [
      outputView(tr, withConfusion),
      featureMaps(tr, mapsSample),
    ]);
    if (view) post({ type: 'output', view });
    if (maps) post({ type: 'maps', maps });
  };

  /**
   * Posts what is due; `force`: everything now (an evaluation too unless running, `known` when just
   * computed); `output: false` when the output view of these weights was just posted.
   */
  const report = (force: boolean, known?: Evaluation, output = true) => {
    if (!trainer || !doc || !probe) return;
    const tr = trainer;
    const pr = probe;
    const t = env.now();
    if (running && t - last.speedT >= 250) {
      if (last.speedT > 0) {
        const rate = ((tr.samples - last.speedSamples) * 1000) / (t - last.speedT);
        samplesPerSecond = samplesPerSecond === 0 ? rate : 0.7 * samplesPerSecond + 0.3 * rate;
      }
      last.speedT = t;
      last.speedSamples = tr.samples;
    }
    const every = reportIntervals(pace, doc.nodes.length);
    const spaced = running && STEPS_PER_SECOND[pace] === null;
    const due = (kind: LookKind, interval: number) => force || looks.due(kind, t, interval, spaced);
    if (due('progress', every.progress)) {
      looks.mark('progress', t);
      guard?.checkpoint();
      if (pendingEpochs.length > 0) {
        post({ type: 'epochs', metrics: pendingEpochs });
        pendingEpochs = [];
      }
      // NOTE: a run that stands still shows the loss of the weights it stands at (the whole training
      // split), so every view agrees; while running, the last batch's.
      const evaluated = force && !running ? (known ?? evaluation(tr)) : undefined;
      if (evaluated) post({ type: 'progress', progress: progress(evaluated.trainLoss), evaluation: evaluated });
      else post({ type: 'progress', progress: progress() });
      if (timelineChanged) {
        timelineChanged = false;
        post({ type: 'timeline', epochs: timeline.epochs(), bytes: timeline.bytes });
      }
    }
    if (due('stats', every.stats)) {
      const withWeights = due('heatmap', every.heatmap);
      if (withWeights) looks.mark('heatmap', t);
      const nodes = looks.take('stats', t, () => computeNodeStats(tr, pr, withWeights, activationFns));
      post({ type: 'stats', nodes });
    }
    if (output && due('output', every.output)) {
      // NOTE: the confusion matrix predicts the whole test split: with every forced report, else once a second.
      postOutput(tr, t, force || !running || looks.due('confusion', t, CONFUSION_MS, spaced));
    }
    // NOTE: weights are the crash-recovery snapshot: taken every 2 s, and at epoch ends (≥ 0.5 s apart).
    if (due('weights', WEIGHTS_MS) || (epochSinceWeights && looks.due('weights', t, 500, false))) {
      epochSinceWeights = false;
      looks.take('weights', t, postWeights);
    }
  };

  /** Trains one batch; false when that stopped training (a divergence, posted). */
  const trainOne = (t: Trainer, g: DivergenceGuard): boolean => {
    const before = env.now();
    const r = t.trainStep();
    busy.stepMs += env.now() - before;
    // NOTE: a step that diverged rolled the weights back: still a new step (the weights changed).
    total++;
    const stopped = g.check(r);
    if (stopped) {
      running = false;
      post({ type: 'diverged', report: stopped });
      return false;
    }
    if (r.epochEnded) {
      pendingEpochs.push({ ...r.epochEnded });
      if (timeline.record(t.epoch, total, modelState(t.model))) timelineChanged = true;
      epochSinceWeights = true;
    }
    return true;
  };

  /** After a divergence nothing trains until the optimizer changes (or a reset): says so again. */
  const stillStopped = (): boolean => {
    if (!guard?.stopped) return false;
    running = false;
    post({ type: 'diverged', report: guard.stopped });
    report(true);
    return true;
  };

  const startPacing = () => {
    pacing.from = env.now();
    pacing.steps = 0;
  };

  const run = (id: number) => {
    if (!running || id !== loop || !trainer || !guard) return;
    const rate = STEPS_PER_SECOND[pace];
    const start = env.now();
    // At full speed: as many steps as fit in a slice. Paced: the steps due by now (the first at once).
    let budget = Number.POSITIVE_INFINITY;
    let behind = false;
    if (rate !== null) {
      const due = Math.floor(((start - pacing.from) * rate) / 1000) + 1 - pacing.steps;
      const most = Math.max(1, Math.ceil(rate * CATCH_UP_SECONDS));
      behind = due > most;
      budget = Math.min(due, most);
    }
    let done = 0;
    while (done < budget && env.now() - start < SLICE_MS) {
      if (!trainOne(trainer, guard)) {
        report(true);
        return;
      }
      done++;
      if (trainer.epoch >= epochsTotal) {
        running = false;
        // NOTE: the final weights' output view (a CNN's confusion matrix takes seconds) before 'done', so
        // Done never stands beside an earlier step's view; 'done' carries where the run ended (the final
        // progress comes after it too, running: false; see the session test). The weights go after
        // 'done': posted before it, the page hung after a run at full speed (truth.spec, full pace).
        postOutput(trainer, env.now(), true);
        post({ type: 'done', progress: progress() });
        report(true, undefined, false);
        return;
      }
    }
    if (done > 0) report(false);
    if (rate === null) {
      env.schedule(() => run(id));
      return;
    }
    pacing.steps += done;
    // NOTE: a worker that fell behind (a big model, a busy machine) forgets its debt rather than burst.
    if (behind || done < budget) {
      pacing.from = env.now();
      pacing.steps = 1;
    }
    const nextDue = pacing.from + (pacing.steps * 1000) / rate;
    env.schedule(() => run(id), Math.max(TICK_MS, nextDue - env.now()));
  };

  /** Continues from the timeline's snapshot at `epoch` as run `next`: its weights, fresh optimizer moments. */
  const branch = (epoch: number, next: number) => {
    const snap = timeline.at(epoch);
    if (!trainer || !snap) return;
    const state = modelState(trainer.model);
    for (const [key, values] of snap.values) state.get(key)?.data.set(values);
    const rows = trainer.dataset.train.x.shape[0] as number;
    // NOTE: the branch starts with fresh optimizer moments (the snapshot keeps weights only).
    trainer.optimizer.resetState();
    trainer.restore({
      epoch: snap.epoch,
      samples: snap.epoch * rows,
      optimizer: trainer.snapshot().optimizer,
      history: trainer.history.filter((h) => h.epoch <= snap.epoch),
    });
    guard = createDivergenceGuard(trainer, initialLoss);
    timeline.truncateAfter(snap.epoch);
    timelineChanged = true;
    pendingEpochs = [];
    runId = next;
    total = snap.step;
    base = snap.step;
    post({ type: 'branched', epoch: snap.epoch });
    report(true);
  };

  const handleNow = async (m: ToWorker) => {
    if (m.type === 'load') {
      running = false;
      // NOTE: from here on every message (a compile error too) belongs to the new run.
      runId = m.runId;
      total = 0;
      base = 0;
      // NOTE: the old model's helper thread goes back to the pool for the new one.
      trainer?.model.release?.();
      trainer = null;
      doc = null;
      await build(m.doc, m.resetWeights, m.resume);
      return;
    }
    if (m.type === 'setThreads') {
      threads = m.threads;
      trainer?.model.setThreads?.(threads);
      return;
    }
    if (m.type === 'setPace') {
      pace = m.pace;
      startPacing();
      // NOTE: a pending slow tick (up to a second away) must not hold back the new pace.
      if (running) {
        loop++;
        run(loop);
      }
      return;
    }
    if (!trainer || !doc) return;
    switch (m.type) {
      case 'start':
        if (stillStopped()) break;
        if (trainer.epoch >= epochsTotal) epochsTotal = trainer.epoch + doc.training.epochs;
        running = true;
        last.speedT = 0;
        busy.since = env.now();
        busy.stepMs = 0;
        startPacing();
        loop++;
        run(loop);
        break;
      case 'pause':
        running = false;
        report(true);
        break;
      case 'step':
      case 'epoch': {
        running = false;
        if (stillStopped() || !guard) break;
        while (trainOne(trainer, guard) && m.type === 'epoch' && trainer.batch !== 0);
        report(true);
        break;
      }
      case 'setOptimizer':
        // NOTE: the trainer lifts its own NaN stop here; the guard lifts an explosion's.
        trainer.setOptimizer(m.config);
        guard?.clear();
        report(true);
        break;
      case 'setWeightDecay':
        trainer.setWeightDecay(m.value);
        break;
      case 'setEpochs':
        epochsTotal = m.value;
        report(true);
        break;
      case 'snapshot':
        postWeights();
        break;
      case 'scrub': {
        running = false;
        const snap = timeline.at(m.epoch);
        if (!snap || !probe) break;
        const t = trainer;
        const p = probe;
        const [nodes, view, maps, evaluated] = withParams(modelState(t.model), snap.values, () => [
          computeNodeStats(t, p, true, activationFns),
          outputView(t, true),
          featureMaps(t, mapsSample),
          evaluation(t),
        ]);
        post({ type: 'scrubView', epoch: snap.epoch, nodes, view, maps, evaluation: evaluated }, snap.step - base);
        break;
      }
      case 'branch':
        running = false;
        branch(m.epoch, m.runId);
        break;
      case 'gradcheck':
        running = false;
        if (probe) post(checkGradients(trainer, doc, probe, env.now));
        break;
      case 'trace':
        running = false;
        post(traceOne(trainer, m.sample));
        break;
      case 'setMapsSample': {
        mapsSample = m.sample;
        // NOTE: running, the next output look brings them; standing, at once (of the weights standing).
        const maps = running ? null : featureMaps(trainer, mapsSample);
        if (maps) post({ type: 'maps', maps });
        break;
      }
    }
  };

  return {
    handle(message) {
      // NOTE: loading is async (MNIST); later messages wait for it, in order.
      queue = queue
        .then(() => handleNow(message))
        .catch((e: unknown) => {
          running = false;
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

/** A model's parameters and buffers (BatchNorm's running statistics): what its weights are, saved and restored together. */
function modelState(model: Model): Map<string, Tensor> {
  return new Map([...model.params, ...model.buffers]);
}
