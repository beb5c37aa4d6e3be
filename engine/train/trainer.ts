// Mini-batch training of one model on one dataset: seeded per-epoch shuffles, batches gathered
// into preallocated buffers, epoch metrics, and a stop at the first NaN/Inf that keeps the last
// finite parameters.
import { Residency } from '../kernels/residency.ts';
import type { Model, NonFiniteReport } from '../compiler/types.ts';
import type { Dataset, Split } from '../datasets/types.ts';
import type { EpochMetrics, TrainingSnapshot, StepResult, Trainer, TrainerInfo } from './types.ts';
import { MAX_ACTIVATION_BYTES } from '../compiler/budget.ts';
import { compile } from '../compiler/compile.ts';
import { allFinite } from '../kernels/elementwise.ts';
import type { GraphDoc, OptimizerConfig } from '../format/types.ts';
import { createOptimizer, type Optimizer } from '../optim/optimizers.ts';
import { createRng, type Rng } from '../prng.ts';
import { sizeOf, type Tensor } from '../tensor.ts';
import { countCorrect, isClassification } from './metrics.ts';
import { gatherRows } from './gather.ts';
import { checkedSnapshot } from './snapshot.ts';

export interface TrainerOptions {
  /** Overrides training.seed (initialisation and shuffling). */
  seed?: number;
  /** A model compiled already (e.g. with saved weights); compiled from the document otherwise. */
  model?: Model;
  /** Threads each step runs on when the model is compiled here (CompileOptions.threads; default 'auto'). */
  threads?: number | 'auto';
  /**
   * Called after each chunk of an evaluation (a CNN's full-split evaluation can take seconds): a worker
   * says it is alive from here.
   */
  onEvaluateChunk?: () => void;
}

/** At most this many epochs of metrics travel in a snapshot (enough for the loss chart). */
export const SNAPSHOT_HISTORY = 1000;

/** Keeps at most `max` entries: every k-th of the older ones and the newest ones whole. */
export function thinHistory(history: readonly EpochMetrics[], max: number): EpochMetrics[] {
  if (history.length <= max) return history.map((m) => ({ ...m }));
  const recent = Math.floor(max / 2);
  const older = history.slice(0, history.length - recent);
  const step = Math.ceil(older.length / (max - recent));
  return [...older.filter((_, i) => i % step === 0), ...history.slice(history.length - recent)].map((m) => ({ ...m }));
}

/** Rows per forward pass when evaluating a whole split (fewer when a row's activations are large). */
const EVAL_CHUNK = 500;

interface Batch {
  x: Tensor;
  y: Tensor;
}

class MiniBatchTrainer implements Trainer {
  readonly model: Model;
  readonly info: TrainerInfo;
  readonly optimizer: Optimizer;
  readonly batchesPerEpoch: number;
  readonly batchSize: number;
  epoch = 0;
  /** Batches done in the current epoch. */
  batch = 0;
  samples = 0;
  readonly history: EpochMetrics[] = [];
  /** Set after a NaN/Inf: training is stopped until setLearningRate. */
  nonFinite: NonFiniteReport | null = null;
  private readonly rng: Rng;
  private readonly order: Uint32Array;
  private readonly full: Batch;
  private readonly partial: Batch | null;
  private backup: Float32Array[];
  /** Parameters at the last step whose loss was healthy (≤ 2 × the best so far): where a stop rolls back to. */
  private healthy: Float32Array[];
  private bestLoss = Number.POSITIVE_INFINITY;
  private readonly paramKeys: string[];
  private readonly paramTensors: Tensor[];
  /** The last step's result (reused between steps). */
  readonly result: StepResult;
  private readonly inSize: number;
  private readonly outSize: number;
  private epochLoss = 0;
  private epochCorrect = 0;
  private readonly predKey: string;
  private epochSeconds = 0;
  /** Rows per evaluation pass: EVAL_CHUNK, or as many as fit in the activation memory limit. */
  private readonly evalRows: number;
  private readonly onEvaluateChunk: (() => void) | undefined;

