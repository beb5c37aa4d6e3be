// Chains for tests of limits: Input → layers → Loss, built with the shared `graph` builder.
import type { DatasetSpec, GraphDoc } from '../format/types.ts';
import { graph } from './checkGradients.ts';

export type Layer = ['dense', number] | ['activation', string];

/**
 * Input (with `dataset`) → layers n0, n1, … → Loss (cross-entropy after a softmax, else MSE).
 * `cycle` feeds the last layer back into the first instead of the input.
 *
 * @example
 * chain({ kind: 'xor' }, [['dense', 3], ['activation', 'tanh'], ['dense', 1]], 4)
 */
export function chain(
  dataset: DatasetSpec,
  layers: Layer[],
  batchSize: number,
  options: { cycle?: boolean } = {},
): GraphDoc {
  const ids = layers.map((_, i) => `n${i}`);
  const last = ids.at(-1)!;
  const softmax = layers.at(-1)![1] === 'softmax';
  const doc = graph(
    [
      ['in', 'input', { dataset }],
      ...layers.map(([type, v], i): Parameters<typeof graph>[0][number] => [
        ids[i]!,
        type,
        type === 'dense' ? { units: v } : { fn: v },
      ]),
      ['L', 'loss', { fn: softmax ? 'cross_entropy' : 'mse' }],
    ],
    [
      ['in', 'n0'],
      ...ids.slice(1).map((id, i): [string, string] => [ids[i]!, id]),
      [last, 'L.pred'],
      ['in.y', 'L.target'],
    ],
  );
  doc.training.batchSize = batchSize;
  if (options.cycle) Object.assign(doc.edges[0]!, { source: last, sourceHandle: 'out' });
  return doc;
}
