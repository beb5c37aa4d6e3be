// Matrix products on the WebAssembly SIMD kernel (gemm.wat) in an arena's memory. Operands that
// already live in the arena (a resident model's parameters and activations) are read and written
// in place; others are copied into the kernel's scratch block with memcpy (TypedArray.set) and C is
// copied out. B is packed into 8-column panels inside wasm; the 4×8 register-tiled kernel reads A
// in place in either orientation (Aᵀ·B needs no transposing copy). Scratch grows to the largest
// product seen, then nothing is allocated.
import type { MatmulKernels } from '../backend.ts';
import { tsKernels } from '../matmul.ts';
import { type Arena, createArena, sharedArena } from './arena.ts';
import { instantiateKernels } from './instantiate.ts';

type Orientation = 'NN' | 'NT' | 'TN';

export interface SimdOptions {
  /** false: plain SIMD even where relaxed SIMD is supported. */
  relaxed?: boolean;
  /** The memory to work in (default: the shared arena where there is one, else a private one). */
  arena?: Arena;
}

/** The arena kernels use by default: the one resident models live in, else a private plain one. */
export function defaultArena(options: SimdOptions): Arena | null {
  return options.arena ?? sharedArena() ?? createArena(false);
}

/** A block of the arena that grows (freed and taken again) to the largest size asked for. */
export function scratchBlock(arena: Arena): (floats: number) => number {
  let base = -1;
  let capacity = 0;
  return (floats) => {
    if (floats > capacity) {
      if (base >= 0) arena.free(base);
      capacity = Math.max(floats, Math.ceil(capacity * 1.25));
      base = arena.alloc(capacity);
    }
    return base;
  };
}

/**
 * The SIMD kernels, or null where WebAssembly SIMD is not supported. Where relaxed SIMD is
 * supported too (Chrome 114+, Node 22+, or Node 20 with --experimental-wasm-relaxed-simd), the
 * kernel multiplies and adds in one fused step (`wasm-relaxed-simd-4x8`) unless `relaxed` is false.
 */
