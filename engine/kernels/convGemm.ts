// Convolution as matrix products: im2col turns every output pixel's window into one row, so the
// convolution is rows · W[kh·kw·C, outC] on the matmul kernels in use (WebAssembly SIMD where it
// runs) — the same interface and tests as the plain loops in conv.ts. The window rows live in
// buffers that grow to the largest chunk once and are reused: warm steps allocate nothing.
import { getKernels } from './backend.ts';
import type { ConvGeometry, ConvKernels } from './conv.ts';

/** Floats of window rows per chunk (16 MB): larger batches go through in chunks of whole samples. */
const CHUNK_FLOATS = 4_000_000;

let cols: Float32Array = new Float32Array(0);
/**
 * The window rows a training batch's forward pass made, per geometry (one per compiled layer and
 * batch size), for its backward pass to reuse: backward right after forward reads the same x.
 * Only for batches up to CACHED_BATCH (an evaluation pass of thousands of rows keeps none).
 * NOTE: conv2dBackwardFilter trusts that x (the same array) is unchanged since conv2dForward on the
 * same geometry, as in a model's lossAndGrads; it recomputes the rows for any other x.
 */
const forwardCols = new WeakMap<ConvGeometry, { x: Float32Array; cols: Float32Array }>();
const CACHED_BATCH = 128;
let rows: Float32Array = new Float32Array(0);
let rowGrads: Float32Array = new Float32Array(0);

function grow(buffer: Float32Array, n: number): Float32Array {
  return buffer.length >= n ? buffer : new Float32Array(Math.max(n, buffer.length * 2));
}

/** Samples per chunk so that their window rows fit `limit` floats (at least one). */
function samplesPerChunk(g: ConvGeometry, limit: number): number {
  const perSample = g.outH * g.outW * g.kh * g.kw * g.inC;
  return Math.max(1, Math.min(g.batch, Math.floor(limit / perSample)));
}

/** The window rows of samples [from, from + n): [n·outH·outW, kh·kw·inC], zeros where padded. */
function im2col(x: Float32Array, g: ConvGeometry, from: number, n: number, into?: Float32Array): Float32Array {
  const { inH, inW, inC, kh, kw, sh, sw, padTop, padLeft, outH, outW } = g;
  const K = kh * kw * inC;
  const run = kw * inC;
  if (!into) cols = grow(cols, n * outH * outW * K);
  const out = into ?? cols;
  let r = 0;
  for (let b = from; b < from + n; b++)
    for (let oy = 0; oy < outH; oy++)
      for (let ox = 0; ox < outW; ox++, r += K) {
        const x0 = ox * sw - padLeft;
        // NOTE: a window row inside the image is kw·inC contiguous floats: one tight copy per row.
        const inside = x0 >= 0 && x0 + kw <= inW;
        for (let ky = 0; ky < kh; ky++) {
          const iy = oy * sh - padTop + ky;
          const at = r + ky * run;
          if (iy < 0 || iy >= inH) {
            out.fill(0, at, at + run);
            continue;
          }
          const row = ((b * inH + iy) * inW + x0) * inC;
          if (inside) {
            for (let k = 0; k < run; k++) out[at + k] = x[row + k] as number;
            continue;
          }
          for (let kx = 0; kx < kw; kx++) {
            const ix = x0 + kx;
            const o = at + kx * inC;
            if (ix < 0 || ix >= inW) for (let c = 0; c < inC; c++) out[o + c] = 0;
            else for (let c = 0; c < inC; c++) out[o + c] = x[row + kx * inC + c] as number;
          }
        }
      }
  return out;
}

/** dx += each window row's gradient, added back where the window read from (the adjoint of im2col). */
function col2im(dcols: Float32Array, dx: Float32Array, g: ConvGeometry, from: number, n: number): void {
  const { inH, inW, inC, kh, kw, sh, sw, padTop, padLeft, outH, outW } = g;
  const K = kh * kw * inC;
  const run = kw * inC;
  let r = 0;
  for (let b = from; b < from + n; b++)
    for (let oy = 0; oy < outH; oy++)
      for (let ox = 0; ox < outW; ox++, r += K) {
        const x0 = ox * sw - padLeft;
        const inside = x0 >= 0 && x0 + kw <= inW;
        for (let ky = 0; ky < kh; ky++) {
          const iy = oy * sh - padTop + ky;
          if (iy < 0 || iy >= inH) continue;
          const row = ((b * inH + iy) * inW + x0) * inC;
          const at = r + ky * run;
          if (inside) {
            for (let k = 0; k < run; k++) dx[row + k] = (dx[row + k] as number) + (dcols[at + k] as number);
            continue;
          }
          for (let kx = 0; kx < kw; kx++) {
            const ix = x0 + kx;
            if (ix < 0 || ix >= inW) continue;
            for (let c = 0; c < inC; c++) {
              const i = row + kx * inC + c;
              dx[i] = (dx[i] as number) + (dcols[at + kx * inC + c] as number);
            }
          }
        }
      }
}

