// The WebAssembly memory the kernels work in, with a small allocator. A model whose parameters,
// gradients and activations are allocated here (views into this memory) runs its matrix products
// and convolutions in place: nothing is copied into or out of WebAssembly per step.
// NOTE: only a shared memory (SharedArrayBuffer: Node, cross-origin isolated pages) keeps its
// views valid when it grows; growing a plain memory detaches every view. So models live here only
// when the arena is shared; a plain arena holds nothing but the kernels' own scratch space, which
// they look up again after every growth.
import { SHARED_MAX_PAGES } from './kernels.generated.ts';

/** Floats between blocks' starts: 4 (16 bytes) keeps every block aligned for v128 loads. */
const ALIGN = 4;
/** Floats kept free past the highest block: the kernels' 4-row tiles may read a little beyond an operand. */
const SLACK = 64;

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
  let heap = new Float32Array(memory.buffer);
  /** Every buffer object this memory has handed out (a shared memory hands out a new one per growth). */
  const buffers: ArrayBufferLike[] = [memory.buffer];
  const sizes = new Map<number, number>();
  // Free blocks below `top`, sorted by offset, neighbours merged.
  const freeStart: number[] = [];
  const freeSize: number[] = [];
  let top = 0;
  let used = 0;

  const ensure = (floats: number) => {
    const bytes = floats * 4;
    if (memory.buffer.byteLength < bytes) {
      memory.grow(Math.ceil((bytes - memory.buffer.byteLength) / 65536));
      heap = new Float32Array(memory.buffer);
      buffers.push(memory.buffer);
    }
  };

  return {
    memory,
    shared,
    get heap() {
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
        ensure(top + size + SLACK);
        offset = top;
        top += size;
      }
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
      if (freeStart[i]! + freeSize[i]! === top) {
        top = freeStart[i]!;
        freeStart.splice(i, 1);
        freeSize.splice(i, 1);
      }
    },
    view(offset, floats) {
      return new Float32Array(memory.buffer, offset * 4, floats);
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
