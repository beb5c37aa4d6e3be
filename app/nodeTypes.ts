// The one registry of node types: palette entries, defaults, inspector fields and colours.
import type { ActivationFn, DatasetSpec, GraphNode, InitKind, LossFn, NodeType } from '../engine/index.ts';

export type FieldSpec =
  | { key: string; label: string; kind: 'int'; min: number; max: number; optional?: boolean }
  | { key: string; label: string; kind: 'number'; min: number; max: number; optional?: boolean }
  | { key: string; label: string; kind: 'select'; options: readonly string[]; optional?: boolean }
  | { key: string; label: string; kind: 'bool' };

export interface NodeTypeSpec {
  type: NodeType;
  label: string;
  /** One line for the palette tooltip. */
  description: string;
  color: string;
  defaults: () => GraphNode['data'];
  fields: FieldSpec[];
}

export const ACTIVATION_FNS: readonly ActivationFn[] = ['identity', 'relu', 'leaky_relu', 'sigmoid', 'tanh', 'softmax'];
export const LOSS_FNS: readonly LossFn[] = ['squared_error', 'mse', 'cross_entropy', 'binary_cross_entropy'];
export const INITS: readonly InitKind[] = ['glorot_uniform', 'he_normal', 'uniform', 'normal', 'zeros'];

export const NODE_TYPES: Record<NodeType, NodeTypeSpec> = {
  input: {
    type: 'input',
    label: 'Input',
    description: 'A batch of features x and targets y from a dataset',
    color: '#2f7d5b',
    defaults: () => ({ dataset: { kind: 'xor' } }),
    fields: [],
  },
  dense: {
    type: 'dense',
    label: 'Dense',
    description: 'Fully connected layer: out = in · W + b',
    color: '#3b64b5',
    defaults: () => ({ units: 8 }),
    fields: [
      { key: 'units', label: 'Units', kind: 'int', min: 1, max: 100_000 },
      { key: 'init', label: 'Weight init', kind: 'select', options: INITS, optional: true },
      { key: 'scale', label: 'Scale (uniform)', kind: 'number', min: 1e-6, max: 100, optional: true },
      { key: 'std', label: 'Std (normal)', kind: 'number', min: 1e-6, max: 100, optional: true },
      { key: 'bias', label: 'Bias', kind: 'bool' },
      { key: 'biasInit', label: 'Bias init', kind: 'select', options: INITS, optional: true },
    ],
  },
  activation: {
    type: 'activation',
    label: 'Activation',
    description: 'Element-wise nonlinearity (softmax per row)',
    color: '#a05a2c',
    defaults: () => ({ fn: 'relu' }),
    fields: [{ key: 'fn', label: 'Function', kind: 'select', options: ACTIVATION_FNS }],
  },
  add: {
    type: 'add',
    label: 'Add',
    description: 'Element-wise sum of a and b (residual)',
    color: '#6d5bb0',
    defaults: () => ({}),
    fields: [],
  },
  concat: {
    type: 'concat',
    label: 'Concat',
    description: "Joins a and b's features",
    color: '#6d5bb0',
    defaults: () => ({}),
    fields: [],
  },
  loss: {
    type: 'loss',
    label: 'Loss',
    description: 'The scalar that training minimises',
    color: '#b0413e',
    defaults: () => ({ fn: 'mse' }),
    fields: [{ key: 'fn', label: 'Function', kind: 'select', options: LOSS_FNS }],
  },
};

export const NODE_TYPE_LIST: NodeTypeSpec[] = Object.values(NODE_TYPES);

export const DATASET_KINDS: readonly DatasetSpec['kind'][] = [
  'xor',
  'and',
  'or',
  'circle',
  'spiral',
  'gauss',
  'xor_cloud',
  'function',
  'mnist',
  'csv',
];

/** A sensible dataset when the user picks a kind. */
export function defaultDataset(kind: DatasetSpec['kind']): DatasetSpec {
  switch (kind) {
    case 'xor':
    case 'and':
    case 'or':
      return { kind };
    case 'circle':
    case 'spiral':
    case 'gauss':
    case 'xor_cloud':
      return { kind, samples: 400, noise: 0.1 };
    case 'function':
      return { kind, expr: 'x^2', domain: [0, 3], samples: 200 };
    case 'mnist':
      return { kind, train: 8000, test: 2000 };
    case 'csv':
      return { kind, text: 'x1,x2,label\n0,0,a\n0,1,b\n1,0,b\n1,1,a\n', target: 'label' };
  }
}
