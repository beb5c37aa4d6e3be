// zod schemas of the graph document, version 1. Node `data` is validated per type after the node's
// common fields, so an unknown type gets one clear message instead of a union error.
import { z } from 'zod';

export const finite = () => z.number().refine(Number.isFinite, 'must be a finite number');
export const count = (min: number, max: number) => z.number().int('must be a whole number').min(min).max(max);
export const shortString = (max = 1000) => z.string().max(max, `must be at most ${max} characters`);

export const activationFnSchema = z.enum(['identity', 'relu', 'leaky_relu', 'sigmoid', 'tanh', 'softmax']);
export const lossFnSchema = z.enum(['squared_error', 'mse', 'cross_entropy', 'binary_cross_entropy']);
export const initSchema = z.enum(['glorot_uniform', 'he_normal', 'uniform', 'normal', 'zeros']);

export type ActivationFn = z.infer<typeof activationFnSchema>;
export type LossFn = z.infer<typeof lossFnSchema>;
export type InitKind = z.infer<typeof initSchema>;

const MAX_SAMPLES = 1_000_000;
/** Most characters of an inline CSV (`dataset.text`). */
export const MAX_CSV_CHARS = 20_000_000;

/**
 * Most bytes of an `arrays` dataset's tensors together (x, y, testX, testY): as base64 they take
 * no more of a document than a CSV at MAX_CSV_CHARS, so one document size limit still holds.
 */
export const MAX_ARRAYS_BYTES = 45_000_000;

/** An imported tensor of an `arrays` dataset: like weights, but uint8 (images) or float32. */
export const encodedArraySchema = z.strictObject({
  dtype: z.enum(['uint8', 'float32']),
  shape: z.array(count(0, 100_000_000)).min(1).max(8),
  base64: z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'is not base64'),
});

/** `input.data.dataset`: where the Input node's samples come from. */
export const datasetSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.enum(['xor', 'and', 'or']) }),
  z.strictObject({
    kind: z.literal('function'),
    expr: z.string().min(1, 'must not be empty').max(1000),
    domain: z
      .tuple([finite(), finite()])
      .refine(([lo, hi]) => lo < hi, 'the lower bound must be below the upper bound'),
    samples: count(2, MAX_SAMPLES),
    noise: finite().min(0).optional(),
  }),
  z.strictObject({
    kind: z.enum(['circle', 'spiral', 'gauss', 'xor_cloud']),
    samples: count(4, MAX_SAMPLES),
    noise: finite().min(0).max(10),
  }),
  z
    .strictObject({
      kind: z.literal('mnist'),
      train: count(1, 10_000),
      test: count(1, 10_000),
      binaryDigit: count(0, 9).optional(),
    })
    .refine((d) => d.train + d.test <= 10_000, {
      message: 'train + test must be at most 10000 (the MNIST set has 10,000 digits)',
      path: ['train'],
    }),
  z.strictObject({
    kind: z.literal('csv'),
    text: z.string().max(MAX_CSV_CHARS, `must be at most ${MAX_CSV_CHARS} characters`),
    features: z.array(shortString(200)).max(10_000).optional(),
    target: shortString(200),
    targetType: z.enum(['numeric', 'categorical']).optional(),
    /** Scale features to mean 0, std 1 with the training split's statistics (default true). */
    standardize: z.boolean().optional(),
    testFraction: finite().min(0).max(0.9).optional(),
  }),
  z.strictObject({
    kind: z.literal('arrays'),
    x: encodedArraySchema,
    y: encodedArraySchema,
    /** x is multiplied by it (default 1/255 for uint8, else 1). */
    scale: finite().positive().optional(),
    classNames: z.array(shortString(200)).min(2).max(1000).optional(),
    testX: encodedArraySchema.optional(),
    testY: encodedArraySchema.optional(),
    testFraction: finite().min(0).max(0.9).optional(),
  }),
]);

// NOTE: nodes and edges strip unknown keys (React Flow adds `selected`, `measured`, …), node data is strict.
export const nodeSchema = z.object({
  id: z.string().min(1, 'must not be empty').max(200),
  type: z.string().max(100),
  position: z.object({ x: finite(), y: finite() }),
  data: z.record(z.string(), z.unknown()),
});

export const edgeSchema = z.object({
  id: z.string().min(1, 'must not be empty').max(200),
  source: z.string().max(200),
  sourceHandle: z.string().max(100),
  target: z.string().max(200),
  targetHandle: z.string().max(100),
});

export const optimizerSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('sgd'), learningRate: finite().positive().max(1e9) }),
  z.strictObject({
    type: z.literal('momentum'),
    learningRate: finite().positive().max(1e9),
    momentum: finite().min(0).max(0.9999).optional(),
  }),
  z.strictObject({
    type: z.literal('adam'),
    learningRate: finite().positive().max(1e9),
    beta1: finite().min(0).max(0.9999).optional(),
    beta2: finite().min(0).max(0.999999).optional(),
    epsilon: finite().positive().max(1).optional(),
  }),
]);

export const encodedTensorSchema = z.strictObject({
  dtype: z.literal('float32'),
  shape: z.array(count(0, 100_000_000)).max(8),
  base64: z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'is not base64'),
});

export const MAX_NODES = 10_000;

export const documentSchema = z.strictObject({
  format: z.string(),
  version: z.number(),
  name: shortString(200).optional(),
  nodes: z.array(z.unknown()).max(MAX_NODES, `a graph may hold at most ${MAX_NODES} nodes`),
  edges: z.array(z.unknown()).max(4 * MAX_NODES),
  training: z.record(z.string(), z.unknown()).optional(),
  // NOTE: not z.record: zod drops a `__proto__` key, and a node id may be `__proto__` (parseGraph checks it).
  weights: z.unknown().optional(),
});

/** The training settings of a document; parseGraph fills missing fields from DEFAULT_TRAINING. */
export const trainingConfigSchema = z.strictObject({
  optimizer: optimizerSchema,
  batchSize: count(1, 100_000),
  epochs: count(1, 1_000_000),
  seed: count(0, 4_294_967_295),
  /** L2 weight decay applied to weights (not biases); default 0. */
  weightDecay: finite().min(0).max(1).optional(),
});

export const trainingSchema = trainingConfigSchema.partial();

export type DatasetSpec = z.infer<typeof datasetSchema>;
export type EncodedArray = z.infer<typeof encodedArraySchema>;
export type OptimizerConfig = z.infer<typeof optimizerSchema>;
export type TrainingConfig = z.infer<typeof trainingConfigSchema>;
