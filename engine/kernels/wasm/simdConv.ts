// Convolution on WebAssembly SIMD (conv.wat on gemm.wat's memory). The input is copied once into
// a zero-padded image in wasm memory; the register-tiled kernels then read every window straight
// from it (an implicit im2col: no column matrix is written):
//   forward          y = col(x) · W  (+ bias: the rows start from it)           conv_nn
//   backward filter  dW = col(x)ᵀ · dy, db = Σ rows of dy                      conv_tn
//   backward input   dx += the convolution of dy, padded, with W flipped and transposed (stride 1,
//                    ≥ 8 channels: conv_nn again); otherwise col2im(dy · Wᵀ) in chunks of rows.
// Each call copies its operands in (memcpy) and its result out; nothing is allocated once a
// geometry has been seen.
import type { ConvGeometry, ConvKernels } from '../conv.ts';
import { tsConvKernels } from '../conv.ts';
import type { Arena } from './arena.ts';
import { type KernelInstance, instantiateKernels } from './instantiate.ts';
import { defaultArena, scratchBlock } from './simdKernels.ts';

/** Floats of the column matrix per chunk on the col2im path (64 KB: stays in L2 with its product). */
const CHUNK_FLOATS = 16384;
/** Pixels per conv_tn call: dW is revisited per chunk so dy's panels and the windows stay in cache. */
const FILTER_CHUNK = 1024;
/** Below this many multiply-adds per call the copies cost more than the SIMD saves (as for matmul). */
const SMALL = 4096;
/** Geometries whose layouts are kept (every conv layer × a few batch sizes). */
const MAX_LAYOUTS = 16;

export interface SimdConvOptions {
  /** false: plain SIMD even where relaxed SIMD is supported. */
  relaxed?: boolean;
  /** The memory to work in (default: the shared arena where there is one, else a private one). */
  arena?: Arena;
  /** Calls with fewer multiply-adds run the TypeScript kernels (default 4096; tests pass 0). */
  minMultiplyAdds?: number;
}

const up4 = (n: number) => (n + 3) & ~3;
const up8 = (n: number) => (n + 7) & ~7;

interface Regions {
  img: number;
  padded: number;
  out: number;
  res: number;
  w: number;
  packed: number;
  col: number;
  dw: number;
  db: number;
}

/** Where one geometry's operands sit in wasm memory (offsets in floats), and views to copy out. */
interface Layout {
  g: ConvGeometry;
  M: number;
  K: number;
  N: number;
  K8: number;
  N8: number;
  /** The padded image's height and width (covers every window; padTop/padLeft included). */
  Hp: number;
  Wp: number;
  /** Backward input as a stride-1 convolution of dy padded to Hq × Wq (else null: col2im). */
  transposed: { Hq: number; Wq: number; top: number; left: number; C8: number } | null;
  rowsPerChunk: number;
  /** Scratch regions' offsets (floats) from the scratch block's start. */
  rel: Regions;
  /** The same in the arena, for the block at `base`. */
  abs: Regions;
  base: number;
  end: number;
  /** The memory buffer the views below were made for (they detach when memory grows). */
  buffer: ArrayBufferLike | null;
  imgView: Float32Array;
  outView: Float32Array;
  dwView: Float32Array;
  dbView: Float32Array;
}

const FIELDS = [
  'batch',
  'inH',
  'inW',
  'inC',
  'kh',
  'kw',
  'sh',
  'sw',
  'padTop',
  'padLeft',
  'outH',
  'outW',
  'outC',
] as const;

function sameGeometry(a: ConvGeometry, b: ConvGeometry): boolean {
  for (let i = 0; i < FIELDS.length; i++) if (a[FIELDS[i]!] !== b[FIELDS[i]!]) return false;
  return true;
}

