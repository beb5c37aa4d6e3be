// Errors of a dataset that cannot be used as given (too many classes, values float32 cannot hold).
// They carry a problem code and params like every other problem, so the analysis reports them
// in the app's language and the CLI prints the same English message.
import { problemMessage } from '../nodes/index.ts';
import type { ProblemParams } from '../problems.ts';

/** Most distinct categories a categorical target may have (one output per class, one-hot rows). */
export const MAX_CLASSES = 1000;

/** Largest magnitude a float32 holds; datasets are stored as float32. */
export const FLOAT32_MAX = 3.4028234663852886e38;

/** Thrown by datasetShapes and loadDataset; `code` is a key of the problem texts ("dataset.…"). */
export class DatasetError extends Error {
  constructor(
    readonly code: string,
    readonly params: ProblemParams,
  ) {
    super(problemMessage(code, params));
    this.name = 'DatasetError';
  }
}