export function createSimdKernels(options: SimdOptions = {}): MatmulKernels | null {
  const arena = defaultArena(options);
  const wasm = arena && instantiateKernels(arena, options);
  if (!arena || !wasm) return null;
  const { gemm, pack } = wasm;
  const scratch = scratchBlock(arena);
  // Views of C's scratch region by length, so copying C out allocates nothing once warm.
  let views = new Map<number, Float32Array>();
  let viewsOf: ArrayBufferLike | null = null;
  let viewsAt = -1;
  const viewOf = (offset: number, length: number): Float32Array => {
    const heap = arena.heap;
    if (viewsOf !== heap.buffer || viewsAt !== offset || views.size > 64) {
      views = new Map();
      viewsOf = heap.buffer;
      viewsAt = offset;
    }
    let v = views.get(length);
    if (!v) {
      v = heap.subarray(offset, offset + length);
      views.set(length, v);
    }
    return v;
  };
  const copyIn = (src: Float32Array, length: number, offset: number) => {
    const heap = arena.heap;
    if (src.length === length) heap.set(src, offset);
    else for (let i = 0; i < length; i++) heap[offset + i] = src[i] as number;
  };

  const run = (
    o: Orientation,
    a: Float32Array,
    b: Float32Array,
    c: Float32Array,
    m: number,
    k: number,
    n: number,
    acc: boolean,
  ) => {
    if (k === 0) {
      if (!acc) c.fill(0, 0, m * n);
      return;
    }
    const m4 = (m + 3) & ~3;
    const n8 = (n + 7) & ~7;
    // NOTE: in place only where the 4×8 tiles fit exactly: the padded rows of a last partial tile
    // would read past A and write past C.
    const whole = m === m4;
    if (!whole && m > 4 && n === n8 && runMostlyInPlace(o, a, b, c, m, k, n, acc)) return;
    const aAt = whole ? arena.offsetOf(a) : -1;
    const bAt = arena.offsetOf(b);
    const cAt = whole && n === n8 ? arena.offsetOf(c) : -1;
    // Scratch (floats): C [m4 × n8] unless in place, A (+ 4 floats read by padded rows) unless in
    // place, B as given unless in place, then B in 8-column panels.
    const cSize = cAt < 0 ? m4 * n8 : 0;
    const aSize = aAt < 0 ? m4 * k + 4 : 0;
    const bSize = bAt < 0 ? k * n : 0;
    const base = scratch(cSize + aSize + bSize + n8 * k);
    const heap = arena.heap;
    const cOff = cAt < 0 ? base : cAt;
    const aOff = aAt < 0 ? base + cSize : aAt;
    const bOff = bAt < 0 ? base + cSize + aSize : bAt;
    const pOff = base + cSize + aSize + bSize;
    if (aAt < 0) {
      copyIn(a, m * k, aOff);
      // NOTE: rows past m only feed rows of C that are never copied out, but zeros keep denormals out.
      heap.fill(0, aOff + m * k, aOff + aSize);
    }
    if (bAt < 0) copyIn(b, k * n, bOff);
    // B(p, j) is b[p·n + j], or b[j·k + p] for Bᵀ. NOTE: packing pays even where B could be read in
    // place (n a multiple of 8): the kernel then streams contiguous panels (measured: 512³ +19%,
    // 784×128×256 Aᵀ·B +16%, 100×784×64 A·B −5%).
    if (o === 'NT') pack(bOff * 4, 4, k * 4, pOff * 4, k, n);
    else pack(bOff * 4, n * 4, 4, pOff * 4, k, n);
    const exact = n === n8 && c.length === m * n;
    if (acc && cAt < 0) {
      if (exact) heap.set(c, cOff);
      else for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) heap[cOff + i * n8 + j] = c[i * n + j] as number;
    }
    // A·B and A·Bᵀ read A row-major; Aᵀ·B reads the stored [k × m] matrix column by column.
    const ars = o === 'TN' ? 4 : k * 4;
    const acs = o === 'TN' ? m * 4 : 4;
    gemm(aOff * 4, ars, acs, pOff * 4, cOff * 4, n8 * 4, m4, k, n8 >> 3, acc ? 1 : 0);
    if (cAt >= 0) return;
    const cIn = arena.offsetOf(c);
    if (cIn >= 0) for (let i = 0; i < m; i++) heap.copyWithin(cIn + i * n, cOff + i * n8, cOff + i * n8 + n);
    else if (exact) c.set(viewOf(cOff, m * n));
    else for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) c[i * n + j] = heap[cOff + i * n8 + j] as number;
  };

  /**
   * A and C in the arena, m not a multiple of 4 (a two-thread step's half of 50 rows), n a multiple
   * of 8: the whole groups of 4 rows run in place, the last 1–3 rows through scratch. False when A or
   * C lives elsewhere.
   */
  const runMostlyInPlace = (
    o: Orientation,
    a: Float32Array,
    b: Float32Array,
    c: Float32Array,
    m: number,
    k: number,
    n: number,
    acc: boolean,
  ): boolean => {
    const aIn = arena.offsetOf(a);
    const cIn = arena.offsetOf(c);
    if (aIn < 0 || cIn < 0) return false;
    const whole = m & ~3;
    const rest = m - whole;
    const bAt = arena.offsetOf(b);
    const bSize = bAt < 0 ? k * n : 0;
    // Scratch (floats): B unless in place, B in panels, C's last rows [4 × n], A's last rows [4 × k].
    const base = scratch(bSize + n * k + 4 * n + 4 * k);
    const bOff = bAt < 0 ? base : bAt;
    const pOff = base + bSize;
    const cOff = pOff + n * k;
    const aOff = cOff + 4 * n;
    const heap = arena.heap;
    if (bAt < 0) copyIn(b, k * n, bOff);
    if (o === 'NT') pack(bOff * 4, 4, k * 4, pOff * 4, k, n);
    else pack(bOff * 4, n * 4, 4, pOff * 4, k, n);
    const ars = o === 'TN' ? 4 : k * 4;
    const acs = o === 'TN' ? m * 4 : 4;
    gemm(aIn * 4, ars, acs, pOff * 4, cIn * 4, n * 4, whole, k, n >> 3, acc ? 1 : 0);
    // A's last rows as a row-major [4 × k] block, zeros below (no denormals from other data).
    if (o === 'TN')
      for (let i = 0; i < rest; i++)
        for (let p = 0, at = aIn + whole + i; p < k; p++) heap[aOff + i * k + p] = heap[at + p * m] as number;
    else heap.copyWithin(aOff, aIn + whole * k, aIn + m * k);
    heap.fill(0, aOff + rest * k, aOff + 4 * k);
    if (acc) heap.copyWithin(cOff, cIn + whole * n, cIn + m * n);
    gemm(aOff * 4, k * 4, 4, pOff * 4, cOff * 4, n * 4, 4, k, n >> 3, acc ? 1 : 0);
    heap.copyWithin(cIn + whole * n, cOff, cOff + rest * n);
    return true;
  };

  // NOTE: below ~4k multiply-adds the copies into wasm memory cost more than they save
  // (XOR 2-3-1: 7.3 µs/step through wasm vs 3.4 in TS), so tiny products stay in TypeScript.
  const SMALL = 4096;
  return {
    name: wasm.relaxed ? 'wasm-relaxed-simd-4x8' : 'wasm-simd-4x8',
    matmulNN: (a, b, c, m, k, n, acc) =>
      m * k * n < SMALL ? tsKernels.matmulNN(a, b, c, m, k, n, acc) : run('NN', a, b, c, m, k, n, acc),
    matmulNT: (a, b, c, m, k, n, acc) =>
      m * k * n < SMALL ? tsKernels.matmulNT(a, b, c, m, k, n, acc) : run('NT', a, b, c, m, k, n, acc),
    matmulTN: (a, b, c, m, k, n, acc) =>
      m * k * n < SMALL ? tsKernels.matmulTN(a, b, c, m, k, n, acc) : run('TN', a, b, c, m, k, n, acc),
  };
}
