// Matrix products on the WebAssembly SIMD kernel (gemm.wat). Each call copies the operands into
// wasm memory with memcpy (TypedArray.set), packs B into 8-column panels inside wasm, runs the
// 4×8 register-tiled kernel, which reads A in place in either orientation (Aᵀ·B needs no
// transposing copy), and copies C out. Memory grows once to the largest product seen.
import type { MatmulKernels } from '../backend.ts';
import { tsKernels } from '../matmul.ts';
import { instantiateGemm } from './instantiate.ts';

type Orientation = 'NN' | 'NT' | 'TN';

/**
 * The SIMD kernels, or null where WebAssembly SIMD is not supported. Where relaxed SIMD is
 * supported too (Chrome 114+, Node 22+, or Node 20 with --experimental-wasm-relaxed-simd), the
 * kernel multiplies and adds in one fused step (`wasm-relaxed-simd-4x8`) unless `relaxed` is false.
 */
export function createSimdKernels(options: { relaxed?: boolean } = {}): MatmulKernels | null {
  const wasm = instantiateGemm(options);
  if (!wasm) return null;
  const { memory, gemm, pack } = wasm;
  const isRelaxed = wasm.relaxed;
  let heap = new Float32Array(memory.buffer);
  // Views of C's region (which starts at 0) by length, so copying C out allocates nothing once warm.
  let views = new Map<number, Float32Array>();
  const viewOf = (length: number): Float32Array => {
    let v = views.get(length);
    if (!v) {
      if (views.size > 64) views.clear();
      v = heap.subarray(0, length);
      views.set(length, v);
    }
    return v;
  };
  const copyIn = (src: Float32Array, length: number, offset: number) => {
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
    // Layout (floats): C [m4 × n8] at 0, then A (plus 4 floats of slack read by padded rows),
    // then B as given, then B in 8-column panels.
    const aOff = m4 * n8;
    const bOff = aOff + m4 * k + 4;
    const pOff = bOff + k * n;
    const needed = (pOff + n8 * k) * 4;
    if (memory.buffer.byteLength < needed) {
      memory.grow(Math.ceil((needed - memory.buffer.byteLength) / 65536));
      heap = new Float32Array(memory.buffer);
      views = new Map();
    }
    copyIn(a, m * k, aOff);
    // NOTE: rows past m only feed rows of C that are never copied out, but zeros keep denormals out.
    heap.fill(0, aOff + m * k, bOff);
    copyIn(b, k * n, bOff);
    // B(p, j) is b[p·n + j], or b[j·k + p] for Bᵀ. NOTE: packing pays even where B could be read in
    // place (n a multiple of 8): the kernel then streams contiguous panels (measured: 512³ +19%,
    // 784×128×256 Aᵀ·B +16%, 100×784×64 A·B −5%).
    if (o === 'NT') pack(bOff * 4, 4, k * 4, pOff * 4, k, n);
    else pack(bOff * 4, n * 4, 4, pOff * 4, k, n);
    const exact = n === n8 && c.length === m * n;
    if (acc) {
      if (exact) heap.set(c, 0);
      else for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) heap[i * n8 + j] = c[i * n + j] as number;
    }
    // A·B and A·Bᵀ read A row-major; Aᵀ·B reads the stored [k × m] matrix column by column.
    const ars = o === 'TN' ? 4 : k * 4;
    const acs = o === 'TN' ? m * 4 : 4;
    gemm(aOff * 4, ars, acs, pOff * 4, 0, n8 * 4, m4, k, n8 >> 3, acc ? 1 : 0);
    if (exact) c.set(viewOf(m * n));
    else for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) c[i * n + j] = heap[i * n8 + j] as number;
  };

  // NOTE: below ~4k multiply-adds the copies into wasm memory cost more than they save
  // (XOR 2-3-1: 7.3 µs/step through wasm vs 3.4 in TS), so tiny products stay in TypeScript.
  const SMALL = 4096;
  return {
    name: isRelaxed ? 'wasm-relaxed-simd-4x8' : 'wasm-simd-4x8',
    matmulNN: (a, b, c, m, k, n, acc) =>
      m * k * n < SMALL ? tsKernels.matmulNN(a, b, c, m, k, n, acc) : run('NN', a, b, c, m, k, n, acc),
    matmulNT: (a, b, c, m, k, n, acc) =>
      m * k * n < SMALL ? tsKernels.matmulNT(a, b, c, m, k, n, acc) : run('NT', a, b, c, m, k, n, acc),
    matmulTN: (a, b, c, m, k, n, acc) =>
      m * k * n < SMALL ? tsKernels.matmulTN(a, b, c, m, k, n, acc) : run('TN', a, b, c, m, k, n, acc),
  };
}
