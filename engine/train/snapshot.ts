// A run's snapshot (counters, optimizer moments, loss history) comes back from browser storage, which
// another version of the app or a damaged record may have changed: checked before a trainer uses it.
import type { TrainingSnapshot } from './types.ts';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const isCount = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 0;

/**
 * What is wrong with a stored training snapshot ("optimizer.slots is not a Map"), or null when a
 * trainer can continue from it.
 *
 * @example
 * snapshotProblem({ epoch: 3, samples: 12, optimizer: { step: 3 } }); // 'optimizer.slots is not a Map'
 */
export function snapshotProblem(value: unknown): string | null {
  if (!isObject(value)) return 'it is not an object';
  if (!isCount(value.epoch)) return 'epoch is not a whole number';
  if (!isCount(value.samples)) return 'samples is not a whole number';
  const optimizer = value.optimizer;
  if (!isObject(optimizer)) return 'optimizer is missing';
  if (!isCount(optimizer.step)) return 'optimizer.step is not a whole number';
  if (!(optimizer.slots instanceof Map)) return 'optimizer.slots is not a Map';
  for (const [key, slot] of optimizer.slots)
    if (
      typeof key !== 'string' ||
      !isObject(slot) ||
      !(slot.m instanceof Float32Array) ||
      !(slot.v instanceof Float32Array)
    )
      return `optimizer.slots holds a damaged entry${typeof key === 'string' ? ` for '${key}'` : ''}`;
  if (value.history !== undefined) {
    if (!Array.isArray(value.history)) return 'history is not a list';
    const bad = value.history.findIndex((m) => !isObject(m) || !isCount(m.epoch) || typeof m.trainLoss !== 'number');
    if (bad >= 0) return `history[${bad}] is not an epoch's metrics`;
  }
  return null;
}

/** The snapshot, typed; throws an Error saying what is damaged. */
export function checkedSnapshot(value: unknown): TrainingSnapshot {
  const problem = snapshotProblem(value);
  if (problem) throw new Error(`The saved training state is damaged (${problem})`);
  return value as TrainingSnapshot;
}
