// Pure-TypeScript matrix products with 4×4 register tiles: sixteen running sums live in local
// variables, so each loaded element feeds four multiply-adds. NOTE: measured in V8, loop order
// alone (i-j-k vs i-k-j) changes little; the register tile is what gives ≈ 4× over naive loops.
// NOTE: each kernel stores its tile itself: a helper taking the 16 sums as arguments boxed every
// one of them (≈ 800 KB of garbage per 784×32×64 Aᵀ·B) whenever V8 did not inline it, which
// depended on what ran before.
import type { MatmulKernels } from './backend.ts';

let packed = new Float32Array(0);

/**
 * The cold path of packPanels, kept out of line. NOTE: optimised code that names the global
 * Float32Array depends on it, so replacing that global (as allocation-counting tests do)
 * deoptimised the hot kernels, whose unoptimised code then boxed every float it touched.
 */
function growPacked(needed: number): void {
  packed = new Float32Array(needed);
}

/** Packs B[k×n] into panels of 4 columns: panel q holds B[p][4q..4q+3] for p = 0..k-1, contiguous. */
function packPanels(b: Float32Array, k: number, n: number): Float32Array {
  const panels = n >> 2;
  const needed = panels * k * 4;
  // NOTE: grows once to the largest product seen, then reused: no allocation per call when warm.
  if (packed.length < needed) growPacked(needed);
  const out = packed;
  for (let q = 0; q < panels; q++) {
    const col = q * 4;
    let o = q * k * 4;
    for (let p = 0; p < k; p++, o += 4) {
      const src = p * n + col;
      out[o] = b[src] as number;
      out[o + 1] = b[src + 1] as number;
      out[o + 2] = b[src + 2] as number;
      out[o + 3] = b[src + 3] as number;
    }
  }
  return out;
}

function matmulNN(
  a: Float32Array,
  b: Float32Array,
  c: Float32Array,
  m: number,
  k: number,
  n: number,
  acc: boolean,
): void {
  const bp = packPanels(b, k, n);
  const m4 = m - (m % 4);
  const n4 = n - (n % 4);
  for (let i = 0; i < m4; i += 4) {
    const r0 = i * k;
    const r1 = r0 + k;
    const r2 = r1 + k;
    const r3 = r2 + k;
    for (let j = 0; j < n4; j += 4) {
      let c00 = 0,
        c01 = 0,
        c02 = 0,
        c03 = 0,
        c10 = 0,
        c11 = 0,
        c12 = 0,
        c13 = 0;
      let c20 = 0,
        c21 = 0,
        c22 = 0,
        c23 = 0,
        c30 = 0,
        c31 = 0,
        c32 = 0,
        c33 = 0;
      let o = (j >> 2) * k * 4;
      for (let p = 0; p < k; p++, o += 4) {
        const a0 = a[r0 + p] as number,
          a1 = a[r1 + p] as number,
          a2 = a[r2 + p] as number,
          a3 = a[r3 + p] as number;
        const b0 = bp[o] as number,
          b1 = bp[o + 1] as number,
          b2 = bp[o + 2] as number,
          b3 = bp[o + 3] as number;
        c00 += a0 * b0;
        c01 += a0 * b1;
        c02 += a0 * b2;
        c03 += a0 * b3;
        c10 += a1 * b0;
        c11 += a1 * b1;
        c12 += a1 * b2;
        c13 += a1 * b3;
        c20 += a2 * b0;
        c21 += a2 * b1;
        c22 += a2 * b2;
        c23 += a2 * b3;
        c30 += a3 * b0;
        c31 += a3 * b1;
        c32 += a3 * b2;
        c33 += a3 * b3;
      }
      const o0 = i * n + j;
      const o1 = o0 + n;
      const o2 = o1 + n;
      const o3 = o2 + n;
      // biome-ignore format: one tile row per line reads best
      if (acc) {
        c[o0] += c00; c[o0 + 1] += c01; c[o0 + 2] += c02; c[o0 + 3] += c03;
        c[o1] += c10; c[o1 + 1] += c11; c[o1 + 2] += c12; c[o1 + 3] += c13;
        c[o2] += c20; c[o2 + 1] += c21; c[o2 + 2] += c22; c[o2 + 3] += c23;
        c[o3] += c30; c[o3 + 1] += c31; c[o3 + 2] += c32; c[o3 + 3] += c33;
      } else {
        c[o0] = c00; c[o0 + 1] = c01; c[o0 + 2] = c02; c[o0 + 3] = c03;
        c[o1] = c10; c[o1 + 1] = c11; c[o1 + 2] = c12; c[o1 + 3] = c13;
        c[o2] = c20; c[o2 + 1] = c21; c[o2 + 2] = c22; c[o2 + 3] = c23;
        c[o3] = c30; c[o3 + 1] = c31; c[o3 + 2] = c32; c[o3 + 3] = c33;
      }
    }
  }
  // Edges: the last rows and columns that do not fill a tile.
  for (let i = 0; i < m; i++) {
    for (let j = i < m4 ? n4 : 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += (a[i * k + p] as number) * (b[p * n + j] as number);
      c[i * n + j] = acc ? (c[i * n + j] as number) + s : s;
    }
  }
}

