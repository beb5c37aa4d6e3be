// The summary of a run that `nodegrad train --json` prints and that lesson checks read.
import type { RunSummary, Trainer } from './types.ts';
import { isClassification } from './metrics.ts';

/** Epochs trained, the loss on the whole training and test splits, and the accuracies for classification. */
export function runSummary(trainer: Trainer): RunSummary {
  const final = trainer.evaluate();
  const summary: RunSummary = { epochs: trainer.epoch, loss: final.trainLoss, testLoss: final.testLoss };
  if (isClassification(trainer.dataset.task)) {
    summary.trainAccuracy = final.trainAccuracy!;
    summary.testAccuracy = final.testAccuracy!;
  }
  return summary;
}
