// The run's timeline: a copy of the parameters at epoch ends, within a memory budget. When the
// budget or the count is reached, every other snapshot goes and only every `stride`-th epoch is
// kept from then on, so the snapshots stay spread evenly over the whole run. Freed buffers are
// reused, so a long run stops allocating once the timeline is full.
import type { Tensor } from '../../engine/index.ts';

/** Bytes the snapshots may hold together (the worker's share of memory for the scrubber). */
export const TIMELINE_BUDGET_BYTES = 64 * 1024 * 1024;
/** The most snapshots kept (the scrubber's resolution). */
export const MAX_SNAPSHOTS = 400;

export interface Timeline {
  /** Copies the parameters as they are at the end of `epoch`, the worker's `step` (skipped between strides). */
  record(epoch: number, step: number, params: ReadonlyMap<string, Tensor>): boolean;
  /** Epochs with a snapshot, oldest first. */
  epochs(): number[];
  /** The snapshot at `epoch`, or the nearest earlier one; null before the first. */
  at(epoch: number): { epoch: number; step: number; values: ReadonlyMap<string, Float32Array> } | null;
  /** Forgets the snapshots after `epoch` (a branch continues from there). */
  truncateAfter(epoch: number): void;
  clear(): void;
  readonly bytes: number;
}

interface Snapshot {
  epoch: number;
  step: number;
  values: Map<string, Float32Array>;
}

export function createTimeline(budgetBytes = TIMELINE_BUDGET_BYTES, maxSnapshots = MAX_SNAPSHOTS): Timeline {
  let snapshots: Snapshot[] = [];
  let stride = 1;
  let bytes = 0;
  const pool: Map<string, Float32Array>[] = [];

  const sizeOf = (values: ReadonlyMap<string, Float32Array>) => {
    let n = 0;
    for (const v of values.values()) n += v.byteLength;
    return n;
  };

  const release = (s: Snapshot) => {
    bytes -= sizeOf(s.values);
    pool.push(s.values);
  };

  /** Drops every other snapshot (the first and the newest stay) and doubles the stride. */
  const thin = () => {
    const kept: Snapshot[] = [];
    snapshots.forEach((s, i) => {
      if (i % 2 === 0 || i === snapshots.length - 1) kept.push(s);
      else release(s);
    });
    snapshots = kept;
    stride *= 2;
  };

  const copy = (params: ReadonlyMap<string, Tensor>): Map<string, Float32Array> => {
    const reused = pool.pop();
    const out = new Map<string, Float32Array>();
    for (const [key, t] of params) {
      const old = reused?.get(key);
      const buffer = old && old.length === t.data.length ? old : new Float32Array(t.data.length);
      buffer.set(t.data);
      out.set(key, buffer);
    }
    return out;
  };

  return {
    record(epoch, step, params) {
      const last = snapshots[snapshots.length - 1];
      if (last && epoch <= last.epoch) return false;
      if (epoch % stride !== 0 && snapshots.length > 0) return false;
      let size = 0;
      for (const t of params.values()) size += t.data.byteLength;
      if (size > budgetBytes) return false;
      while (snapshots.length >= maxSnapshots || (snapshots.length > 1 && bytes + size > budgetBytes)) thin();
      const values = copy(params);
      snapshots.push({ epoch, step, values });
      bytes += size;
      return true;
    },
    epochs: () => snapshots.map((s) => s.epoch),
    at(epoch) {
      let found: Snapshot | null = null;
      for (const s of snapshots) if (s.epoch <= epoch) found = s;
      return found;
    },
    truncateAfter(epoch) {
      const kept = snapshots.filter((s) => s.epoch <= epoch);
      for (const s of snapshots) if (s.epoch > epoch) release(s);
      snapshots = kept;
    },
    clear() {
      for (const s of snapshots) release(s);
      snapshots = [];
      stride = 1;
      pool.length = 0;
    },
    get bytes() {
      return bytes;
    },
  };
}
