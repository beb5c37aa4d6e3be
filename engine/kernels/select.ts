// Explicit kernel selection. Not needed for speed: getKernels() installs the fastest kernels at
// first use. These choose explicitly (benchmarks, tests), and an explicit choice wins.
import { getKernels, setConvKernels, setKernels, setStepKernels } from './backend.ts';
import { tsConvKernels } from './conv.ts';
import { tsKernels } from './matmul.ts';
import { createSimdConvKernels } from './wasm/simdConv.ts';
import { createSimdKernels } from './wasm/simdKernels.ts';
import { createSimdStepKernels } from './wasm/simdStep.ts';

/**
 * Installs the fastest matrix-product, convolution and optimizer kernels available here and returns the
 * matrix products' name; `relaxed: false` keeps to plain SIMD even where relaxed SIMD is
 * supported (benchmarks compare the two).
 */
export function selectFastestKernels(options: { relaxed?: boolean } = {}): string {
  const simd = createSimdKernels(options);
  if (simd) setKernels(simd);
  const conv = createSimdConvKernels(options);
  if (conv) setConvKernels(conv);
  setStepKernels(createSimdStepKernels(options));
  return getKernels().name;
}

/** Back to the pure-TypeScript kernels (the fallback, and the reference in tests and benchmarks). */
export function selectTsKernels(): void {
  setKernels(tsKernels);
  setConvKernels(tsConvKernels);
  setStepKernels(null);
}
