// Small builders for the step-through's terms, shared by the node modules.
import type { TraceTensor, TraceTerm } from '../train/traceTypes.ts';

/** A tensor shown as a vector (or a heatmap when large). */
export const vectorTerm = (tensor: TraceTensor, label: string): TraceTerm => ({ tensor, label });

/** A tensor shown as a matrix (rows × columns). */
export const matrixTerm = (tensor: TraceTensor, label: string): TraceTerm => ({ tensor, label, matrix: true });

/** The inputs (labelled by port, or `label`), `op` between them, then → and the output. */
export function inputsToOutput(
  inputs: readonly TraceTensor[],
  output: TraceTensor,
  labels: { inputs: readonly string[]; op?: string; output?: string },
): TraceTerm[] {
  const terms: TraceTerm[] = [];
  inputs.forEach((t, i) => {
    if (i > 0) terms.push({ op: labels.op ?? ',' });
    terms.push(vectorTerm(t, labels.inputs[i] ?? ''));
  });
  terms.push({ op: '→' });
  terms.push(labels.output ? vectorTerm(output, labels.output) : { tensor: output, label: 'out', labelKey: 'out' });
  return terms;
}

/** The gradient passed down unchanged (a copy). */
export const passThrough = (_port: number, g: Float32Array): Float32Array => g.slice();
