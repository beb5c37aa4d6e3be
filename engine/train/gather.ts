// Copies a batch's rows, in the epoch's shuffled order, from a dataset split into the trainer's batch
// buffers without allocating per step. Where models live in the shared WebAssembly arena, the split
// is copied there once (one copy per split, kept while the split lives) and each row is one
// memory.copy inside that memory (step.wat copy: an MNIST batch in ≈ 55 µs of a ≈ 700 µs step, where
// a TypedArray's copyWithin on the shared memory took 100–120 µs); elsewhere rows come from views of
// the split made once.
// Splits are read-only once made (the resident copy is taken at the first gather).
// NOTE: the first version made two subarray views per row per step (an MNIST batch of 100: ≈ 20 KB
// of garbage a step).
import { getStepKernels } from '../kernels/backend.ts';
import { type Arena, sharedArena } from '../kernels/wasm/arena.ts';

/** Splits larger than this are not copied into the arena (their rows come through views instead). */
export const RESIDENT_MAX_BYTES = 256 * 1024 * 1024;
/** Rows shorter than this are copied float by float (a view per row would outweigh the row). */
const VIEW_MIN_FLOATS = 16;

/** Float offsets of splits' copies in the arena, by split. */
const resident = new WeakMap<Float32Array, number>();
/** Per-row views of splits, by split. */
const rowViews = new WeakMap<Float32Array, Float32Array[]>();
const freeResident =
  typeof FinalizationRegistry === 'undefined'
    ? null
    : new FinalizationRegistry<{ arena: Arena; at: number }>(({ arena, at }) => arena.free(at));

/** Where the rows of `data` can be read inside the arena (a copy made on first use), or -1. */
function residentAt(arena: Arena, data: Float32Array): number {
  const own = arena.offsetOf(data);
  if (own >= 0) return own;
  let at = resident.get(data);
  if (at === undefined) {
    if (data.byteLength > RESIDENT_MAX_BYTES) return -1;
    at = arena.alloc(data.length);
    arena.heap.set(data, at);
    resident.set(data, at);
    freeResident?.register(data, { arena, at });
  }
  return at;
}

/**
 * Copies rows order[start], order[start + 1], … (`rows` of them, `size` floats each) of `data` into
 * `dst` one after another.
 */
export function gatherRows(
  data: Float32Array,
  size: number,
  order: Uint32Array,
  start: number,
  rows: number,
  dst: Float32Array,
): void {
  const arena = sharedArena();
  const dstAt = arena ? arena.offsetOf(dst) : -1;
  const srcAt = arena && dstAt >= 0 ? residentAt(arena, data) : -1;
  if (arena && srcAt >= 0) {
    const simd = getStepKernels();
    if (simd?.arena === arena) {
      const bytes = size * 4;
      for (let r = 0; r < rows; r++)
        simd.step.copy((dstAt + r * size) * 4, (srcAt + (order[start + r] as number) * size) * 4, bytes);
      return;
    }
    const heap = arena.heap;
    for (let r = 0; r < rows; r++) {
      const from = srcAt + (order[start + r] as number) * size;
      heap.copyWithin(dstAt + r * size, from, from + size);
    }
    return;
  }
  if (size < VIEW_MIN_FLOATS) {
    for (let r = 0; r < rows; r++) {
      const from = (order[start + r] as number) * size;
      for (let j = 0; j < size; j++) dst[r * size + j] = data[from + j] as number;
    }
    return;
  }
  let views = rowViews.get(data);
  if (!views) {
    const n = Math.floor(data.length / size);
    views = Array.from({ length: n }, (_, i) => data.subarray(i * size, (i + 1) * size));
    rowViews.set(data, views);
  }
  for (let r = 0; r < rows; r++) dst.set(views[order[start + r] as number]!, r * size);
}
