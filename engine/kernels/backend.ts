// The matrix-product kernels every dense layer goes through, and the convolution kernels every
// conv layer goes through. The defaults, installed at the first use, are the fastest available
// here (WebAssembly SIMD, else pure TypeScript); setKernels / setConvKernels and
// engine/kernels/select.ts choose explicitly, and an explicit choice wins.
import type { ConvKernels } from './conv.ts';
import { gemmConvKernels } from './convGemm.ts';
import { tsKernels } from './matmul.ts';
import { createSimdConvKernels } from './wasm/simdConv.ts';
import { createSimdStepKernels, type SimdStepKernels } from './wasm/simdStep.ts';
import { createSimdKernels } from './wasm/simdKernels.ts';

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

/** null until the first use or an explicit choice. */
let active: MatmulKernels | null = null;

/**
 * The fastest kernels that instantiate here: WebAssembly SIMD (relaxed where enabled), else
 * TypeScript. NOTE: instantiation is synchronous, which a browser main thread may refuse
 * (RangeError for large modules); any failure falls back to TypeScript rather than break training.
 */
function defaultKernels(): MatmulKernels {
  try {
    return createSimdKernels() ?? tsKernels;
  } catch {
    return tsKernels;
  }
}

/**
 * The kernels in use; the model asks on every call, so a switch takes effect at once. The first
 * call with no kernels chosen installs the default (so on Node 20, call enableRelaxedSimd() from
 * engine/node.ts before the first compiled model runs to get relaxed SIMD).
 */
export function getKernels(): MatmulKernels {
  if (active === null) active = defaultKernels();
  return active;
}

/** Installs other kernels (e.g. WebAssembly SIMD); they must pass the same tests as the TS ones. */
export function setKernels(kernels: MatmulKernels): void {
  active = kernels;
}

/** null until the first use or an explicit choice. */
let activeConv: ConvKernels | null = null;

/**
 * The fastest convolution kernels that instantiate here (as defaultKernels): WebAssembly SIMD, else
 * im2col on the matrix-product kernels in use (≈ 3× the plain loops of conv.ts).
 */
function defaultConvKernels(): ConvKernels {
  try {
    return createSimdConvKernels() ?? gemmConvKernels;
  } catch {
    return gemmConvKernels;
  }
}

/** The convolution kernels in use (asked on every call, like getKernels, and installed the same way). */
export function getConvKernels(): ConvKernels {
  if (activeConv === null) activeConv = defaultConvKernels();
  return activeConv;
}

/** Installs other convolution kernels; they must pass engine/kernels/conv.test.ts as the TS ones do. */
export function setConvKernels(kernels: ConvKernels): void {
  activeConv = kernels;
}

/** undefined until the first use or an explicit choice; null: the optimizers' TypeScript loops. */
let activeStep: SimdStepKernels | null | undefined;

/**
 * The optimizer updates in use (asked on every step): SIMD on the shared arena where there is one
 * (they apply to parameters living there; others take the TypeScript loops), else null.
 */
export function getStepKernels(): SimdStepKernels | null {
  if (activeStep === undefined) {
    try {
      activeStep = createSimdStepKernels();
    } catch {
      activeStep = null;
    }
  }
  return activeStep;
}

/** Installs other optimizer updates; null: the TypeScript loops (they must agree in tests). */
export function setStepKernels(kernels: SimdStepKernels | null): void {
  activeStep = kernels;
}