  private readonly memory = new Residency(this);
  constructor(
    readonly doc: GraphDoc,
    readonly dataset: Dataset,
    options: TrainerOptions = {},
  ) {
    const seed = options.seed ?? doc.training.seed;
    this.onEvaluateChunk = options.onEvaluateChunk;
    this.model =
      options.model ??
      compile(doc, {
        seed,
        inputShape: dataset.inputShape,
        targetShape: dataset.targetShape,
        threads: options.threads,
      });
    this.optimizer = createOptimizer(doc.training.optimizer, this.model.params, {
      weightDecay: doc.training.weightDecay,
      decayKeys: this.model.decayKeys,
    });
    // NOTE: shuffling has its own stream so it does not depend on how many numbers init drew.
    this.rng = createRng((seed ^ 0x9e3779b9) >>> 0);
    const n = dataset.train.x.shape[0] as number;
    this.inSize = sizeOf(dataset.inputShape);
    this.outSize = sizeOf(dataset.targetShape);
    this.batchSize = Math.max(1, Math.min(doc.training.batchSize, n));
    this.batchesPerEpoch = Math.ceil(n / this.batchSize);
    this.order = Uint32Array.from({ length: n }, (_, i) => i);
    this.full = this.makeBatch(this.batchSize);
    const rest = n % this.batchSize;
    this.partial = rest > 0 ? this.makeBatch(rest) : null;
    this.paramKeys = [...this.model.params.keys()];
    this.paramTensors = [...this.model.params.values()];
    this.backup = this.paramTensors.map((t) => new Float32Array(t.data.length));
    this.healthy = this.paramTensors.map((t) => Float32Array.from(t.data));
    this.result = { loss: Number.NaN, epoch: 0, batch: 0, samples: 0, epochEnded: null, nonFinite: null };
    this.predKey = this.model.info.predictionNode!;
    const perRow = Math.max(1, this.model.info.step.bytesPerSample);
    this.evalRows = Math.max(1, Math.min(EVAL_CHUNK, Math.floor(MAX_ACTIVATION_BYTES / perRow)));
    this.info = {
      predictionNode: this.predKey,
      task: dataset.task,
      image: dataset.image ?? null,
      inputSize: this.inSize,
      outputSize: this.outSize,
    };
  }

  get lastLoss(): number {
    return this.result.loss;
  }

  /** A batch buffer, in the WebAssembly arena where models live (so the first layer reads it in place). */
  private makeBatch(rows: number): Batch {
    const group = this.memory.group();
    return {
      x: { shape: [rows, ...this.dataset.inputShape], data: this.memory.floats(rows * this.inSize, group) },
      y: { shape: [rows, ...this.dataset.targetShape], data: this.memory.floats(rows * this.outSize, group) },
    };
  }

  private gather(batch: Batch, start: number): void {
    const { x, y } = this.dataset.train;
    const rows = batch.x.shape[0] as number;
    gatherRows(x.data, this.inSize, this.order, start, rows, batch.x.data);
    gatherRows(y.data, this.outSize, this.order, start, rows, batch.y.data);
  }

  trainStep(): StepResult {
    const batch = this.beforeStep();
    if (!batch) return this.result;
    const { loss, grads } = this.model.lossAndGrads(batch.x, batch.y);
    return this.afterStep(batch, loss, grads);
  }

  async trainStepAsync(): Promise<StepResult> {
    const batch = this.beforeStep();
    if (!batch) return this.result;
    const { loss, grads } = this.model.lossAndGradsAsync
      ? await this.model.lossAndGradsAsync(batch.x, batch.y)
      : this.model.lossAndGrads(batch.x, batch.y);
    return this.afterStep(batch, loss, grads);
  }

  /** When this step started (performance.now(), ms): the epoch's seconds count from here to afterStep's end. */
  private stepStarted = 0;

  /** A step's first part: a new epoch's shuffle, the batch gathered; null when a NaN/Inf stopped training. */
  private beforeStep(): Batch | null {
    this.result.epochEnded = null;
    if (this.nonFinite) return null;
    if (this.batch === 0) {
      this.rng.shuffle(this.order);
      this.epochLoss = 0;
      this.epochCorrect = 0;
      this.epochSeconds = 0;
    }
    this.stepStarted = performance.now();
    const start = this.batch * this.batchSize;
    const last = this.batch === this.batchesPerEpoch - 1 && this.partial;
    const batch = last ? this.partial! : this.full;
    this.gather(batch, start);
    return batch;
  }