function makeLayout(g: ConvGeometry): Layout {
  const M = g.batch * g.outH * g.outW;
  const K = g.kh * g.kw * g.inC;
  const N = g.outC;
  const K8 = up8(K);
  const N8 = up8(N);
  const Hp = Math.max(g.padTop + g.inH, (g.outH - 1) * g.sh + g.kh);
  const Wp = Math.max(g.padLeft + g.inW, (g.outW - 1) * g.sw + g.kw);
  const Hq = g.inH + g.kh - 1;
  const Wq = g.inW + g.kw - 1;
  const top = g.kh - 1 - g.padTop;
  const left = g.kw - 1 - g.padLeft;
  // NOTE: below 8 channels the transposed convolution's 8-wide tiles would mostly multiply zeros.
  const transposed =
    g.sh === 1 && g.sw === 1 && g.inC >= 8 && top >= 0 && left >= 0 && top + g.outH <= Hq && left + g.outW <= Wq
      ? { Hq, Wq, top, left, C8: up8(g.inC) }
      : null;
  const rowsPerChunk = Math.max(4, Math.floor(CHUNK_FLOATS / K8) & ~3);
  const inSize = g.batch * g.inH * g.inW * g.inC;
  // NOTE: 4 rows (or floats) of slack after each region: the kernels run whole 4-row tiles, and
  // the padded rows of the last tile read and write just past the real ones.
  let at = 0;
  const region = (floats: number) => {
    const start = at;
    at += up4(floats) + 4;
    return start;
  };
  const img = region(inSize);
  const padded = region(Math.max(g.batch * Hp * Wp * g.inC, transposed ? g.batch * Hq * Wq * N : 0));
  const out = region((M + 4) * N8);
  const res = region(transposed ? (g.batch * g.inH * g.inW + 4) * transposed.C8 : 0);
  const w = region(K * N);
  const packed = region(Math.max(K * N8, N8 * M, transposed ? g.kh * g.kw * N * transposed.C8 : N * K8));
  const col = region(transposed ? 0 : (rowsPerChunk + 4) * K8);
  const dw = region(up4(K) * N8);
  const db = region(N8);
  const empty = new Float32Array(0);
  return {
    g: { ...g },
    M,
    K,
    N,
    K8,
    N8,
    Hp,
    Wp,
    transposed,
    rowsPerChunk,
    rel: { img, padded, out, res, w, packed, col, dw, db },
    abs: { img, padded, out, res, w, packed, col, dw, db },
    base: -1,
    end: at,
    buffer: null,
    imgView: empty,
    outView: empty,
    dwView: empty,
    dbView: empty,
  };
}

/**
 * The convolution kernels on WebAssembly SIMD, or null where it is not supported; relaxed SIMD's
 * fused multiply-add where available unless `relaxed` is false (as createSimdKernels).
 */
export function createSimdConvKernels(options: SimdConvOptions = {}): ConvKernels | null {
  const arena = defaultArena(options);
  const wasm = arena && instantiateKernels(arena, options);
  if (!arena || !wasm) return null;
  return simdConv(arena, wasm, options.minMultiplyAdds ?? SMALL);
}

