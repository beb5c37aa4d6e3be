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
import { type ConvHelpers, type GemmInstance, instantiateConvHelpers, instantiateGemm } from './instantiate.ts';

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
  /** Calls with fewer multiply-adds run the TypeScript kernels (default 4096; tests pass 0). */
  minMultiplyAdds?: number;
}

const up4 = (n: number) => (n + 3) & ~3;
const up8 = (n: number) => (n + 7) & ~7;

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
  img: number;
  padded: number;
  out: number;
  res: number;
  w: number;
  packed: number;
  col: number;
  dw: number;
  db: number;
  end: number;
  /** The memory buffer the views below were made for (they detach when memory grows). */
  buffer: ArrayBuffer | null;
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
    img,
    padded,
    out,
    res,
    w,
    packed,
    col,
    dw,
    db,
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
  const wasm = instantiateGemm(options);
  if (!wasm) return null;
  const helpers = instantiateConvHelpers(wasm);
  if (!helpers) return null;
  return simdConv(wasm, helpers, options.minMultiplyAdds ?? SMALL);
}

function simdConv(wasm: GemmInstance, h: ConvHelpers, minMultiplyAdds: number): ConvKernels {
  const { memory, gemm, pack } = wasm;
  let heap = new Float32Array(memory.buffer);
  const layouts: Layout[] = [];

  const layoutOf = (g: ConvGeometry): Layout => {
    let L: Layout | undefined;
    for (let i = 0; i < layouts.length; i++) if (sameGeometry(layouts[i]!.g, g)) L = layouts[i];
    if (!L) {
      L = makeLayout(g);
      if (layouts.length >= MAX_LAYOUTS) layouts.shift();
      layouts.push(L);
      const needed = L.end * 4;
      if (memory.buffer.byteLength < needed) memory.grow(Math.ceil((needed - memory.buffer.byteLength) / 65536));
    }
    if (L.buffer !== memory.buffer) {
      heap = new Float32Array(memory.buffer);
      L.buffer = memory.buffer;
      L.imgView = heap.subarray(L.img, L.img + g.batch * g.inH * g.inW * g.inC);
      L.outView = heap.subarray(L.out, L.out + L.M * L.N);
      L.dwView = heap.subarray(L.dw, L.dw + L.K * L.N);
      L.dbView = heap.subarray(L.db, L.db + L.N);
    }
    return L;
  };

  /** Copies `length` floats of src into wasm memory at `offset` (memcpy when src is exactly that long). */
  const copyIn = (src: Float32Array, length: number, offset: number) => {
    if (src.length === length) heap.set(src, offset);
    else for (let i = 0; i < length; i++) heap[offset + i] = src[i] as number;
  };
  /** Copies a view out into dst's first elements. */
  const copyOut = (view: Float32Array, dst: Float32Array) => {
    if (dst.length >= view.length) dst.set(view);
    else throw new RangeError(`convolution output holds ${dst.length} values, ${view.length} needed`);
  };
  /** x into the zero-padded image in wasm memory, and the kernels' geometry set to read it. */
  const padInput = (L: Layout, g: ConvGeometry, x: Float32Array) => {
    copyIn(x, L.imgView.length, L.img);
    h.pad(L.img * 4, L.padded * 4, g.batch, g.inH, g.inW, g.inC, L.Hp, L.Wp, g.padTop, g.padLeft);
    h.geometry(L.Hp, L.Wp, g.inC, g.kh, g.kw, g.sh, g.sw, 0, 0, g.outH, g.outW);
  };
  const small = (g: ConvGeometry) => g.batch * g.outH * g.outW * g.kh * g.kw * g.inC * g.outC < minMultiplyAdds;

  /** dx += the convolution of dy (padded) with W flipped in space and transposed in channels. */
  const backwardInputTransposed = (L: Layout, g: ConvGeometry, w: Float32Array) => {
    const t = L.transposed!;
    const { N } = L;
    const C = g.inC;
    h.pad(L.out * 4, L.padded * 4, g.batch, g.outH, g.outW, N, t.Hq, t.Wq, t.top, t.left);
    // W'[ky', kx', f, c] = W[kh-1-ky', kw-1-kx', c, f] at dw's region (free until backward filter).
    copyIn(w, L.K * N, L.w);
    h.flip(L.w * 4, L.dw * 4, g.kh * g.kw, C, N);
    pack(L.dw * 4, C * 4, 4, L.packed * 4, g.kh * g.kw * N, C);
    h.geometry(t.Hq, t.Wq, N, g.kh, g.kw, 1, 1, 0, 0, g.inH, g.inW);
    const pixels = g.batch * g.inH * g.inW;
    h.conv_nn(L.padded * 4, L.packed * 4, L.res * 4, t.C8 * 4, 0, pixels, pixels, t.C8 >> 3, 0);
    if (C !== t.C8) h.compact(L.res * 4, t.C8 * 4, pixels, C);
    h.add(L.img * 4, L.res * 4, pixels * C);
  };

  /** dx += col2im(dy · Wᵀ), in chunks of rows of the column matrix. */
  const backwardInputCol2im = (L: Layout, g: ConvGeometry, w: Float32Array) => {
    const { M, K, N, K8, rowsPerChunk } = L;
    copyIn(w, K * N, L.w);
    // Wᵀ [N × K] in panels: B(p, j) = W(j, p), rows of W are N floats apart.
    pack(L.w * 4, 4, N * 4, L.packed * 4, N, K);
    h.geometry(g.inH, g.inW, g.inC, g.kh, g.kw, g.sh, g.sw, g.padTop, g.padLeft, g.outH, g.outW);
    for (let r0 = 0; r0 < M; r0 += rowsPerChunk) {
      const r1 = Math.min(M, r0 + rowsPerChunk);
      gemm((L.out + r0 * N) * 4, N * 4, 4, L.packed * 4, L.col * 4, K8 * 4, up4(r1 - r0), N, K8 >> 3, 0);
      h.col2im(L.img * 4, L.col * 4, K8 * 4, r0, r1);
    }
  };

  return {
    name: wasm.relaxed ? 'wasm-relaxed-simd-conv' : 'wasm-simd-conv',

    conv2dForward(x, w, bias, y, g) {
      if (small(g)) return tsConvKernels.conv2dForward(x, w, bias, y, g);
      const L = layoutOf(g);
      const { M, K, N, N8 } = L;
      padInput(L, g, x);
      copyIn(w, K * N, L.w);
      pack(L.w * 4, N * 4, 4, L.packed * 4, K, N);
      if (bias) {
        copyIn(bias, N, L.db);
        h.broadcast(L.out * 4, N8 * 4, up4(M), L.db * 4, N);
      }
      h.conv_nn(L.padded * 4, L.packed * 4, L.out * 4, N8 * 4, 0, M, M, N8 >> 3, bias ? 1 : 0);
      if (N !== N8) h.compact(L.out * 4, N8 * 4, M, N);
      copyOut(L.outView, y);
    },

    conv2dBackwardInput(dy, w, dx, g) {
      if (small(g)) return tsConvKernels.conv2dBackwardInput(dy, w, dx, g);
      const L = layoutOf(g);
      copyIn(dy, L.M * L.N, L.out);
      copyIn(dx, L.imgView.length, L.img);
      if (L.transposed) backwardInputTransposed(L, g, w);
      else backwardInputCol2im(L, g, w);
      copyOut(L.imgView, dx);
    },

    conv2dBackwardFilter(x, dy, dw, db, g) {
      if (small(g)) return tsConvKernels.conv2dBackwardFilter(x, dy, dw, db, g);
      const L = layoutOf(g);
      const { M, K, N, N8 } = L;
      padInput(L, g, x);
      copyIn(dy, M * N, L.out);
      pack(L.out * 4, N * 4, 4, L.packed * 4, M, N);
      if (M === 0) heap.fill(0, L.dw, L.dw + up4(K) * N8);
      for (let r0 = 0; r0 < M; r0 += FILTER_CHUNK) {
        const r1 = Math.min(M, r0 + FILTER_CHUNK);
        h.conv_tn(L.padded * 4, L.packed * 4, M, L.dw * 4, N8 * 4, r0, r1, N8 >> 3, r0 > 0 ? 1 : 0);
      }
      if (N !== N8) h.compact(L.dw * 4, N8 * 4, K, N);
      copyOut(L.dwView, dw);
      if (db) {
        h.colsum(L.out * 4, M, N, L.db * 4);
        copyOut(L.dbView, db);
      }
    },
  };
}
