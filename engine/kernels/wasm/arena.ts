// The WebAssembly memory the kernels work in, with a small allocator. A model whose parameters,
// gradients and activations are allocated here (views into this memory) runs its matrix products
// and convolutions in place: nothing is copied into or out of WebAssembly per step.
// NOTE: only a shared memory (SharedArrayBuffer: Node, cross-origin isolated pages) keeps its
// views valid when it grows; growing a plain memory detaches every view. So models live here only
// when the arena is shared; a plain arena holds nothing but the kernels' own scratch space, which
// they look up again after every growth.
// A shared arena may be used by several threads at once (a two-thread model's helper adopts the
// training thread's memory, so both read the same parameters): new blocks come from the top, an
// Int32 word at the start of the memory that every thread bumps atomically; each thread keeps its
// own free blocks. A thread sees another's growth when it next allocates, makes a view or reads heap.
import { SHARED_MAX_PAGES } from './kernels.generated.ts';

/** Floats between blocks' starts: 4 (16 bytes) keeps every block aligned for v128 loads. */
const ALIGN = 4;
/** Floats kept free past the highest block: the kernels' 4-row tiles may read a little beyond an operand. */
const SLACK = 64;
/** Floats at the start of a shared memory: its top (Int32 word 0) and its id (word 1); no block starts below. */
const HEADER = ALIGN;
let arenaIds = Math.floor(Math.random() * 0x7fffffff);

export interface Arena {
  readonly memory: WebAssembly.Memory;
  /** True when the memory is a SharedArrayBuffer: views stay valid as it grows, so models may live here. */
  readonly shared: boolean;
  /** The whole memory as floats, current after any growth. */
  readonly heap: Float32Array;
  /** Reserves `floats` floats (zeroed) and returns their offset in floats. */
  alloc(floats: number): number;
  /** Gives back a block alloc returned. */
  free(offset: number): void;
  /** A view of `floats` floats at `offset` (allocates a view object: for set-up, not per step). */
  view(offset: number, floats: number): Float32Array;
  /** The float offset of an array that is a view into this memory, or -1. */
  offsetOf(a: Float32Array): number;
  /** Floats in use (blocks alloc'ed and not freed), for tests. */
  readonly used: number;
}

const up = (n: number) => Math.ceil(n / ALIGN) * ALIGN;

/** An arena on a new memory, shared where the engine allows it; null when `shared` is asked and impossible. */
export function createArena(shared: boolean): Arena | null {
  let memory: WebAssembly.Memory;
  try {
    memory = shared
      ? new WebAssembly.Memory({ initial: 1, maximum: SHARED_MAX_PAGES, shared: true })
      : new WebAssembly.Memory({ initial: 1 });
  } catch {
    return null;
  }
  if (shared) {
    const header = new Int32Array(memory.buffer, 0, 2);
    header[0] = HEADER;
    header[1] = arenaIds++ | 0;
  }
  return arenaOn(memory, shared);
}

/** This thread's arena on another thread's shared memory (made by createArena(true)): blocks of both live side by side. */
export function adoptArena(memory: WebAssembly.Memory): Arena {
  if (!(memory.buffer instanceof SharedArrayBuffer)) throw new TypeError('adoptArena: the memory is not shared');
  return arenaOn(memory, true);
}

