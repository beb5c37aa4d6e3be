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
export { type FormatProblem, formatPath, GraphFormatError, parseGraph } from './format/parse.ts';
export { serializeGraph } from './format/serialize.ts';
export { decodeTensor, decodeWeights, encodeTensor, encodeWeights } from './format/weights.ts';
export { type Migration, migrations } from './format/migrations.ts';

// --- expressions and datasets (engine/expr, engine/datasets) ---
export { type Expr, ExprError, parseExpr } from './expr/expr.ts';
export {
  type DatasetShapes,
  datasetShapes,
  decodeMnist,
  type LoadOptions,
  loadDataset,
  type MnistData,
} from './datasets/index.ts';

// --- compiler, ops, autodiff, kernels: compile, analyzeGraph, CompileError (engine/compiler, engine/ops, engine/kernels) ---
export { analyzeGraph } from './compiler/analyze.ts';
export { compile } from './compiler/compile.ts';
export { CompileError, nodeLabel, shapeText } from './compiler/errors.ts';
export { getKernels, type MatmulKernels, setKernels } from './kernels/backend.ts';
export { tsKernels } from './kernels/matmul.ts';
export { sigmoidOf, softmaxRows } from './ops/activations.ts';

// --- optimizers and trainer (engine/optim, engine/train) ---
export { createOptimizer, type Optimizer } from './optim/optimizers.ts';
export { argmaxRow, countCorrect, isClassification } from './train/metrics.ts';
export { createTrainer, MiniBatchTrainer, type TrainerOptions } from './train/trainer.ts';
export { deadFraction, histogram, l2norm, type Summary, summarize } from './train/stats.ts';

// --- kernels selection (engine/kernels/select.ts) ---
export { selectFastestKernels, selectTsKernels } from './kernels/select.ts';
