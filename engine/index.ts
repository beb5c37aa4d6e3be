// The engine's public surface. The app, the CLI and the tests import from here only.
// Each section is owned by one part of the engine; keep exports grouped.

// --- core types ---
export type { Tensor } from './tensor.ts';
export { sizeOf, tensor, zeros } from './tensor.ts';
export type { Rng } from './prng.ts';
export { createRng } from './prng.ts';
export type * from './format/types.ts';
export { DEFAULT_TRAINING, GRAPH_FORMAT, GRAPH_VERSION, MAX_PARAMETERS, PORTS } from './format/types.ts';
export type * from './api.ts';

// --- format: parseGraph, serializeGraph, GraphFormatError (engine/format) ---

// --- expressions and datasets (engine/expr, engine/datasets) ---

// --- compiler, ops, autodiff, kernels: compile, analyzeGraph, CompileError (engine/compiler, engine/ops, engine/kernels) ---

// --- optimizers and trainer (engine/optim, engine/train) ---
