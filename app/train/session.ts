// The training worker's logic as a plain object: messages in, messages out. The Worker file only
// wires it to `self`; tests drive it directly in Node.
import {
  argmaxRow,
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
  parseGraph,
  type Tensor,
  type Trainer,
  type TrainingSnapshot,
} from '../../engine/index.ts';
import type { FromWorker, OutputView, Progress, ToWorker } from './protocol.ts';
import { computeNodeStats, type Probe, makeProbe } from './sessionStats.ts';

export interface SessionEnv {
  post(message: FromWorker): void;
  loadMnist(): Promise<MnistData>;
  /** Runs `fn` soon, after pending messages (a macrotask). */
  schedule(fn: () => void): void;
  now(): number;
}

const SLICE_MS = 25;
const PROGRESS_MS = 50;
const STATS_MS = 100;
const OUTPUT_MS = 300;
const HEATMAP_MS = 500;
const WEIGHTS_MS = 2000;

export interface Session {
  handle(message: ToWorker): Promise<void>;
}

export function createSession(env: SessionEnv): Session {
  let trainer: Trainer | null = null;
  let initialLoss = Number.NaN;
  let doc: GraphDoc | null = null;
  let probe: Probe | null = null;
  let reluNodes: ReadonlySet<string> = new Set();
  let epochsTotal = 1;
  let running = false;
  let loop = 0;
  const last = { progress: 0, stats: 0, output: 0, heatmap: 0, weights: 0, speedT: 0, speedSamples: 0 };
  let samplesPerSecond = 0;
  let datasetKey = '';
  let dataset: Dataset | null = null;
  let mnist: MnistData | null = null;
  let queue = Promise.resolve();
  let pendingEpochs: EpochMetrics[] = [];
  let epochSinceWeights = false;

  const progress = (): Progress => ({
    epoch: trainer?.epoch ?? 0,
    batch: trainer?.batch ?? 0,
    batchesPerEpoch: trainer?.batchesPerEpoch ?? 0,
    epochsTotal,
    samples: trainer?.samples ?? 0,
    loss: trainer && trainer.samples > 0 ? trainer.lastLoss : initialLoss,
    learningRate: trainer?.optimizer.learningRate ?? 0,
    samplesPerSecond,
    running,
  });

  const postWeights = () => {
    if (trainer)
      env.post({ type: 'weights', weights: encodeWeights(trainer.model.params), snapshot: trainer.snapshot() });
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
    const model = compile(parsed, { inputShape: dataset.inputShape, targetShape: dataset.targetShape });
    trainer = createTrainer(parsed, dataset, { model });
    if (resume && parsed.weights) trainer.restore(resume);
    doc = parsed;
    probe = makeProbe(dataset, model.info.step.bytesPerSample);
    reluNodes = new Set(parsed.nodes.filter((n) => n.type === 'activation' && n.data.fn === 'relu').map((n) => n.id));
    epochsTotal = parsed.training.epochs;
    samplesPerSecond = 0;
    initialLoss = trainer.evaluate().trainLoss;
    env.post({
      type: 'ready',
      task: dataset.task,
      batchesPerEpoch: trainer.batchesPerEpoch,
      initialLoss,
      progress: progress(),
      kernels: getKernels().name,
    });
    report(true);
  };

  const report = (force: boolean) => {
    if (!trainer || !doc || !probe) return;
    const t = env.now();
    if (running && t - last.speedT >= 250) {
      if (last.speedT > 0) {
        const rate = ((trainer.samples - last.speedSamples) * 1000) / (t - last.speedT);
        samplesPerSecond = samplesPerSecond === 0 ? rate : 0.7 * samplesPerSecond + 0.3 * rate;
      }
      last.speedT = t;
      last.speedSamples = trainer.samples;
    }
    if (force || t - last.progress >= PROGRESS_MS) {
      last.progress = t;
      if (pendingEpochs.length > 0) {
        env.post({ type: 'epochs', metrics: pendingEpochs });
        pendingEpochs = [];
      }
      env.post({ type: 'progress', progress: progress() });
    }
    if (force || t - last.stats >= STATS_MS) {
      last.stats = t;
      const withWeights = force || t - last.heatmap >= HEATMAP_MS;
      if (withWeights) last.heatmap = t;
      env.post({ type: 'stats', nodes: computeNodeStats(trainer, probe, withWeights, reluNodes) });
    }
    if (force || t - last.output >= OUTPUT_MS) {
      last.output = t;
      const view = outputView(trainer, force || !running);
      if (view) env.post({ type: 'output', view });
    }
    // NOTE: weights are the crash-recovery snapshot: taken every 2 s, and at epoch ends (≥ 0.5 s apart).
    if (force || t - last.weights >= WEIGHTS_MS || (epochSinceWeights && t - last.weights >= 500)) {
      epochSinceWeights = false;
      last.weights = t;
      postWeights();
    }
  };

  const run = (id: number) => {
    if (!running || id !== loop || !trainer) return;
    const start = env.now();
    while (env.now() - start < SLICE_MS) {
      const r = trainer.trainStep();
      if (r.nonFinite) {
        running = false;
        env.post({ type: 'nonFinite', report: r.nonFinite });
        report(true);
        return;
      }
      if (r.epochEnded) {
        pendingEpochs.push({ ...r.epochEnded });
        epochSinceWeights = true;
      }
      if (trainer.epoch >= epochsTotal) {
        running = false;
        report(true);
        env.post({ type: 'done' });
        return;
      }
    }
    report(false);
    env.schedule(() => run(id));
  };

  const handleNow = async (m: ToWorker) => {
    if (m.type === 'load') {
      running = false;
      await build(m.doc, m.resetWeights, m.resume);
      return;
    }
    if (!trainer || !doc) return;
    switch (m.type) {
      case 'start':
        if (trainer.epoch >= epochsTotal) epochsTotal = trainer.epoch + doc.training.epochs;
        running = true;
        last.speedT = 0;
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
        const r = m.type === 'step' ? trainer.trainStep() : trainer.trainEpoch();
        if (r.epochEnded) pendingEpochs.push({ ...r.epochEnded });
        if (r.nonFinite) env.post({ type: 'nonFinite', report: r.nonFinite });
        report(true);
        break;
      }
      case 'reset':
        running = false;
        await build(doc, true);
        break;
      case 'setOptimizer':
        trainer.setOptimizer(m.config);
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
            env.post({
              type: 'error',
              message: first?.message ?? e.message,
              ...(first?.nodeId ? { nodeId: first.nodeId } : {}),
            });
          } else env.post({ type: 'error', message: e instanceof Error ? e.message : String(e) });
        });
      return queue;
    },
  };
}

