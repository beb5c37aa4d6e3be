// A loaded dataset (engine/datasets): its task, per-sample shapes and seeded train/test split.
// Public through engine/index.ts.
import type { DatasetSpec } from '../format/types.ts';
import type { Tensor } from '../tensor.ts';

export type Task = 'binary' | 'multiclass' | 'regression';

export interface Split {
  x: Tensor;
  y: Tensor;
}

/** A loaded dataset with a seeded train/test split. */
export interface Dataset {
  spec: DatasetSpec;
  task: Task;
  /** Per-sample shapes (no batch axis). */
  inputShape: number[];
  targetShape: number[];
  train: Split;
  test: Split;
  /** Class names for classification (e.g. "0".."9", or CSV categories), in target column order. */
  classNames?: string[];
  /** Column names of the features (CSV, or ["x"] / ["x1", "x2"]). */
  featureNames: string[];
  /** Set when each sample is an image (MNIST: 28×28×1), for views that draw the inputs. */
  image?: { height: number; width: number; channels: number };
}
