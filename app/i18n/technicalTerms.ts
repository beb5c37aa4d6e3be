// The Latin words the Japanese UI may show: technical names a learner meets in code and papers, and
// the format's own values (sigmoid, cross_entropy, …), which menus show beside their Japanese term.
// The Japanese walk-through test (e2e/japanese.spec.ts) fails on any other Latin word.
import { datasetSchema, NODE_DEFINITIONS, optimizerSchema } from '../../engine/index.ts';
import { fieldInfo } from '../panels/schemaFields.ts';

const NAMES = [
  // data, files and tools
  'MNIST',
  'CSV',
  'HDF5',
  'ONNX',
  'PyTorch',
  'NumPy',
  'JSON',
  'PNG',
  'JPEG',
  'SVG',
  'WebGL',
  'nodegrad',
  'Runtime',
  'opset',
  'torchrun',
  'Esc',
  'Ctrl',
  'Shift',
  'Enter',
  'Delete',
  // the language menu names each language in itself
  'English',
  'KB',
  'MB',
  'ms',
  // hardware and network families named in settings and examples
  'CPU',
  'CNN',
  'MLP',
  'LeNet',
  'XOR',
  'AND',
  'OR',
  // the cat tutorial's layer notation (LINEAR → RELU → LINEAR → SIGMOID), which its lesson quotes
  'LINEAR',
  // methods and people
  'ReLU',
  'Leaky',
  'Adam',
  'SGD',
  'Glorot',
  'Xavier',
  'He',
  'RMS',
  'NaN',
  'L2',
  'float32',
  'float64',
  // symbols in formulas, handles and axes
  'x',
  'y',
  'W',
  'b',
  'a',
  'p',
  't',
  'z',
  'B',
  'e',
  'h',
  'w',
  'L',
  'dL',
  'dw',
  'dLoss',
  'dy',
  'dE',
  // a term Japanese texts write in Latin letters (one-hot 表現)
  'one-hot',
  'db',
  'dW',
  'dz',
  'dx',
  'dout',
  'd',
  'lr',
  'f',
  'pi',
  'sin',
  'cos',
  'tan',
  'exp',
  'log',
  'sqrt',
  'abs',
  'max',
  'min',
  'in',
  'out',
] as const;

/** Every allowed word, lower-cased. */
export const TECHNICAL_WORDS: ReadonlySet<string> = new Set(
  [
    ...NAMES,
    ...NODE_DEFINITIONS.flatMap((d) => [
      d.type,
      // port ids: problem messages name them as the document does (the canvas shows 予測, 正解)
      ...d.ports.inputs,
      ...d.ports.outputs,
      ...d.fields.map((f) => f.key),
      ...d.fields.filter((f) => f.kind === 'select').flatMap((f) => fieldInfo(d as never, f).options),
    ]),
    ...optimizerSchema.options.map((o) => o.shape.type.value),
    ...datasetSchema.options.flatMap((o) =>
      'options' in o.shape.kind ? o.shape.kind.options : [...o.shape.kind.values],
    ),
  ].map((w) => w.toLowerCase()),
);

/**
 * True for a word the Japanese UI may show: an allowed name, a single letter (a symbol or a key), or a
 * code-like name (snake_case,
 * dotted, with digits or brackets: `glorot_uniform`, `h.units`, `train_catvnoncat.h5`, `build_model()`).
 */
export function isTechnicalWord(word: string): boolean {
  return TECHNICAL_WORDS.has(word.toLowerCase()) || word.length === 1 || /[_.\d()²]/.test(word);
}