const GRID = 40;
const DIGITS = 24;

function outputView(trainer: Trainer, withConfusion: boolean): OutputView | null {
  const d = trainer.dataset;
  const { inputSize: inSize, outputSize: outSize, image } = trainer.info;
  const train = d.train;
  const n = train.x.shape[0] as number;
  if (inSize === 2 && outSize === 1) {
    let [x0, x1, y0, y1] = [Infinity, -Infinity, Infinity, -Infinity];
    for (let i = 0; i < n; i++) {
      x0 = Math.min(x0, train.x.data[2 * i]!);
      x1 = Math.max(x1, train.x.data[2 * i]!);
      y0 = Math.min(y0, train.x.data[2 * i + 1]!);
      y1 = Math.max(y1, train.x.data[2 * i + 1]!);
    }
    const mx = (x1 - x0) * 0.15 || 0.5;
    const my = (y1 - y0) * 0.15 || 0.5;
    [x0, x1, y0, y1] = [x0 - mx, x1 + mx, y0 - my, y1 + my];
    const grid: Tensor = { shape: [GRID * GRID, 2], data: new Float32Array(GRID * GRID * 2) };
    for (let r = 0; r < GRID; r++)
      for (let c = 0; c < GRID; c++) {
        grid.data[2 * (r * GRID + c)] = x0 + ((c + 0.5) / GRID) * (x1 - x0);
        grid.data[2 * (r * GRID + c) + 1] = y1 - ((r + 0.5) / GRID) * (y1 - y0);
      }
    const count = Math.min(n, 600);
    return {
      kind: 'surface',
      size: GRID,
      x0,
      x1,
      y0,
      y1,
      grid: trainer.predictAll(grid),
      points: train.x.data.slice(0, 2 * count),
      labels: train.y.data.slice(0, count),
    };
  }
  if (inSize === 1 && outSize === 1) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < n; i++) {
      lo = Math.min(lo, train.x.data[i]!);
      hi = Math.max(hi, train.x.data[i]!);
    }
    const xs = Float32Array.from({ length: 120 }, (_, i) => lo + ((hi - lo) * i) / 119);
    const count = Math.min(n, 500);
    return {
      kind: 'curve',
      xs,
      ys: trainer.predictAll({ shape: [120, 1], data: xs }),
      sampleX: train.x.data.slice(0, count),
      sampleY: train.y.data.slice(0, count),
    };
  }
  if (image && image.channels === 1) {
    const test = d.test;
    const total = test.x.shape[0] as number;
    const shown = Math.min(DIGITS, total);
    const classes = outSize === 1 ? 2 : outSize;
    const label = (y: Float32Array, r: number) =>
      outSize === 1 ? ((y[r] as number) >= 0.5 ? 1 : 0) : argmaxRow(y, r, outSize);
    const images = new Uint8Array(shown * inSize);
    for (let i = 0; i < shown * inSize; i++) images[i] = Math.round(test.x.data[i]! * 255);
    const rows = withConfusion ? total : shown;
    const pred = trainer.predictAll({ shape: [rows, inSize], data: test.x.data.subarray(0, rows * inSize) });
    const labels = new Uint8Array(shown);
    const predicted = new Uint8Array(shown);
    for (let r = 0; r < shown; r++) {
      labels[r] = label(test.y.data, r);
      predicted[r] = label(pred, r);
    }
    let confusion: Int32Array | null = null;
    if (withConfusion) {
      confusion = new Int32Array(classes * classes);
      for (let r = 0; r < total; r++) {
        const k = label(test.y.data, r) * classes + label(pred, r);
        confusion[k] = (confusion[k] as number) + 1;
      }
    }
    return { kind: 'digits', images, labels, predicted, confusion, classes };
  }
  return null;
}
