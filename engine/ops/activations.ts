// The activation functions, each pairing its output with its derivative (as in TF Playground's
// nn.ts). `backward` ADDS dx += dy · f'(x). relu'(0) = leaky_relu'(0) = 1, as the textbooks write it.
import type { ActivationFn } from '../format/schema.ts';
import { simdRelu, simdReluBackward, simdSoftmax } from '../kernels/elementwise.ts';

export interface ActivationImpl {
  /** y = f(x) over `rows` rows of `cols` (softmax works per row; the rest element-wise). */
  forward(x: Float32Array, y: Float32Array, rows: number, cols: number): void;
  /** dx += dy · f'(x), given x and y = f(x). */
  backward(x: Float32Array, y: Float32Array, dy: Float32Array, dx: Float32Array, rows: number, cols: number): void;
}

const LEAK = 0.01;

const identity: ActivationImpl = {
  forward(x, y, rows, cols) {
    y.set(x.subarray(0, rows * cols));
  },
  backward(_x, _y, dy, dx, rows, cols) {
    for (let i = 0, n = rows * cols; i < n; i++) dx[i] = (dx[i] as number) + (dy[i] as number);
  },
};

// NOTE: branch-free: real pre-activations are positive or negative at random, so a branch per
// element mispredicts half the time (measured on 125k conv outputs: 0.78 → 0.16 ms forward,
// 0.71 → 0.2 ms backward). NaN propagates as before; -Infinity gives NaN here instead of 0 (0 in
// the SIMD kernel; the infinity is reported at the node that made it either way). Arrays in the
// WebAssembly arena go through SIMD first (engine/kernels/elementwise.ts), this loop does the rest.
const relu: ActivationImpl = {
  forward(x, y, rows, cols) {
    const n = rows * cols;
    for (let i = simdRelu(x, y, n); i < n; i++) {
      const v = x[i] as number;
      y[i] = (v + Math.abs(v)) * 0.5;
    }
  },
  backward(x, _y, dy, dx, rows, cols) {
    // relu'(x) = 1 unless x < 0 (so 1 at ±0 and for NaN, as `x >= 0` reads in the textbooks).
    const n = rows * cols;
    for (let i = simdReluBackward(x, dy, dx, n); i < n; i++)
      dx[i] = (dx[i] as number) + (dy[i] as number) * (1 - +((x[i] as number) < 0));
  },
};

const leakyRelu: ActivationImpl = {
  forward(x, y, rows, cols) {
    for (let i = 0, n = rows * cols; i < n; i++) {
      const v = x[i] as number;
      y[i] = v < 0 ? LEAK * v : v;
    }
  },
  backward(x, _y, dy, dx, rows, cols) {
    for (let i = 0, n = rows * cols; i < n; i++) {
      const g = dy[i] as number;
      dx[i] = (dx[i] as number) + ((x[i] as number) < 0 ? LEAK * g : g);
    }
  },
};

/** Numerically stable logistic function. */
export function sigmoidOf(v: number): number {
  if (v >= 0) return 1 / (1 + Math.exp(-v));
  const e = Math.exp(v);
  return e / (1 + e);
}

const sigmoid: ActivationImpl = {
  forward(x, y, rows, cols) {
    for (let i = 0, n = rows * cols; i < n; i++) y[i] = sigmoidOf(x[i] as number);
  },
  backward(_x, y, dy, dx, rows, cols) {
    for (let i = 0, n = rows * cols; i < n; i++) {
      const s = y[i] as number;
      dx[i] = (dx[i] as number) + (dy[i] as number) * s * (1 - s);
    }
  },
};

const tanh: ActivationImpl = {
  forward(x, y, rows, cols) {
    for (let i = 0, n = rows * cols; i < n; i++) y[i] = Math.tanh(x[i] as number);
  },
  backward(_x, y, dy, dx, rows, cols) {
    for (let i = 0, n = rows * cols; i < n; i++) {
      const t = y[i] as number;
      dx[i] = (dx[i] as number) + (dy[i] as number) * (1 - t * t);
    }
  },
};

/** Row-wise softmax with the row maximum subtracted (no overflow); on SIMD where the arrays live in the arena. */
export function softmaxRows(x: Float32Array, y: Float32Array, rows: number, cols: number): void {
  if (simdSoftmax(x, y, rows, cols)) return;
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let max = Number.NEGATIVE_INFINITY;
    for (let j = 0; j < cols; j++) max = Math.max(max, x[o + j] as number);
    let sum = 0;
    for (let j = 0; j < cols; j++) {
      const e = Math.exp((x[o + j] as number) - max);
      y[o + j] = e;
      sum += e;
    }
    const inv = 1 / sum;
    for (let j = 0; j < cols; j++) y[o + j] = (y[o + j] as number) * inv;
  }
}

const softmax: ActivationImpl = {
  forward: softmaxRows,
  backward(_x, y, dy, dx, rows, cols) {
    // dx_i += y_i · (dy_i − Σ_j dy_j y_j)
    for (let r = 0; r < rows; r++) {
      const o = r * cols;
      let dot = 0;
      for (let j = 0; j < cols; j++) dot += (dy[o + j] as number) * (y[o + j] as number);
      for (let j = 0; j < cols; j++)
        dx[o + j] = (dx[o + j] as number) + (y[o + j] as number) * ((dy[o + j] as number) - dot);
    }
  },
};

export const ACTIVATIONS: Record<ActivationFn, ActivationImpl> = {
  identity,
  relu,
  leaky_relu: leakyRelu,
  sigmoid,
  tanh,
  softmax,
};