  /** A step's second part, given the batch's loss and gradients: the update, its checks and the epoch's bookkeeping. */
  private afterStep(batch: Batch, loss: number, grads: Map<string, Tensor>): StepResult {
    const result = this.result;
    const rows = batch.x.shape[0] as number;
    result.loss = loss;
    if (!Number.isFinite(loss)) return this.stop(this.model.findNonFinite() ?? this.lossReport(loss));
    const params = this.paramTensors;
    for (let i = 0; i < params.length; i++) this.backup[i]!.set(params[i]!.data);
    this.optimizer.step(grads);
    // NOTE: one check after the update finds a NaN/Inf gradient too (any update with one gives a
    // non-finite parameter); only then is it worth telling the two apart.
    for (let i = 0; i < params.length; i++) {
      const p = params[i]!.data;
      if (!allFinite(p, p.length)) return this.stop(this.nonFiniteAfterUpdate(grads, i));
    }
    if (loss <= 2 * this.bestLoss) {
      // NOTE: the backup holds the parameters this loss was measured at; swapping buffers copies nothing.
      const previous = this.healthy;
      this.healthy = this.backup;
      this.backup = previous;
      this.bestLoss = Math.min(this.bestLoss, loss);
    }
    this.epochSeconds += (performance.now() - this.stepStarted) / 1000;
    this.epochLoss += loss * rows;
    if (isClassification(this.dataset.task)) {
      // NOTE: accuracy on the batch as it was predicted before the update (Keras' running accuracy):
      // it costs nothing, where re-evaluating the whole training split every epoch cost ≈ 40%.
      const pred = this.model.activations().get(this.predKey)!.data;
      this.epochCorrect += countCorrect(this.dataset.task, pred, batch.y.data, rows, this.outSize);
    }
    this.samples += rows;
    this.batch++;
    if (this.batch === this.batchesPerEpoch) {
      this.batch = 0;
      this.epoch++;
      const n = this.dataset.train.x.shape[0] as number;
      const evaluation = this.evaluateSplit(this.dataset.test);
      const metrics: EpochMetrics = {
        epoch: this.epoch,
        trainLoss: this.epochLoss / n,
        testLoss: evaluation.loss,
        seconds: this.epochSeconds,
      };
      if (isClassification(this.dataset.task)) {
        metrics.trainAccuracy = this.epochCorrect / n;
        metrics.testAccuracy = evaluation.accuracy;
      }
      this.history.push(metrics);
      result.epochEnded = metrics;
    }
    result.epoch = this.epoch;
    result.batch = this.batch;
    result.samples = this.samples;
    return result;
  }

  /** Why parameter `i` turned non-finite in the update: a NaN/Inf gradient (where from), or the update overflowed. */
  private nonFiniteAfterUpdate(grads: ReadonlyMap<string, Tensor>, i: number): NonFiniteReport {
    for (const key of this.paramKeys) {
      const g = grads.get(key)!.data;
      if (!allFinite(g, g.length)) return this.model.findNonFinite() ?? this.lossReport(this.result.loss);
    }
    const key = this.paramKeys[i]!;
    return {
      nodeId: key.slice(0, key.lastIndexOf('.')),
      where: 'parameter',
      message: `the update overflowed parameter ${key} to NaN/Infinity: lower the learning rate (${this.optimizer.learningRate})`,
    };
  }

  private lossReport(loss: number): NonFiniteReport {
    const lossNode = this.doc.nodes.find((n) => n.type === 'loss')!;
    return { nodeId: lossNode.id, where: 'loss', message: `the loss is ${loss}` };
  }

  /** Stops at a NaN/Inf: rolls back to the last healthy parameters (a diverging run's last finite ones are
   * useless: a lower learning rate would stop again at once) and forgets the optimizer's moments. */
  private stop(report: NonFiniteReport): StepResult {
    for (let i = 0; i < this.paramTensors.length; i++) this.paramTensors[i]!.data.set(this.healthy[i]!);
    this.optimizer.resetState();
    this.nonFinite = report;
    this.result.nonFinite = report;
    return this.result;
  }

