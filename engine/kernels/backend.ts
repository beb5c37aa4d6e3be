// The matrix-product kernels every dense layer goes through. The default is pure TypeScript;
// engine/kernels/select.ts may install faster ones (WebAssembly SIMD) with setKernels.
import { tsKernels } from './matmul.ts';

/**
 * Row-major float32 matrix products. Arrays start at index 0 and may be longer than needed.
 * With `accumulate`, the product is added to C instead of overwriting it.
 */
export interface MatmulKernels {
  name: string;
  /** C[m×n] = A[m×k]·B[k×n] */
  matmulNN(
    a: Float32Array,
    b: Float32Array,
    c: Float32Array,
    m: number,
    k: number,
    n: number,
    accumulate: boolean,
  ): void;
  /** C[m×n] = A[m×k]·B[n×k]ᵀ */
  matmulNT(
    a: Float32Array,
    b: Float32Array,
    c: Float32Array,
    m: number,
    k: number,
    n: number,
    accumulate: boolean,
  ): void;
  /** C[m×n] = A[k×m]ᵀ·B[k×n] */
  matmulTN(
    a: Float32Array,
    b: Float32Array,
    c: Float32Array,
    m: number,
    k: number,
    n: number,
    accumulate: boolean,
  ): void;
}

let active: MatmulKernels = tsKernels;

/** The kernels in use; the model asks on every call, so a switch takes effect at once. */
export function getKernels(): MatmulKernels {
  return active;
}

/** Installs other kernels (e.g. WebAssembly SIMD); they must pass the same tests as the TS ones. */
export function setKernels(kernels: MatmulKernels): void {
  active = kernels;
}
