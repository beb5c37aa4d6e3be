// Training's interfaces: the Trainer (train/trainer.ts), what a step and an epoch report, a run's
// summary and its snapshot to continue from, and the gradient check's results (train/gradcheck.ts).
// Public through engine/index.ts.
import type { Model, NonFiniteReport } from '../compiler/types.ts';
import type { Dataset, Task } from '../datasets/types.ts';
import type { OptimizerConfig } from '../format/types.ts';
import type { Optimizer } from '../optim/optimizers.ts';
import type { Tensor } from '../tensor.ts';

/** The summary of a run: `nodegrad train --json` prints it (with timings); lesson checks read it. */
export interface RunSummary {
  /** Epochs trained. */
  epochs: number;
  /** Loss on the whole training split with the final parameters. */
  loss: number;
  testLoss?: number | undefined;
  /** Classification only. */
  trainAccuracy?: number | undefined;
  testAccuracy?: number | undefined;
}

/** Metrics after one epoch (accuracies only for classification tasks). */
export interface EpochMetrics {
  /** 1-based number of the epoch just completed. */
  epoch: number;
  /** Mean training loss over the epoch's batches. */
  trainLoss: number;
  testLoss: number;
  /** Running accuracy on the epoch's training batches, each predicted just before its update. */
  trainAccuracy?: number;
  testAccuracy?: number;
  /** Wall time of the epoch's training steps, seconds. */
  seconds: number;
}

export interface StepResult {
  /** Loss of the batch just trained (before the update). */
  loss: number;
  /** Epochs completed so far. */
  epoch: number;
  /** Batches completed in the current epoch (0 right after an epoch ends). */
  batch: number;
  /** Samples trained on since the start. */
  samples: number;
  /** Set when this step completed an epoch. */
  epochEnded: EpochMetrics | null;
  /** Set when the loss or a gradient was NaN/Inf: the update was skipped, parameters are the last finite ones. */
  nonFinite: NonFiniteReport | null;
}

/** What a trainer's data and network are, for whoever shows the results. */
export interface TrainerInfo {
  /** The node whose output feeds the loss's `pred` (after a fused softmax/sigmoid). */
  predictionNode: string;
  task: Task;
  /** Per-sample image layout when the inputs are images (MNIST: 28×28×1); null otherwise. */
  image: { height: number; width: number; channels: number } | null;
  /** Features per sample (product of the input shape) and outputs per sample. */
  inputSize: number;
  outputSize: number;
}

/** Optimizer state for saving and restoring a run (momentum / Adam moments and the step count). */
export interface OptimizerState {
  step: number;
  /** Per parameter key: first and second moments (empty arrays where the optimizer keeps none). */
  slots: Map<string, { m: Float32Array; v: Float32Array }>;
}

/** What a run needs besides its weights to continue where it was (autosave, reload). */
export interface TrainingSnapshot {
  /** Epochs completed and samples trained on. */
  epoch: number;
  samples: number;
  optimizer: OptimizerState;
  /** Per-epoch metrics so far, thinned to at most SNAPSHOT_HISTORY entries (oldest thinned first). */
  history?: EpochMetrics[] | undefined;
}

/** Mini-batch training of one compiled model on one dataset (engine/train). */
export interface Trainer {
  readonly model: Model;
  readonly dataset: Dataset;
  readonly info: TrainerInfo;
  readonly batchesPerEpoch: number;
  readonly batchSize: number;
  /** Epochs completed. */
  readonly epoch: number;
  /** Batches completed in the current epoch. */
  readonly batch: number;
  /** Samples trained on since the start. */
  readonly samples: number;
  /** Loss of the last batch trained; NaN before the first step. */
  readonly lastLoss: number;
  /** Per-epoch metrics so far. */
  readonly history: readonly EpochMetrics[];
  /** Set after a NaN/Inf: training is stopped until the optimizer changes. */
  readonly nonFinite: NonFiniteReport | null;
  /** The run's optimizer: its settings, and `resetState()` to forget its moments (a rollback, a branch). */
  readonly optimizer: Pick<Optimizer, 'config' | 'learningRate' | 'resetState'>;
  /** Trains one mini-batch. */
  trainStep(): StepResult;
  /**
   * trainStep on two threads by messages where the model has them (Model.threadsBy 'messages'),
   * else trainStep resolved at once. NOTE: nothing else may touch the trainer until it resolves.
   */
  trainStepAsync(): Promise<StepResult>;
  /** Trains until the current epoch ends (or a non-finite value stops it). */
  trainEpoch(): StepResult;
  /** Loss and accuracy of the current parameters on the full train and test splits. */
  evaluate(): Omit<EpochMetrics, 'epoch' | 'seconds'>;
  /** Predictions for any number of rows, in chunks; writes into `out` when given. */
  predictAll(x: Tensor, out?: Float32Array): Float32Array;
  setLearningRate(learningRate: number): void;
  /** Takes a whole new optimizer config (momentum, β1, β2, ε…); the state carries over where it fits. */
  setOptimizer(config: OptimizerConfig): void;
  /** Sets the L2 weight decay on weights. */
  setWeightDecay(weightDecay: number): void;
  /** The optimizer state and counters (copies), to continue the run elsewhere with the same weights. */
  snapshot(): TrainingSnapshot;
  /** Continues a run from a snapshot: counters and optimizer moments (parameters whose size differs start fresh).
   * The next step begins a new epoch. */
  restore(snapshot: TrainingSnapshot): void;
}

/** Options of gradientCheck. */
export interface GradientCheckOptions {
  /** Entries checked per parameter, a seeded sample (all of a smaller parameter); default 20. */
  entriesPerParam?: number;
  /** Seed of the sample; default 1. */
  seed?: number;
}

/** One parameter's result: its entries' analytic gradient against the float64 numerical one. */
export interface ParamGradientCheck {
  /** "<nodeId>.<name>", as in Model.params. */
  key: string;
  nodeId: string;
  /** Entries compared. */
  checked: number;
  /** Largest |a − n| / max(|a|, |n|, 1e-6) over them (Infinity when a value is NaN). */
  maxRelError: number;
  /** The entry with that error (flat index into the parameter); index −1 when none was compared. */
  worst: { index: number; analytic: number; numeric: number };
  /** Entries whose ±step moved a relu/leaky-relu input across 0: differenced on the smooth side only. */
  oneSided: number;
  /** Entries with a kink on both sides of the step: not compared. */
  skipped: number;
}

/** Result of gradientCheck. */
export interface GradientCheck {
  params: ParamGradientCheck[];
  /** Largest relative error over all parameters. */
  maxRelError: number;
  /** The model's loss on the batch (float32) and the float64 reference's, with the same dropout masks. */
  loss: number;
  referenceLoss: number;
}