function matmulNT(
  a: Float32Array,
  b: Float32Array,
  c: Float32Array,
  m: number,
  k: number,
  n: number,
  acc: boolean,
): void {
  const m4 = m - (m % 4);
  const n4 = n - (n % 4);
  for (let i = 0; i < m4; i += 4) {
    const r0 = i * k;
    const r1 = r0 + k;
    const r2 = r1 + k;
    const r3 = r2 + k;
    for (let j = 0; j < n4; j += 4) {
      const s0 = j * k;
      const s1 = s0 + k;
      const s2 = s1 + k;
      const s3 = s2 + k;
      let c00 = 0,
        c01 = 0,
        c02 = 0,
        c03 = 0,
        c10 = 0,
        c11 = 0,
        c12 = 0,
        c13 = 0;
      let c20 = 0,
        c21 = 0,
        c22 = 0,
        c23 = 0,
        c30 = 0,
        c31 = 0,
        c32 = 0,
        c33 = 0;
      for (let p = 0; p < k; p++) {
        const a0 = a[r0 + p] as number,
          a1 = a[r1 + p] as number,
          a2 = a[r2 + p] as number,
          a3 = a[r3 + p] as number;
        const b0 = b[s0 + p] as number,
          b1 = b[s1 + p] as number,
          b2 = b[s2 + p] as number,
          b3 = b[s3 + p] as number;
        c00 += a0 * b0;
        c01 += a0 * b1;
        c02 += a0 * b2;
        c03 += a0 * b3;
        c10 += a1 * b0;
        c11 += a1 * b1;
        c12 += a1 * b2;
        c13 += a1 * b3;
        c20 += a2 * b0;
        c21 += a2 * b1;
        c22 += a2 * b2;
        c23 += a2 * b3;
        c30 += a3 * b0;
        c31 += a3 * b1;
        c32 += a3 * b2;
        c33 += a3 * b3;
      }
      const o0 = i * n + j;
      const o1 = o0 + n;
      const o2 = o1 + n;
      const o3 = o2 + n;
      // biome-ignore format: one tile row per line reads best
      if (acc) {
        c[o0] += c00; c[o0 + 1] += c01; c[o0 + 2] += c02; c[o0 + 3] += c03;
        c[o1] += c10; c[o1 + 1] += c11; c[o1 + 2] += c12; c[o1 + 3] += c13;
        c[o2] += c20; c[o2 + 1] += c21; c[o2 + 2] += c22; c[o2 + 3] += c23;
        c[o3] += c30; c[o3 + 1] += c31; c[o3 + 2] += c32; c[o3 + 3] += c33;
      } else {
        c[o0] = c00; c[o0 + 1] = c01; c[o0 + 2] = c02; c[o0 + 3] = c03;
        c[o1] = c10; c[o1 + 1] = c11; c[o1 + 2] = c12; c[o1 + 3] = c13;
        c[o2] = c20; c[o2 + 1] = c21; c[o2 + 2] = c22; c[o2 + 3] = c23;
        c[o3] = c30; c[o3 + 1] = c31; c[o3 + 2] = c32; c[o3 + 3] = c33;
      }
    }
  }
  for (let i = 0; i < m; i++) {
    for (let j = i < m4 ? n4 : 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += (a[i * k + p] as number) * (b[j * k + p] as number);
      c[i * n + j] = acc ? (c[i * n + j] as number) + s : s;
    }
  }
}

