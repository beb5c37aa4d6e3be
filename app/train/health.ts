// A network's health, per node, from the live statistics: dead ReLUs, saturated sigmoid/tanh units,
// vanishing or exploding gradients between consecutive layers, updates too small or too large for
// the weights, a loss that stalls. Each finding names its number; the texts (what it means, one
// thing to try) are in the catalogue under `health.<code>.*`.
import type { EpochMetrics, GraphDoc } from '../../engine/index.ts';
import type { NodeStats } from '../worker/protocol.ts';

export type HealthCode =
  | 'dead-relu'
  | 'saturated'
  | 'vanishing'
  | 'exploding'
  | 'update-small'
  | 'update-large'
  | 'loss-stalled';

export interface HealthFinding {
  code: HealthCode;
  /** The measured number the finding is about (a fraction, a ratio, a relative change). */
  value: number;
  /** Amber: worth a look; red: training is likely hurt. */
  level: 'warn' | 'bad';
}

/** The thresholds, one place. */
export const HEALTH_LIMITS = {
  /** Share of ReLU units zero on the whole probe batch. */
  dead: { warn: 0.5, bad: 0.9 },
  /** Share of sigmoid/tanh outputs where the slope is under a tenth of its peak. */
  saturated: { warn: 0.5, bad: 0.9 },
  /** The size of dL/d(output) per sample (its L2 norm) of a layer over the next layer's below
   * `vanishing` or above `exploding` (or over the last layer's below vanishing² or above exploding²).
   * NOTE: a norm, not an RMS: the RMS per element falls by design where a layer is wider than the next
   * (a pooling's gradient goes to one input of each window; MNIST's CNN: conv c2 [8, 8, 16] against
   * Dense o [10] read 0.075, "vanishing", on a network training well). */
  vanishing: 0.1,
  exploding: 10,
  /** lr·‖∇W‖/‖W‖ outside this band: updates too small to move the weights, or large enough to throw them around. */
  update: { low: 1e-4, high: 1e-2 },
  /** The loss stalls: the best loss of the last `window` epochs improved less than `gain` on the best before them. */
  stall: { window: 20, gain: 0.01 },
  /** Below this share of the initial loss the network has learned: small updates and a flat loss are fine then. */
  converged: 0.02,
} as const;

export interface HealthInput {
  doc: GraphDoc;
  nodes: ReadonlyMap<string, NodeStats>;
  history: readonly EpochMetrics[];
  initialLoss: number | null;
}

/** Findings by node id (only nodes with something to say). */
export function assessHealth({ doc, nodes, history, initialLoss }: HealthInput): Map<string, HealthFinding[]> {
  const out = new Map<string, HealthFinding[]>();
  const add = (id: string, f: HealthFinding) => out.set(id, [...(out.get(id) ?? []), f]);
  const lossNow = history.at(-1)?.trainLoss;
  const converged =
    initialLoss !== null && lossNow !== undefined && lossNow < HEALTH_LIMITS.converged * Math.max(initialLoss, 1e-12);
  const trained = history.length > 0;

  for (const [id, s] of nodes) {
    if (s.dead !== undefined && s.dead >= HEALTH_LIMITS.dead.warn)
      add(id, { code: 'dead-relu', value: s.dead, level: s.dead >= HEALTH_LIMITS.dead.bad ? 'bad' : 'warn' });
    if (s.saturated !== undefined && s.saturated >= HEALTH_LIMITS.saturated.warn && !converged)
      add(id, {
        code: 'saturated',
        value: s.saturated,
        level: s.saturated >= HEALTH_LIMITS.saturated.bad ? 'bad' : 'warn',
      });
    if (trained && s.updateRatio !== undefined && s.weightNorm !== undefined && s.weightNorm > 0) {
      if (s.updateRatio > HEALTH_LIMITS.update.high)
        add(id, { code: 'update-large', value: s.updateRatio, level: s.updateRatio > 0.1 ? 'bad' : 'warn' });
      else if (s.updateRatio < HEALTH_LIMITS.update.low && !converged)
        add(id, { code: 'update-small', value: s.updateRatio, level: 'warn' });
    }
  }

  // Gradient flow: each layer with parameters against the next one towards the loss, and against the
  // last layer (a gradient can shrink a little per layer and still vanish over many).
  if (trained) {
    const next = nextLayers(doc, nodes);
    const lastOf = lastLayers(next);
    for (const [id, after] of next) {
      const norm = (n: string) => {
        const s = nodes.get(n);
        return s?.gradRms == null ? null : s.gradRms * Math.sqrt(s.shape.reduce((p, d) => p * d, 1));
      };
      const [a, b, z] = [norm(id), norm(after), norm(lastOf.get(id) ?? after)];
      if (a === null || b === null || z === null || b <= 0 || z <= 0) continue;
      const step = a / b;
      const total = a / z;
      const { vanishing, exploding } = HEALTH_LIMITS;
      if ((step < vanishing || total < vanishing ** 2) && !converged) {
        const value = Math.min(step, total);
        add(id, { code: 'vanishing', value, level: value < vanishing ** 3 ? 'bad' : 'warn' });
      } else if (step > exploding || total > exploding ** 2) {
        const value = Math.max(step, total);
        add(id, { code: 'exploding', value, level: value > exploding ** 3 ? 'bad' : 'warn' });
      }
    }
  }

  const loss = doc.nodes.find((n) => n.type === 'loss');
  const stalled = loss && !converged ? stallGain(history) : null;
  if (loss && stalled !== null) add(loss.id, { code: 'loss-stalled', value: stalled, level: 'warn' });
  return out;
}

