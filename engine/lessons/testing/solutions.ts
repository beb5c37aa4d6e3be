// Test helpers: a learner's graph for each lesson, built from a chain of layers with ids and positions
// no template uses (hostile ids such as "__proto__" included), trained with the engine's trainer.
import type { RunSummary } from '../../train/types.ts';
import { loadDataset } from '../../datasets/index.ts';
import type { DatasetSpec, GraphDoc, GraphEdge, GraphNode, TrainingConfig } from '../../format/types.ts';
import { loadMnistFile } from '../../node.ts';
import { createTrainer } from '../../train/trainer.ts';
import { runSummary } from '../../train/summary.ts';

/** One node of a chain: its type and data. */
export type Link = readonly [type: string, data?: Record<string, unknown>];

const ODD_IDS = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'x', 'y', '0', 'in', 'L', 'out'];

/**
 * Input → links… → Loss, wired x to the first link, the last link to `pred` and y to `target`.
 * Ids come from `seed` (never the examples' ids at the same places), nodes are listed in a shuffled
 * order at scattered positions.
 */
export function chainGraph(
  dataset: DatasetSpec,
  links: readonly Link[],
  lossFn: string,
  training: TrainingConfig,
  seed = 1,
): GraphDoc {
  const ids = [...ODD_IDS.slice(seed % ODD_IDS.length), ...ODD_IDS.slice(0, seed % ODD_IDS.length)];
  const idOf = (i: number) => `${ids[i % ids.length]}${i >= ids.length ? i : ''}`;
  const nodes: GraphNode[] = [];
  const all: Link[] = [['input', { dataset }], ...links, ['loss', { fn: lossFn }]];
  all.forEach(([type, data], i) => {
    nodes.push({
      id: idOf(i),
      type,
      position: { x: ((i * 7919 * seed) % 1000) - 300, y: ((i * 104729) % 700) - 350 },
      data: data ?? {},
    } as GraphNode);
  });
  const edges: GraphEdge[] = [];
  const link = (source: string, sourceHandle: string, target: string, targetHandle: string) =>
    edges.push({ id: `wire-${edges.length}-${seed}`, source, sourceHandle, target, targetHandle });
  for (let i = 1; i < all.length; i++)
    link(idOf(i - 1), i === 1 ? 'x' : 'out', idOf(i), i === all.length - 1 ? 'pred' : 'in');
  link(idOf(0), 'y', idOf(all.length - 1), 'target');
  const order = nodes.map((_, i) => i).sort((a, b) => ((a * 31 + seed) % 7) - ((b * 31 + seed) % 7));
  return {
    format: 'nodegrad-graph',
    version: 1,
    name: 'my graph',
    nodes: order.map((i) => nodes[i]!),
    edges: edges.reverse(),
    training,
  };
}

/** Trains `doc` for its `training.epochs` (MNIST from the data file) and returns the CLI's summary. */
export function train(doc: GraphDoc): RunSummary {
  const input = doc.nodes.find((n) => n.type === 'input');
  const spec = input?.type === 'input' ? input.data.dataset : undefined;
  if (!spec) throw new Error('no dataset');
  const seed = doc.training.seed;
  const dataset = loadDataset(spec, { seed, mnist: spec.kind === 'mnist' ? loadMnistFile() : undefined });
  const trainer = createTrainer(doc, dataset, { seed });
  while (trainer.epoch < doc.training.epochs) trainer.trainEpoch();
  return runSummary(trainer);
}
