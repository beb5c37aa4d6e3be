import type { Task } from '../datasets/types.ts';

/** True for tasks that report accuracy. */
export function isClassification(task: Task): boolean {
  return task !== 'regression';
}

/**
 * Number of rows whose prediction is right: argmax match for multiclass (one-hot targets),
 * p ≥ 0.5 vs t ≥ 0.5 for binary. `pred` and `target` are [rows × cols].
 */
export function countCorrect(task: Task, pred: Float32Array, target: Float32Array, rows: number, cols: number): number {
  let correct = 0;
  if (task === 'binary') {
    for (let i = 0, n = rows * cols; i < n; i++)
      if ((pred[i] as number) >= 0.5 === (target[i] as number) >= 0.5) correct++;
    return cols === 1 ? correct : correct / cols;
  }
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let best = 0;
    let want = 0;
    for (let j = 1; j < cols; j++) {
      if ((pred[o + j] as number) > (pred[o + best] as number)) best = j;
      if ((target[o + j] as number) > (target[o + want] as number)) want = j;
    }
    if (best === want) correct++;
  }
  return correct;
}

/** Index of the largest value in row `r`. */
export function argmaxRow(data: Float32Array, r: number, cols: number): number {
  let best = 0;
  for (let j = 1; j < cols; j++) if ((data[r * cols + j] as number) > (data[r * cols + best] as number)) best = j;
  return best;
}
