// What the PyTorch and NumPy generators print alike: string literals, the embedded weights, the
// training defaults and the command line of their `__main__`.
import { encodeBase64, float32Bytes } from '../format/weights.ts';
import type { ExportLayer, ExportPlan } from './plan.ts';

/** A Python string literal (JSON's escapes are Python's). */
export const py = (s: string): string => JSON.stringify(s);

/** A Python float literal ("2.0", "0.001"). */
export const pyFloat = (v: number): string => (Number.isInteger(v) ? `${v}.0` : String(v));

/** A Python tuple literal of a shape ("(784,)", "(4, 4, 3)", "()"). */
export const pyTuple = (shape: readonly number[]): string =>
  shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;

export const PYTHON_KEYWORDS = (
  'False None True and as assert async await break class continue def del elif else except finally for from ' +
  'global if import in is lambda nonlocal not or pass raise return try while with yield match case type'
).split(' ');

/** "Dense \"h\"": how generated comments name a node (its id as a string literal, so any id is safe). */
export function nodeTitle(layer: Pick<ExportLayer, 'id' | 'type'>): string {
  return `${layer.type[0]!.toUpperCase()}${layer.type.slice(1)} ${py(layer.id)}`;
}

export interface PythonOptions {
  /** Replace each embedded weight by a one-line comment (readable code for the app's Code panel; it does not run). */
  elideWeights?: boolean;
}

/**
 * `WEIGHTS = {key: (shape, base64 of little-endian float32)}`, parameters then buffers in the model's order;
 * elided, one comment per parameter instead.
 */
export function weightsBlock(plan: ExportPlan, options: PythonOptions): string {
  const lines = [...plan.params, ...plan.buffers].map((p) => {
    const shape = `[${p.shape.join(', ')}]`;
    if (options.elideWeights) return `    # ${p.key}: float32${shape} — trained weights elided`;
    return `    ${py(p.key)}: (${shape}, ${py(encodeBase64(float32Bytes(p.value.data)))}),`;
  });
  return [
    '# The weights (and buffers) under the engine\'s keys ("h.W" is [inputs, units], "h.b" is [units]):',
    '# (shape, base64 of little-endian float32 values).',
    'WEIGHTS = {',
    ...lines,
    '}',
  ].join('\n');
}

/** The document's training settings and shapes as Python constants. */
export function settingsBlock(plan: ExportPlan): string {
  const t = plan.training;
  return [
    `INPUT_SHAPE = ${pyTuple(plan.inputShape)}  # per sample, without the batch axis`,
    `TARGET_SHAPE = ${pyTuple(plan.targetShape)}`,
    `EPOCHS = ${t.epochs}`,
    `BATCH_SIZE = ${t.batchSize}`,
    `LEARNING_RATE = ${pyFloat(t.optimizer.learningRate)}`,
    `WEIGHT_DECAY = ${pyFloat(t.weightDecay ?? 0)}  # L2, on the keys in DECAY_KEYS (weights, not biases)`,
    `DECAY_KEYS = [${plan.params
      .filter((p) => p.decay)
      .map((p) => py(p.key))
      .join(', ')}]`,
    `SEED = ${t.seed}`,
  ].join('\n');
}

/** The argparse lines both `__main__`s share (the data file and the document's defaults). */
export function argumentLines(what: string): string {
  return [
    `    parser = argparse.ArgumentParser(description=${py(what)})`,
    '    parser.add_argument("--data", required=True, help=".npz file with arrays x [N, ...] and y [N, ...]")',
    '    parser.add_argument("--epochs", type=int, default=EPOCHS)',
    '    parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)',
    '    parser.add_argument("--lr", type=float, default=LEARNING_RATE)',
    '    parser.add_argument("--seed", type=int, default=SEED)',
  ].join('\n');
}

/** The docstring that opens a generated file. */
export function fileDocstring(plan: ExportPlan, title: string, body: string[]): string {
  return [`"""${title} of the nodegrad graph ${py(plan.name)}.`, '', ...body, '"""'].join('\n');
}

/** "cross_entropy, fused with the softmax before it". */
export function lossTitle(plan: ExportPlan): string {
  const { fn, fused } = plan.loss;
  return fused ? `${fn}, fused with the ${fused} before it` : fn;
}
