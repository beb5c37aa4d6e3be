// Element-wise steps of a layer on WebAssembly SIMD where their arrays live in the arena (a
// resident model's): each returns how many leading floats it did (whole groups of 4, or all rows),
// and the caller's plain loop does the rest. 0 where SIMD is off or an array lives elsewhere.
import { getStepKernels } from './backend.ts';
import type { ConvGeometry } from './conv.ts';

/**
 * Fewer floats than this stay in the plain loops. NOTE: a call into WebAssembly and the arena
 * look-ups cost more than a short loop (XOR 2-3-1: 1.2 → 1.8 µs per step when every layer called).
 */
export const SIMD_MIN_FLOATS = 256;

/** y = relu(x) over the first floats of n; returns how many. */
export function simdRelu(x: Float32Array, y: Float32Array, n: number): number {
  const simd = n < SIMD_MIN_FLOATS ? null : getStepKernels();
  if (!simd) return 0;
  const xAt = simd.arena.offsetOf(x);
  const yAt = simd.arena.offsetOf(y);
  const n4 = n & ~3;
  if (xAt < 0 || yAt < 0 || n4 < SIMD_MIN_FLOATS) return 0;
  simd.step.relu(xAt * 4, yAt * 4, n4);
  return n4;
}

/** dx += dy where x ≥ 0 (and for NaN) over the first floats of n; returns how many. */
export function simdReluBackward(x: Float32Array, dy: Float32Array, dx: Float32Array, n: number): number {
  const simd = n < SIMD_MIN_FLOATS ? null : getStepKernels();
  if (!simd) return 0;
  const { arena } = simd;
  const xAt = arena.offsetOf(x);
  const dyAt = arena.offsetOf(dy);
  const dxAt = arena.offsetOf(dx);
  const n4 = n & ~3;
  if (xAt < 0 || dyAt < 0 || dxAt < 0 || n4 < SIMD_MIN_FLOATS) return 0;
  simd.step.relu_backward(xAt * 4, dyAt * 4, dxAt * 4, n4);
  return n4;
}

/** y[r][j] += b[j] over `rows` rows of `cols`; true when done (cols a multiple of 4, both in the arena). */
export function simdAddBias(y: Float32Array, b: Float32Array, rows: number, cols: number): boolean {
  const simd = getStepKernels();
  if (!simd || cols % 4 !== 0 || rows * cols < SIMD_MIN_FLOATS) return false;
  const yAt = simd.arena.offsetOf(y);
  const bAt = simd.arena.offsetOf(b);
  if (yAt < 0 || bAt < 0) return false;
  simd.step.bias(yAt * 4, bAt * 4, rows, cols);
  return true;
}

/** db[j] = Σ_r dy[r][j] (overwritten); true when done (both in the arena). */
export function simdColumnSums(dy: Float32Array, db: Float32Array, rows: number, cols: number): boolean {
  const simd = getStepKernels();
  if (!simd || rows * cols < SIMD_MIN_FLOATS) return false;
  const dyAt = simd.arena.offsetOf(dy);
  const dbAt = simd.arena.offsetOf(db);
  if (dyAt < 0 || dbAt < 0) return false;
  simd.conv.colsum(dyAt * 4, rows, cols, dbAt * 4);
  return true;
}

/** y = a·y + b·x over the first floats of n; returns how many. */
export function simdScaleAdd(y: Float32Array, x: Float32Array, n: number, a: number, b: number): number {
  const simd = n < SIMD_MIN_FLOATS ? null : getStepKernels();
  if (!simd) return 0;
  const yAt = simd.arena.offsetOf(y);
  const xAt = simd.arena.offsetOf(x);
  const n4 = n & ~3;
  if (yAt < 0 || xAt < 0 || n4 < SIMD_MIN_FLOATS) return 0;
  simd.step.scale_add(yAt * 4, xAt * 4, n4, a, b);
  return n4;
}

/**
 * Softmax of each row (step.wat softmax: e^x by a polynomial within 1 ulp of Math.exp, sums in
 * float32); true when done (cols ≥ 4, both arrays in the arena).
 */
export function simdSoftmax(x: Float32Array, y: Float32Array, rows: number, cols: number): boolean {
  const simd = rows * cols < SIMD_MIN_FLOATS || cols < 4 ? null : getStepKernels();
  if (!simd) return false;
  const xAt = simd.arena.offsetOf(x);
  const yAt = simd.arena.offsetOf(y);
  if (xAt < 0 || yAt < 0) return false;
  simd.step.softmax(xAt * 4, yAt * 4, rows, cols);
  return true;
}

/**
 * True when the first n floats are all finite: on SIMD where they live in the arena (a parameter
 * of 50k floats: ≈ 5 µs, where the plain loop over a shared memory took ≈ 50 µs), else the plain loop.
 */
export function allFinite(x: Float32Array, n: number): boolean {
  let i = 0;
  const simd = n < SIMD_MIN_FLOATS ? null : getStepKernels();
  const at = simd ? simd.arena.offsetOf(x) : -1;
  if (simd && at >= 0) {
    i = n & ~3;
    if (!simd.step.all_finite(at * 4, i)) return false;
  }
  for (; i < n; i++) {
    const v = x[i] as number;
    if (v - v !== 0) return false;
  }
  return true;
}

/** Max pooling as pool.ts's maxPoolForward; true when done (channels a multiple of 4, all three arrays in the arena). */
export function simdMaxPool(x: Float32Array, y: Float32Array, winner: Float32Array, g: ConvGeometry): boolean {
  const simd = getStepKernels();
  if (!simd || g.inC % 4 !== 0 || g.batch * g.outH * g.outW * g.inC < SIMD_MIN_FLOATS) return false;
  const { arena } = simd;
  const xAt = arena.offsetOf(x);
  const yAt = arena.offsetOf(y);
  const wAt = arena.offsetOf(winner);
  if (xAt < 0 || yAt < 0 || wAt < 0) return false;
  simd.step.maxpool(xAt * 4, yAt * 4, wAt * 4, g.batch, g.inH, g.inW, g.inC, g.kh, g.kw, g.sh, g.sw, g.outH, g.outW);
  return true;
}

/** Max pooling's backward as pool.ts's maxPoolBackward (dx += dy at each winner); true when done (as simdMaxPool). */
export function simdMaxPoolBackward(
  dy: Float32Array,
  winner: Float32Array,
  dx: Float32Array,
  g: ConvGeometry,
): boolean {
  const simd = getStepKernels();
  if (!simd || g.inC % 4 !== 0 || g.batch * g.outH * g.outW * g.inC < SIMD_MIN_FLOATS) return false;
  const { arena } = simd;
  const dyAt = arena.offsetOf(dy);
  const wAt = arena.offsetOf(winner);
  const dxAt = arena.offsetOf(dx);
  if (dyAt < 0 || wAt < 0 || dxAt < 0) return false;
  simd.step.maxpool_backward(
    dyAt * 4,
    wAt * 4,
    dxAt * 4,
    g.batch,
    g.inH,
    g.inW,
    g.inC,
    g.kh,
    g.kw,
    g.sh,
    g.sw,
    g.outH,
    g.outW,
  );
  return true;
}
