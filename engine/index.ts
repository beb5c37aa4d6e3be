// The engine's public surface. The app, the CLI and the tests import from here only.
// Each section is owned by one part of the engine; keep exports grouped.

// --- core types ---
export type { Tensor } from './tensor.ts';
export { sizeOf, tensor, zeros } from './tensor.ts';
export type { Rng } from './prng.ts';
export { createRng } from './prng.ts';
export type * from './format/types.ts';
export { DEFAULT_TRAINING, GRAPH_FORMAT, GRAPH_VERSION, MAX_PARAMETERS } from './format/types.ts';
export { MAX_CSV_CHARS, MAX_NODES } from './format/schema.ts';

// --- node types: one definition each (engine/nodes), problem codes and their texts ---
export {
  type FieldKind,
  type FieldSpec,
  findNodeDefinition,
  NODE_DEFINITIONS,
  NODE_TYPE_NAMES,
  type NodeCategory,
  type NodeDefinition,
  type NodeText,
  nodeDefinition,
  type QuickFixSpec,
  nodeLabel,
  PROBLEM_TEXTS,
  problemFormat,
  problemMessage,
} from './nodes/index.ts';
export { jaSpacing } from './problems.ts';
export type { Lang, ProblemFormat, ProblemParams, Texts } from './problems.ts';

// --- shared interfaces: compiling and the Model, datasets, training, the backprop trace ---
export type * from './compiler/types.ts';
export type * from './datasets/types.ts';
export type * from './train/types.ts';
export type * from './train/traceTypes.ts';

// --- format: parseGraph, serializeGraph, GraphFormatError (engine/format) ---
export { type FormatProblem, formatPath, GraphFormatError, parseGraph } from './format/parse.ts';
export { datasetSchema, optimizerSchema, trainingConfigSchema } from './format/schema.ts';
export { serializeGraph } from './format/serialize.ts';
export { documentSizeProblem, MAX_DOCUMENT_BYTES } from './format/size.ts';
export { decodeTensor, decodeWeights, encodeTensor, encodeWeights } from './format/weights.ts';
export { type Migration, migrations } from './format/migrations.ts';

// --- expressions and datasets (engine/expr, engine/datasets) ---
export { type Expr, ExprError, parseExpr } from './expr/expr.ts';
export {
  DatasetError,
  type DatasetShapes,
  datasetShapes,
  decodeMnist,
  MAX_CLASSES,
  type LoadOptions,
  loadDataset,
  type MnistData,
} from './datasets/index.ts';

// --- compiler, ops, autodiff, kernels: compile, analyzeGraph, CompileError (engine/compiler, engine/ops, engine/kernels) ---
export { analyzeGraph } from './compiler/analyze.ts';
export { MAX_ACTIVATION_BYTES, MAX_STEP_MULTIPLY_ADDS } from './compiler/budget.ts';
export { compile } from './compiler/compile.ts';
export { CompileError, shapeText } from './compiler/errors.ts';
export { type EdgeProblem, edgeProblem, type ProposedEdge } from './compiler/edges.ts';
export { getConvKernels, getKernels, type MatmulKernels, setConvKernels, setKernels } from './kernels/backend.ts';
export { type ConvGeometry, type ConvKernels, tsConvKernels } from './kernels/conv.ts';
export { tsKernels } from './kernels/matmul.ts';
export { sigmoidOf, softmaxRows } from './ops/activations.ts';

// --- optimizers and trainer (engine/optim, engine/train) ---
export { createOptimizer, type Optimizer } from './optim/optimizers.ts';
export { argmaxRow, countCorrect, isClassification } from './train/metrics.ts';
export { createTrainer, type TrainerOptions } from './train/trainer.ts';
export { deadFraction, histogram, l2norm, type Summary, summarize } from './train/stats.ts';
export { gradientCheck } from './train/gradcheck.ts';
export { traceSample } from './train/trace.ts';
export { keepBuffers } from './train/keepBuffers.ts';
export { runSummary } from './train/summary.ts';
export { snapshotProblem } from './train/snapshot.ts';

// --- exports: ONNX, PyTorch and NumPy (engine/export) ---
export {
  exportNumpy,
  exportOnnx,
  exportPyTorch,
  ONNX_IR_VERSION,
  ONNX_OPSET,
  type PythonOptions,
} from './export/index.ts';

// --- kernels selection (engine/kernels/select.ts) ---
export { selectFastestKernels, selectTsKernels } from './kernels/select.ts';
// Two-thread training steps: environments install how a helper thread starts (engine/node.ts does
// for Node; the app's training worker for browsers), and a helper thread runs runHelper.
export type { HelperInit } from './parallel/exchange.ts';
export { runHelper } from './parallel/helper.ts';
export {
  batchSplits,
  canStartThreads,
  setThreadSpawner,
  type ThreadSpawner,
  threadsFor,
  TWO_THREADS_BY_MESSAGES_MIN_MULTIPLY_ADDS,
  TWO_THREADS_MIN_MULTIPLY_ADDS,
} from './parallel/threads.ts';
// The same without shared memory (a page that is not cross-origin isolated): a helper that gets
// messages, run by createMessageHelper.
export {
  type FromMessageHelper,
  type HelperPort,
  type MessageSpawner,
  messageThreads,
  setMessageSpawner,
  type ToMessageHelper,
} from './parallel/messages.ts';
export { createMessageHelper } from './parallel/messageHelper.ts';

// --- data import: CSV preview, HDF5, image folders, one size limit (engine/data) ---
export {
  type CsvChoices,
  type CsvColumn,
  type CsvFacts,
  type CsvPreview,
  checkCsvSpec,
  csvDataset,
  csvSpec,
  type DecodedImage,
  datasetSummary,
  decodeCsvBytes,
  decodeImage,
  type H5Data,
  type H5File,
  type H5Node,
  hdf5Dataset,
  ignoredFilesProblem,
  imageFolderDataset,
  imageFolderFiles,
  imageSize,
  importSizeProblem,
  MAX_IMAGE_PIXELS,
  MAX_IMPORT_BYTES,
  openHdf5,
  previewCsv,
  rememberCsvFacts,
  type TextEncodingName,
} from './data/index.ts';
export { type ArrayData, decodeArray, encodeArray } from './datasets/index.ts';
export { MAX_ARRAYS_BYTES } from './format/schema.ts';

// --- sweeps: variants of a document, every combination × repeats (engine/sweep) ---
export {
  applySetting,
  currentValue,
  describeType,
  type FieldType,
  groupBySettings,
  LAYERS_FIELD,
  MAX_LAYERS,
  MAX_SWEEP_RUNS,
  meanSd,
  parseVary,
  type SettingValue,
  SweepError,
  type SweepVariant,
  settingPaths,
  settingsKey,
  settingsLabel,
  settingType,
  settingValue,
  sweepVariants,
  type Vary,
} from './sweep/index.ts';

// --- lessons: the tutorials as data, checked against the learner's graph and run (engine/lessons) ---
export {
  beats,
  challenges,
  checkLesson,
  findLesson,
  HINT_TEXTS,
  hintText,
  lessons,
  lessonText,
  lessonValues,
  metricValue,
} from './lessons/index.ts';
export type * from './lessons/types.ts';

// --- test support: fixtures and measurements the app's and the engine's tests share ---
export { makeCatFixture } from './data/testing/catFixture.ts';
export { leastCpuMs } from './testing/cpu.ts';
export { halfWidthMarks, hasJapanese } from './testing/japanese.ts';
