// Messages between `nodegrad sweep` (sweep.ts) and its worker threads (sweepWorker.ts).
import type { GraphDoc } from '../format/types.ts';

/** One run to train: a variant's document (its seed in training.seed) for `epochs` epochs. */
export interface SweepTask {
  index: number;
  doc: GraphDoc;
  epochs: number;
  /** Threads of the run's training step (CompileOptions.threads). */
  threads: number | 'auto';
}

/** What a finished run reports (accuracies only for classification). */
export interface SweepRunResult {
  loss: number;
  testLoss: number;
  trainAccuracy?: number;
  testAccuracy?: number;
  /** Wall time of this run in its worker: data, compile, training and evaluation. */
  seconds: number;
  epochs: number;
  /** Set when the run stopped at a NaN/Infinity (its losses are those of the last finite parameters). */
  stoppedAt?: { nodeId: string; message: string };
}

export type SweepWorkerMessage =
  | { type: 'ready' }
  | { type: 'epoch'; index: number; epoch: number }
  | { type: 'done'; index: number; result: SweepRunResult }
  /** The run could not start (its data or graph); `input` says it is the input's fault, not a bug. */
  | { type: 'failed'; index: number; message: string; input: boolean; stack?: string };
