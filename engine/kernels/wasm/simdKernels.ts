// Matrix products on the WebAssembly SIMD kernel (gemm.wat). Each call copies A into wasm memory
// (transposing for Aᵀ·B), packs B into 8-column panels (transposing for A·Bᵀ), runs the 4×8
// register-tiled kernel and copies C out. Memory grows once to the largest product seen.
import type { MatmulKernels } from '../backend.ts';
import { tsKernels } from '../matmul.ts';
import { GEMM_WASM_BASE64 } from './gemm.generated.ts';

type Gemm = (a: number, bp: number, c: number, m: number, k: number, n8: number) => void;
type Orientation = 'NN' | 'NT' | 'TN';

function decodeBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** The SIMD kernels, or null where WebAssembly SIMD is not supported. */
export function createSimdKernels(): MatmulKernels | null {
  if (typeof WebAssembly === 'undefined') return null;
  const bytes = decodeBase64(GEMM_WASM_BASE64);
  // NOTE: validate() is false on engines without the SIMD proposal: that is the feature test.
  if (!WebAssembly.validate(bytes as BufferSource)) return null;
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes as BufferSource), {});
  const memory = instance.exports.memory as WebAssembly.Memory;
  const gemm = instance.exports.gemm as Gemm;
  let heap = new Float32Array(memory.buffer);

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
    const m4 = (m + 3) & ~3;
    const n8 = (n + 7) & ~7;
    if (k === 0) {
      if (!acc) c.fill(0, 0, m * n);
      return;
    }
    const aOff = 0;
    const bOff = m4 * k;
    const cOff = bOff + n8 * k;
    const needed = (cOff + m4 * n8) * 4;
    if (memory.buffer.byteLength < needed) {
      memory.grow(Math.ceil((needed - memory.buffer.byteLength) / 65536));
      heap = new Float32Array(memory.buffer);
    }
    const h = heap;
    // A as [m × k] row-major.
    if (o === 'TN') {
      for (let p = 0; p < k; p++) {
        const src = p * m;
        for (let i = 0; i < m; i++) h[aOff + i * k + p] = a[src + i] as number;
      }
    } else if (a.length === m * k) h.set(a, aOff);
    else for (let i = 0; i < m * k; i++) h[aOff + i] = a[i] as number;
    // B in panels of 8 columns: h[bOff + (q·k + p)·8 + jj] = B(p, 8q + jj), zero past n.
    const panels = n8 >> 3;
    if (o === 'NT') {
      for (let q = 0; q < panels; q++) {
        for (let jj = 0; jj < 8; jj++) {
          const col = q * 8 + jj;
          let o8 = bOff + q * k * 8 + jj;
          if (col >= n) {
            for (let p = 0; p < k; p++, o8 += 8) h[o8] = 0;
            continue;
          }
          const src = col * k;
          for (let p = 0; p < k; p++, o8 += 8) h[o8] = b[src + p] as number;
        }
      }
    } else {
      for (let q = 0; q < panels; q++) {
        const col = q * 8;
        const full = col + 8 <= n;
        let o8 = bOff + q * k * 8;
        for (let p = 0; p < k; p++, o8 += 8) {
          const src = p * n + col;
          if (full) {
            h[o8] = b[src] as number;
            h[o8 + 1] = b[src + 1] as number;
            h[o8 + 2] = b[src + 2] as number;
            h[o8 + 3] = b[src + 3] as number;
            h[o8 + 4] = b[src + 4] as number;
            h[o8 + 5] = b[src + 5] as number;
            h[o8 + 6] = b[src + 6] as number;
            h[o8 + 7] = b[src + 7] as number;
          } else for (let jj = 0; jj < 8; jj++) h[o8 + jj] = col + jj < n ? (b[src + jj] as number) : 0;
        }
      }
    }
    gemm(aOff * 4, bOff * 4, cOff * 4, m4, k, n8);
    // NOTE: plain loops, not subarray() views, so a warm call allocates nothing.
    for (let i = 0; i < m; i++) {
      const src = cOff + i * n8;
      const dst = i * n;
      if (acc) for (let j = 0; j < n; j++) c[dst + j] = (c[dst + j] as number) + (h[src + j] as number);
      else for (let j = 0; j < n; j++) c[dst + j] = h[src + j] as number;
    }
  };

  // NOTE: below ~4k multiply-adds the copies into wasm memory cost more than they save
  // (XOR 2-3-1: 7.3 µs/step through wasm vs 3.4 in TS), so tiny products stay in TypeScript.
  const SMALL = 4096;
  return {
    name: 'wasm-simd-4x8',
    matmulNN: (a, b, c, m, k, n, acc) =>
      m * k * n < SMALL ? tsKernels.matmulNN(a, b, c, m, k, n, acc) : run('NN', a, b, c, m, k, n, acc),
    matmulNT: (a, b, c, m, k, n, acc) =>
      m * k * n < SMALL ? tsKernels.matmulNT(a, b, c, m, k, n, acc) : run('NT', a, b, c, m, k, n, acc),
    matmulTN: (a, b, c, m, k, n, acc) =>
      m * k * n < SMALL ? tsKernels.matmulTN(a, b, c, m, k, n, acc) : run('TN', a, b, c, m, k, n, acc),
  };
}