function matmulTN(
  a: Float32Array,
  b: Float32Array,
  c: Float32Array,
  m: number,
  k: number,
  n: number,
  acc: boolean,
): void {
  const m4 = m - (m % 4);
  const n4 = n - (n % 4);
  for (let i = 0; i < m4; i += 4) {
    for (let j = 0; j < n4; j += 4) {
      let c00 = 0,
        c01 = 0,
        c02 = 0,
        c03 = 0,
        c10 = 0,
        c11 = 0,
        c12 = 0,
        c13 = 0;
      let c20 = 0,
        c21 = 0,
        c22 = 0,
        c23 = 0,
        c30 = 0,
        c31 = 0,
        c32 = 0,
        c33 = 0;
      let ra = i;
      let rb = j;
      for (let p = 0; p < k; p++, ra += m, rb += n) {
        const a0 = a[ra] as number,
          a1 = a[ra + 1] as number,
          a2 = a[ra + 2] as number,
          a3 = a[ra + 3] as number;
        const b0 = b[rb] as number,
          b1 = b[rb + 1] as number,
          b2 = b[rb + 2] as number,
          b3 = b[rb + 3] as number;
        c00 += a0 * b0;
        c01 += a0 * b1;
        c02 += a0 * b2;
        c03 += a0 * b3;
        c10 += a1 * b0;
        c11 += a1 * b1;
        c12 += a1 * b2;
        c13 += a1 * b3;
        c20 += a2 * b0;
        c21 += a2 * b1;
        c22 += a2 * b2;
        c23 += a2 * b3;
        c30 += a3 * b0;
        c31 += a3 * b1;
        c32 += a3 * b2;
        c33 += a3 * b3;
      }
      const o0 = i * n + j;
      const o1 = o0 + n;
      const o2 = o1 + n;
      const o3 = o2 + n;
      // biome-ignore format: one tile row per line reads best
      if (acc) {
        c[o0] += c00; c[o0 + 1] += c01; c[o0 + 2] += c02; c[o0 + 3] += c03;
        c[o1] += c10; c[o1 + 1] += c11; c[o1 + 2] += c12; c[o1 + 3] += c13;
        c[o2] += c20; c[o2 + 1] += c21; c[o2 + 2] += c22; c[o2 + 3] += c23;
        c[o3] += c30; c[o3 + 1] += c31; c[o3 + 2] += c32; c[o3 + 3] += c33;
      } else {
        c[o0] = c00; c[o0 + 1] = c01; c[o0 + 2] = c02; c[o0 + 3] = c03;
        c[o1] = c10; c[o1 + 1] = c11; c[o1 + 2] = c12; c[o1 + 3] = c13;
        c[o2] = c20; c[o2 + 1] = c21; c[o2 + 2] = c22; c[o2 + 3] = c23;
        c[o3] = c30; c[o3 + 1] = c31; c[o3 + 2] = c32; c[o3 + 3] = c33;
      }
    }
  }
  for (let i = 0; i < m; i++) {
    for (let j = i < m4 ? n4 : 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += (a[p * m + i] as number) * (b[p * n + j] as number);
      c[i * n + j] = acc ? (c[i * n + j] as number) + s : s;
    }
  }
}

/** The pure-TypeScript kernels (the default, and the fallback where WebAssembly SIMD is missing). */
export const tsKernels: MatmulKernels = { name: 'ts-tiled-4x4', matmulNN, matmulNT, matmulTN };