  trainEpoch(): StepResult {
    for (;;) {
      const r = this.trainStep();
      if (r.epochEnded || r.nonFinite) return r;
    }
  }

  /** Loss and accuracy of the current parameters on one split, in chunks. */
  evaluateSplit(split: Split): { loss: number; accuracy: number } {
    const n = split.x.shape[0] as number;
    let lossSum = 0;
    let correct = 0;
    for (let start = 0; start < n; start += this.evalRows) {
      const rows = Math.min(this.evalRows, n - start);
      const x: Tensor = {
        shape: [rows, ...this.dataset.inputShape],
        data: split.x.data.subarray(start * this.inSize, (start + rows) * this.inSize),
      };
      const y: Tensor = {
        shape: [rows, ...this.dataset.targetShape],
        data: split.y.data.subarray(start * this.outSize, (start + rows) * this.outSize),
      };
      lossSum += this.model.loss(x, y) * rows;
      if (isClassification(this.dataset.task)) {
        const p = this.model.activations();
        const pred = p.get(this.predKey)!.data;
        correct += countCorrect(this.dataset.task, pred, y.data, rows, this.outSize);
      }
      this.onEvaluateChunk?.();
    }
    return { loss: lossSum / n, accuracy: correct / n };
  }

  evaluate(): Omit<EpochMetrics, 'epoch' | 'seconds'> {
    const train = this.evaluateSplit(this.dataset.train);
    const test = this.evaluateSplit(this.dataset.test);
    const out: Omit<EpochMetrics, 'epoch' | 'seconds'> = { trainLoss: train.loss, testLoss: test.loss };
    if (isClassification(this.dataset.task)) {
      out.trainAccuracy = train.accuracy;
      out.testAccuracy = test.accuracy;
    }
    return out;
  }

  /** Predictions for any number of rows, in chunks; writes into `out` when given. */
  predictAll(x: Tensor, out?: Float32Array): Float32Array {
    const n = x.shape[0] as number;
    const result = out ?? new Float32Array(n * this.outSize);
    for (let start = 0; start < n; start += this.evalRows) {
      const rows = Math.min(this.evalRows, n - start);
      const chunk: Tensor = {
        shape: [rows, ...this.dataset.inputShape],
        data: x.data.subarray(start * this.inSize, (start + rows) * this.inSize),
      };
      result.set(this.model.predict(chunk).data.subarray(0, rows * this.outSize), start * this.outSize);
    }
    return result;
  }

  setLearningRate(learningRate: number): void {
    this.optimizer.setLearningRate(learningRate);
    this.clearStop();
  }

  setOptimizer(config: OptimizerConfig): void {
    this.optimizer.setConfig(config);
    this.clearStop();
  }

  setWeightDecay(weightDecay: number): void {
    this.optimizer.setWeightDecay(weightDecay);
  }

  snapshot(): TrainingSnapshot {
    return {
      epoch: this.epoch,
      samples: this.samples,
      optimizer: this.optimizer.state(),
      history: thinHistory(this.history, SNAPSHOT_HISTORY),
    };
  }

  restore(saved: TrainingSnapshot): void {
    const snapshot = checkedSnapshot(saved);
    this.epoch = snapshot.epoch;
    this.samples = snapshot.samples;
    this.batch = 0;
    this.optimizer.restore(snapshot.optimizer);
    this.history.length = 0;
    if (snapshot.history) this.history.push(...snapshot.history);
  }

  /** A stop for NaN/Inf is lifted by a new learning rate or optimizer: the next step tries again. */
  private clearStop(): void {
    this.nonFinite = null;
    this.result.nonFinite = null;
  }
}

/**
 * @example
 * const trainer = createTrainer(doc, loadDataset(spec, { seed: 1 }));
 * while (trainer.epoch < 10) trainer.trainEpoch();
 */
export function createTrainer(doc: GraphDoc, dataset: Dataset, options: TrainerOptions = {}): Trainer {
  return new MiniBatchTrainer(doc, dataset, options);
}