function arenaOn(memory: WebAssembly.Memory, shared: boolean): Arena {
  let heap = new Float32Array(memory.buffer);
  /** Every buffer object this memory has handed out (a shared memory hands out a new one per growth). */
  const buffers: ArrayBufferLike[] = [memory.buffer];
  /** The shared top (floats), or null for a plain memory (top is then `top`). */
  const topWord = shared ? new Int32Array(memory.buffer, 0, 1) : null;
  const sizes = new Map<number, number>();
  // This thread's free blocks below the top, sorted by offset, neighbours merged.
  const freeStart: number[] = [];
  const freeSize: number[] = [];
  let top = 0;
  let used = 0;

  /** Picks up a growth (this thread's or another's): a new buffer object means a longer memory. */
  const refresh = () => {
    const buffer = memory.buffer;
    if (buffer !== buffers[buffers.length - 1]) {
      heap = new Float32Array(buffer);
      buffers.push(buffer);
    }
  };
  const ensure = (floats: number) => {
    const bytes = floats * 4;
    // NOTE: another thread may grow the memory at the same time: grow until it is long enough.
    while (memory.buffer.byteLength < bytes) memory.grow(Math.ceil((bytes - memory.buffer.byteLength) / 65536));
    refresh();
  };
  /** Takes `size` floats from the top. */
  const bump = (size: number): number => {
    if (!topWord) {
      const at = top;
      top += size;
      return at;
    }
    return Atomics.add(topWord, 0, size);
  };
  /** Lowers the top to `start` if it still ends at `end`; false when another block lies above. */
  const lower = (start: number, end: number): boolean => {
    if (!topWord) {
      if (top !== end) return false;
      top = start;
      return true;
    }
    return Atomics.compareExchange(topWord, 0, end, start) === end;
  };

  return {
    memory,
    shared,
    get heap() {
      if (shared) refresh();
      return heap;
    },
    get used() {
      return used;
    },
    alloc(floats) {
      const size = up(Math.max(floats, 1));
      let offset = -1;
      for (let i = 0; i < freeStart.length; i++) {
        if (freeSize[i]! < size) continue;
        offset = freeStart[i]!;
        if (freeSize[i] === size) {
          freeStart.splice(i, 1);
          freeSize.splice(i, 1);
        } else {
          freeStart[i] = offset + size;
          freeSize[i] = freeSize[i]! - size;
        }
        break;
      }
      if (offset < 0) {
        offset = bump(size);
        ensure(offset + size + SLACK);
      } else refresh();
      heap.fill(0, offset, offset + size);
      sizes.set(offset, size);
      used += size;
      return offset;
    },
    free(offset) {
      const size = sizes.get(offset);
      if (size === undefined) throw new Error(`arena: no block at ${offset}`);
      sizes.delete(offset);
      used -= size;
      let i = 0;
      while (i < freeStart.length && freeStart[i]! < offset) i++;
      freeStart.splice(i, 0, offset);
      freeSize.splice(i, 0, size);
      if (i + 1 < freeStart.length && offset + size === freeStart[i + 1]) {
        freeSize[i] = freeSize[i]! + freeSize[i + 1]!;
        freeStart.splice(i + 1, 1);
        freeSize.splice(i + 1, 1);
      }
      if (i > 0 && freeStart[i - 1]! + freeSize[i - 1]! === offset) {
        freeSize[i - 1] = freeSize[i - 1]! + freeSize[i]!;
        freeStart.splice(i, 1);
        freeSize.splice(i, 1);
        i--;
      }
      if (lower(freeStart[i]!, freeStart[i]! + freeSize[i]!)) {
        freeStart.splice(i, 1);
        freeSize.splice(i, 1);
      }
    },
    view(offset, floats) {
      refresh();
      return new Float32Array(heap.buffer, offset * 4, floats);
    },
    offsetOf(a) {
      const buffer = a.buffer;
      for (let i = buffers.length - 1; i >= 0; i--) if (buffers[i] === buffer) return a.byteOffset >> 2;
      return -1;
    },
  };
}

let shared: Arena | null | undefined;

/**
 * The arena every model and the default kernels share on this thread: a shared memory where
 * SharedArrayBuffer is available (Node; pages that are cross-origin isolated), else null.
 */
export function sharedArena(): Arena | null {
  if (shared === undefined) shared = typeof SharedArrayBuffer === 'undefined' ? null : createArena(true);
  return shared;
}

/**
 * Makes another thread's shared memory this thread's arena (a helper thread, before anything here
 * runs a kernel or compiles a model): models then place their arrays beside that thread's.
 */
export function adoptSharedArena(memory: WebAssembly.Memory): Arena {
  // NOTE: each message brings a new Memory object for the same memory: the id in its header tells.
  const id = (m: WebAssembly.Memory) => new Int32Array(m.buffer, 0, 2)[1];
  if (shared && id(shared.memory) !== id(memory))
    throw new Error('adoptSharedArena: this thread already has another arena');
  shared ??= adoptArena(memory);
  return shared;
}
