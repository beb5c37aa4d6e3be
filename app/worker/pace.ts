// The pace of training: how many steps the worker trains per second and how often it reports.
// A UI setting, not part of the document: the same graph can be watched or trained at full speed.
import type { GraphDoc } from '../../engine/index.ts';

export type Pace = 'step' | 'slow' | 'watch' | 'full';

/** Slowest first, the order of the speed control. */
export const PACES: readonly Pace[] = ['step', 'slow', 'watch', 'full'];

/** Training steps (mini-batches) per second; null: as fast as the worker can. */
export const STEPS_PER_SECOND: Readonly<Record<Pace, number | null>> = {
  step: 1,
  slow: 10,
  // NOTE: XOR's 2,000 one-batch epochs take ≈ 13 s: slow enough to see its surface morph.
  watch: 150,
  full: null,
};

/** Milliseconds between reports of each kind while running; 0: after every step.
 * NOTE: paced bursts come every 16 ms, so watch's 45 and 90 mean every 3rd and 6th burst (100 would be every 7th). */
export interface ReportIntervals {
  progress: number;
  stats: number;
  output: number;
  heatmap: number;
}

export const REPORT_INTERVALS: Readonly<Record<Pace, ReportIntervals>> = {
  step: { progress: 0, stats: 0, output: 0, heatmap: 0 },
  slow: { progress: 0, stats: 0, output: 0, heatmap: 0 },
  watch: { progress: 45, stats: 90, output: 90, heatmap: 250 },
  full: { progress: 50, stats: 100, output: 300, heatmap: 500 },
};

/**
 * Nodes whose statistics the page decodes and draws in well under a frame's 50 ms budget; a larger
 * graph gets them proportionally less often (a 5,000-node chain: every 2 s), since each message
 * carries every node.
 */
export const STATS_NODES = 250;
/** The longest wait between two statistics (and weight heatmaps) of a large graph while it trains. */
export const MAX_STATS_MS = 2000;

/**
 * The report intervals of `pace` for a graph of `nodes` nodes: statistics and heatmaps stretched for
 * graphs over STATS_NODES nodes, up to MAX_STATS_MS.
 *
 * @example
 * reportIntervals('full', 5000).stats; // 2000
 */
export function reportIntervals(pace: Pace, nodes: number): ReportIntervals {
  const base = REPORT_INTERVALS[pace];
  if (nodes <= STATS_NODES) return base;
  const stretch = (ms: number) => Math.max(ms, Math.min(MAX_STATS_MS, (Math.max(ms, 100) * nodes) / STATS_NODES));
  return { ...base, stats: stretch(base.stats), heatmap: stretch(base.heatmap) };
}

/**
 * Full speed for real data sets (MNIST, CSV), where a run has many batches; a watchable pace for the
 * small synthetic ones (XOR, AND, function fits, spirals…).
 * @example defaultPace(mnistDoc) // 'full'
 */
export function defaultPace(doc: GraphDoc): Pace {
  const input = doc.nodes.find((n) => n.type === 'input');
  const kind = input?.type === 'input' ? input.data.dataset?.kind : undefined;
  return kind === 'mnist' || kind === 'csv' ? 'full' : 'watch';
}
