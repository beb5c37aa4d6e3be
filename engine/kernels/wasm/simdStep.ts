// The optimizer updates and element-wise steps on WebAssembly SIMD (step.wat, and conv.wat's
// column sums), for arrays that live in the arena.
import { defaultArena, type SimdOptions } from './simdKernels.ts';
import type { Arena } from './arena.ts';
import { type ConvHelpers, instantiateKernels, type StepKernels } from './instantiate.ts';

export interface SimdStepKernels {
  name: string;
  /** The memory the updates run in: they apply to arrays that are views into it. */
  arena: Arena;
  step: StepKernels;
  conv: ConvHelpers;
}

/** The SIMD updates on the shared arena, or null where there is none (no SharedArrayBuffer, no SIMD). */
export function createSimdStepKernels(options: SimdOptions = {}): SimdStepKernels | null {
  const arena = defaultArena(options);
  if (!arena?.shared) return null;
  const wasm = instantiateKernels(arena, options);
  return wasm && { name: 'wasm-simd-step', arena, step: wasm.step, conv: wasm.conv };
}
