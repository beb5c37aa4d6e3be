// What both kinds of two-thread step share (shared memory: threads.ts; messages: messages.ts): where
// a batch splits between the training thread and its helper, their mean loss, adding the helper's
// parameter gradients to ours, and how long the training thread waits for its helper.
import { simdScaleAdd } from '../kernels/elementwise.ts';

/** How long the training thread waits for its helper before giving up on it. */
export const HELPER_TIMEOUT_MS = 60_000;

/** Rows of a batch of `rows` the helper takes (the last ones); 0 for a batch of 1. */
export const helperRows = (rows: number): number => rows >> 1;

/** The batch's mean loss from the halves' means (the training thread's `first` rows, the helper's `second`). */
export const meanOfHalves = (first: number, lossOwn: number, second: number, lossHelper: number): number =>
  (first * lossOwn + second * lossHelper) / (first + second);

/** grads += theirs over the first `n` floats (the loss's gradient was scaled for the whole batch in both halves). */
export function addGradients(grads: Float32Array, theirs: Float32Array, n = grads.length): void {
  for (let i = simdScaleAdd(grads, theirs, n, 1, 1); i < n; i++)
    grads[i] = (grads[i] as number) + (theirs[i] as number);
}