/** The window rows for a forward pass; a whole small batch's are kept for its backward pass. */
function windowsFor(x: Float32Array, g: ConvGeometry, from: number, n: number, whole: boolean): Float32Array {
  if (!whole || g.batch > CACHED_BATCH) return im2col(x, g, from, n);
  let entry = forwardCols.get(g);
  if (!entry) {
    entry = { x, cols: new Float32Array(g.batch * g.outH * g.outW * g.kh * g.kw * g.inC) };
    forwardCols.set(g, entry);
  }
  entry.x = x;
  return im2col(x, g, from, n, entry.cols);
}

/** The kernels with window rows in chunks of at most `chunkFloats` (the tests make them small). */
export function createGemmConvKernels(chunkFloats = CHUNK_FLOATS): ConvKernels {
  return {
    name: chunkFloats === CHUNK_FLOATS ? 'im2col+gemm' : `im2col+gemm (chunks of ${chunkFloats} floats)`,

    conv2dForward(x, w, bias, y, g) {
      const K = g.kh * g.kw * g.inC;
      const pixels = g.outH * g.outW;
      const chunk = samplesPerChunk(g, chunkFloats);
      const whole = chunk >= g.batch;
      for (let from = 0; from < g.batch; from += chunk) {
        const n = Math.min(chunk, g.batch - from);
        const m = n * pixels;
        if (!whole) rows = grow(rows, m * g.outC);
        const out = whole ? y : rows;
        getKernels().matmulNN(windowsFor(x, g, from, n, whole), w, out, m, K, g.outC, false);
        if (!whole) for (let i = 0, at = from * pixels * g.outC; i < m * g.outC; i++) y[at + i] = out[i] as number;
      }
      if (bias) {
        const F = g.outC;
        for (let i = 0, n = g.batch * pixels * F; i < n; i += F)
          for (let f = 0; f < F; f++) y[i + f] = (y[i + f] as number) + (bias[f] as number);
      }
    },

    conv2dBackwardInput(dy, w, dx, g) {
      const K = g.kh * g.kw * g.inC;
      const pixels = g.outH * g.outW;
      const chunk = samplesPerChunk(g, chunkFloats);
      for (let from = 0; from < g.batch; from += chunk) {
        const n = Math.min(chunk, g.batch - from);
        const m = n * pixels;
        const grads = chunk >= g.batch ? dy : copyRows(dy, from * pixels * g.outC, m * g.outC);
        rowGrads = grow(rowGrads, m * K);
        // the window rows' gradients: dy · Wᵀ   ([m × outC] · [outC × K])
        getKernels().matmulNT(grads, w, rowGrads, m, g.outC, K, false);
        col2im(rowGrads, dx, g, from, n);
      }
    },

    conv2dBackwardFilter(x, dy, dw, db, g) {
      const K = g.kh * g.kw * g.inC;
      const pixels = g.outH * g.outW;
      const chunk = samplesPerChunk(g, chunkFloats);
      for (let from = 0; from < g.batch; from += chunk) {
        const n = Math.min(chunk, g.batch - from);
        const m = n * pixels;
        const cached = chunk >= g.batch ? forwardCols.get(g) : undefined;
        const windows = cached?.x === x ? cached.cols : im2col(x, g, from, n);
        const grads = chunk >= g.batch ? dy : copyRows(dy, from * pixels * g.outC, m * g.outC);
        // dW = windowsᵀ · dy   ([K × m] · [m × outC]), summed over the chunks
        getKernels().matmulTN(windows, grads, dw, K, m, g.outC, from > 0);
      }
      if (db) {
        const F = g.outC;
        db.fill(0, 0, F);
        for (let i = 0, n = g.batch * pixels * F; i < n; i += F)
          for (let f = 0; f < F; f++) db[f] = (db[f] as number) + (dy[i + f] as number);
      }
    },
  };
}

export const gemmConvKernels: ConvKernels = createGemmConvKernels();

/** dy's rows of one chunk, copied to the start of a reused buffer (the matmul kernels read from index 0). */
function copyRows(dy: Float32Array, start: number, length: number): Float32Array {
  rows = grow(rows, length);
  for (let i = 0; i < length; i++) rows[i] = dy[start + i] as number;
  return rows;
}
