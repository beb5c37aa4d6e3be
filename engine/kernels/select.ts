// Explicit kernel selection. Not needed for speed: getKernels() installs the fastest kernels at
// first use. These choose explicitly (benchmarks, tests), and an explicit choice wins.
import { getKernels, setKernels } from './backend.ts';
import { tsKernels } from './matmul.ts';
import { createSimdKernels } from './wasm/simdKernels.ts';

/**
 * Installs the fastest kernels available here and returns their name; `relaxed: false` keeps
 * to plain SIMD even where relaxed SIMD is supported (benchmarks compare the two).
 */
export function selectFastestKernels(options: { relaxed?: boolean } = {}): string {
  const simd = createSimdKernels(options);
  if (simd) setKernels(simd);
  return getKernels().name;
}

/** Back to the pure-TypeScript kernels (the fallback, and the reference in tests and benchmarks). */
export function selectTsKernels(): void {
  setKernels(tsKernels);
}