/** Relative improvement of the last window's best loss on the best before it, when below the limit. */
export function stallGain(history: readonly EpochMetrics[]): number | null {
  const { window, gain } = HEALTH_LIMITS.stall;
  if (history.length < 2 * window) return null;
  const best = (from: number, to: number) => {
    let m = Number.POSITIVE_INFINITY;
    for (let i = from; i < to; i++) m = Math.min(m, history[i]!.trainLoss);
    return m;
  };
  const before = best(0, history.length - window);
  const recent = best(history.length - window, history.length);
  const improvement = (before - recent) / Math.max(Math.abs(before), 1e-12);
  return improvement < gain ? improvement : null;
}

/** For each node with weights and a gradient, the nearest node downstream that has them too. */
/**
 * The last layer each layer's chain of next layers reaches, for all layers in one pass: each chain is
 * walked once and its answer kept for every layer on it (walking from each layer was quadratic: a
 * 5,000-node chain cost seconds per statistics update).
 */
function lastLayers(next: ReadonlyMap<string, string>): Map<string, string> {
  const last = new Map<string, string>();
  for (const start of next.keys()) {
    const path: string[] = [];
    const onPath = new Set<string>();
    let at = start;
    while (next.has(at) && !last.has(at) && !onPath.has(at)) {
      path.push(at);
      onPath.add(at);
      at = next.get(at) as string;
    }
    // NOTE: `at` ends the chain, or is a layer already answered, or closes a cycle (then it is the end).
    const end = last.get(at) ?? at;
    for (const id of path) last.set(id, end);
  }
  return last;
}

function nextLayers(doc: GraphDoc, nodes: ReadonlyMap<string, NodeStats>): Map<string, string> {
  const out = new Map<string, string[]>();
  for (const e of doc.edges) out.set(e.source, [...(out.get(e.source) ?? []), e.target]);
  const isLayer = (id: string) => nodes.get(id)?.weightNorm !== undefined && nodes.get(id)?.gradRms != null;
  const pairs = new Map<string, string>();
  for (const id of nodes.keys()) {
    if (!isLayer(id)) continue;
    const seen = new Set<string>([id]);
    let frontier = out.get(id) ?? [];
    search: while (frontier.length > 0) {
      const next: string[] = [];
      for (const n of frontier) {
        if (seen.has(n)) continue;
        seen.add(n);
        if (isLayer(n)) {
          pairs.set(id, n);
          break search;
        }
        next.push(...(out.get(n) ?? []));
      }
      frontier = next;
    }
  }
  return pairs;
}