function simdConv(arena: Arena, wasm: KernelInstance, minMultiplyAdds: number): ConvKernels {
  const { gemm, pack, conv: h } = wasm;
  const scratch = scratchBlock(arena);
  const layouts: Layout[] = [];
  let largest = 0;

  const layoutOf = (g: ConvGeometry): Layout => {
    let L: Layout | undefined;
    for (let i = 0; i < layouts.length; i++) if (sameGeometry(layouts[i]!.g, g)) L = layouts[i];
    if (!L) {
      L = makeLayout(g);
      if (layouts.length >= MAX_LAYOUTS) layouts.shift();
      layouts.push(L);
      largest = Math.max(largest, L.end);
    }
    const base = scratch(largest);
    const heap = arena.heap;
    if (L.base !== base || L.buffer !== heap.buffer) {
      L.base = base;
      L.buffer = heap.buffer;
      const { rel, abs } = L;
      for (const key of Object.keys(rel) as (keyof Regions)[]) abs[key] = base + rel[key];
      L.imgView = heap.subarray(abs.img, abs.img + g.batch * g.inH * g.inW * g.inC);
      L.outView = heap.subarray(abs.out, abs.out + L.M * L.N);
      L.dwView = heap.subarray(abs.dw, abs.dw + L.K * L.N);
      L.dbView = heap.subarray(abs.db, abs.db + L.N);
    }
    return L;
  };

  /** Copies `length` floats of src into wasm memory at `offset` (memcpy when src is exactly that long). */
  const copyIn = (src: Float32Array, length: number, offset: number) => {
    const heap = arena.heap;
    if (src.length === length) heap.set(src, offset);
    else for (let i = 0; i < length; i++) heap[offset + i] = src[i] as number;
  };
  /** Where src's first `length` floats are in the arena: in place when it lives there, else copied to `offset`. */
  const place = (src: Float32Array, length: number, offset: number): number => {
    const at = arena.offsetOf(src);
    if (at >= 0) return at;
    copyIn(src, length, offset);
    return offset;
  };
  /** Copies `length` floats at `offset` out into dst (within the arena when dst lives there). */
  const copyOut = (view: Float32Array, dst: Float32Array) => {
    if (dst.length < view.length)
      throw new RangeError(`convolution output holds ${dst.length} values, ${view.length} needed`);
    const at = arena.offsetOf(dst);
    if (at < 0) dst.set(view);
    else arena.heap.copyWithin(at, view.byteOffset >> 2, (view.byteOffset >> 2) + view.length);
  };
  /** x into the zero-padded image in wasm memory, and the kernels' geometry set to read it. */
  const padInput = (L: Layout, g: ConvGeometry, x: Float32Array) => {
    const src = place(x, L.imgView.length, L.abs.img);
    h.pad(src * 4, L.abs.padded * 4, g.batch, g.inH, g.inW, g.inC, L.Hp, L.Wp, g.padTop, g.padLeft);
    h.geometry(L.Hp, L.Wp, g.inC, g.kh, g.kw, g.sh, g.sw, 0, 0, g.outH, g.outW);
  };
  const small = (g: ConvGeometry) => g.batch * g.outH * g.outW * g.kh * g.kw * g.inC * g.outC < minMultiplyAdds;

  /** dx (at `dx`) += the convolution of dy (at `dy`, padded) with W flipped in space and transposed in channels. */
  const backwardInputTransposed = (L: Layout, g: ConvGeometry, dy: number, w: Float32Array, dx: number) => {
    const t = L.transposed!;
    const { N } = L;
    const C = g.inC;
    const abs = L.abs;
    h.pad(dy * 4, abs.padded * 4, g.batch, g.outH, g.outW, N, t.Hq, t.Wq, t.top, t.left);
    // W'[ky', kx', f, c] = W[kh-1-ky', kw-1-kx', c, f] at dw's region (free until backward filter).
    h.flip(place(w, L.K * N, abs.w) * 4, abs.dw * 4, g.kh * g.kw, C, N);
    pack(abs.dw * 4, C * 4, 4, abs.packed * 4, g.kh * g.kw * N, C);
    h.geometry(t.Hq, t.Wq, N, g.kh, g.kw, 1, 1, 0, 0, g.inH, g.inW);
    const pixels = g.batch * g.inH * g.inW;
    h.conv_nn(abs.padded * 4, abs.packed * 4, abs.res * 4, t.C8 * 4, 0, pixels, pixels, t.C8 >> 3, 0);
    if (C !== t.C8) h.compact(abs.res * 4, t.C8 * 4, pixels, C);
    h.add(dx * 4, abs.res * 4, pixels * C);
  };

  /** dx (at `dx`) += col2im(dy · Wᵀ), in chunks of rows of the column matrix. */
  const backwardInputCol2im = (L: Layout, g: ConvGeometry, dy: number, w: Float32Array, dx: number) => {
    const { M, K, N, K8, rowsPerChunk } = L;
    const abs = L.abs;
    // Wᵀ [N × K] in panels: B(p, j) = W(j, p), rows of W are N floats apart.
    pack(place(w, K * N, abs.w) * 4, 4, N * 4, abs.packed * 4, N, K);
    h.geometry(g.inH, g.inW, g.inC, g.kh, g.kw, g.sh, g.sw, g.padTop, g.padLeft, g.outH, g.outW);
    for (let r0 = 0; r0 < M; r0 += rowsPerChunk) {
      const r1 = Math.min(M, r0 + rowsPerChunk);
      gemm((dy + r0 * N) * 4, N * 4, 4, abs.packed * 4, abs.col * 4, K8 * 4, up4(r1 - r0), N, K8 >> 3, 0);
      h.col2im(dx * 4, abs.col * 4, K8 * 4, r0, r1);
    }
  };

  return {
    name: wasm.relaxed ? 'wasm-relaxed-simd-conv' : 'wasm-simd-conv',

    conv2dForward(x, w, bias, y, g) {
      if (small(g)) return tsConvKernels.conv2dForward(x, w, bias, y, g);
      const L = layoutOf(g);
      const { M, K, N, N8, abs } = L;
      padInput(L, g, x);
      pack(place(w, K * N, abs.w) * 4, N * 4, 4, abs.packed * 4, K, N);
      // NOTE: straight into y where it lives in the arena and the 4-row tiles fit it exactly.
      const yAt = M % 4 === 0 && N === N8 ? arena.offsetOf(y) : -1;
      const out = yAt >= 0 ? yAt : abs.out;
      if (bias) h.broadcast(out * 4, N8 * 4, up4(M), place(bias, N, abs.db) * 4, N);
      h.conv_nn(abs.padded * 4, abs.packed * 4, out * 4, N8 * 4, 0, M, M, N8 >> 3, bias ? 1 : 0);
      if (yAt >= 0) return;
      if (N !== N8) h.compact(abs.out * 4, N8 * 4, M, N);
      copyOut(L.outView, y);
    },

    conv2dBackwardInput(dy, w, dx, g) {
      if (small(g)) return tsConvKernels.conv2dBackwardInput(dy, w, dx, g);
      const L = layoutOf(g);
      // NOTE: the col2im path's last 4-row tile reads up to 3 rows past dy: in place only when none.
      let dyOff = L.abs.out;
      if (L.transposed || L.M % 4 === 0) dyOff = place(dy, L.M * L.N, dyOff);
      else copyIn(dy, L.M * L.N, dyOff);
      const dxOff = place(dx, L.imgView.length, L.abs.img);
      if (L.transposed) backwardInputTransposed(L, g, dyOff, w, dxOff);
      else backwardInputCol2im(L, g, dyOff, w, dxOff);
      if (dxOff === L.abs.img) copyOut(L.imgView, dx);
    },

    conv2dBackwardFilter(x, dy, dw, db, g) {
      if (small(g)) return tsConvKernels.conv2dBackwardFilter(x, dy, dw, db, g);
      const L = layoutOf(g);
      const { M, K, N, N8, abs } = L;
      padInput(L, g, x);
      const dyOff = place(dy, M * N, abs.out);
      pack(dyOff * 4, N * 4, 4, abs.packed * 4, M, N);
      const dwAt = K % 4 === 0 && N === N8 ? arena.offsetOf(dw) : -1;
      const out = dwAt >= 0 ? dwAt : abs.dw;
      if (M === 0) arena.heap.fill(0, out, out + up4(K) * N8);
      for (let r0 = 0; r0 < M; r0 += FILTER_CHUNK) {
        const r1 = Math.min(M, r0 + FILTER_CHUNK);
        h.conv_tn(abs.padded * 4, abs.packed * 4, M, out * 4, N8 * 4, r0, r1, N8 >> 3, r0 > 0 ? 1 : 0);
      }
      if (dwAt < 0) {
        if (N !== N8) h.compact(abs.dw * 4, N8 * 4, K, N);
        copyOut(L.dwView, dw);
      }
      if (db) {
        const dbAt = arena.offsetOf(db);
        h.colsum(dyOff * 4, M, N, (dbAt >= 0 ? dbAt : abs.db) * 4);
        if (dbAt < 0) copyOut(L.dbView, db);
      }
    },
  };
}
