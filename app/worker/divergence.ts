// Divergence is a state: training stops when the loss turns NaN/Infinity (the engine's trainer stops
// itself and rolls back) or explodes while staying finite (MNIST at learning rate 500 jumps from 2.4
// to 1e4 and then wanders at ≈ 200 without a single NaN). The trainer cannot see an explosion, so
// this guard does what it does for a NaN: stop, roll back to the last healthy parameters and forget
// the optimizer's moments, so a lower learning rate trains on at once. Weights that arrive with
// NaN/Infinity (an imported file) are another matter: no learning rate helps and there is no healthy
// step to go back to, so the guard starts stopped ('badWeights') until a Reset initialises them.
import type { NonFiniteReport, StepResult, Trainer } from '../../engine/index.ts';

/** A batch loss above EXPLODE_FACTOR × max(starting loss, LOSS_FLOOR) has exploded. */
export const EXPLODE_FACTOR = 100;
// NOTE: a resumed, well-trained run starts near 0; the floor keeps one noisy batch from counting.
export const LOSS_FLOOR = 0.1;

export interface DivergenceReport extends NonFiniteReport {
  cause: 'nonFinite' | 'exploded' | 'badWeights';
  /** For 'badWeights': the first parameter ("h.W") holding NaN/Infinity. */
  param?: string;
  /** The batch loss that stopped training. */
  loss: number;
  /** The loss the run started from (its parameters at load or reset). */
  startLoss: number;
  /** The limit the loss crossed (Infinity for a NaN/Infinity). */
  limit: number;
  learningRate: number;
  /** Epochs done when it stopped. */
  epoch: number;
}

export interface DivergenceGuard {
  /** Set while training is stopped; cleared by `clear` (a new learning rate or optimizer), but for 'badWeights'. */
  readonly stopped: DivergenceReport | null;
  /** Copies the current parameters: the rollback point once the next step shows their loss is healthy. */
  checkpoint(): void;
  /** Looks at one step's result; returns the report when this step stopped training. */
  check(r: StepResult): DivergenceReport | null;
  clear(): void;
}

/**
 * @example
 * const guard = createDivergenceGuard(trainer, trainer.evaluate().trainLoss);
 * const stopped = guard.check(trainer.trainStep());
 */
export function createDivergenceGuard(trainer: Trainer, startLoss: number): DivergenceGuard {
  const params = [...trainer.model.params];
  let healthy = params.map(([, t]) => Float32Array.from(t.data));
  let candidate = params.map(([, t]) => new Float32Array(t.data.length));
  let pending = false;
  let best = Number.isFinite(startLoss) ? startLoss : Number.POSITIVE_INFINITY;
  const limit = Number.isFinite(startLoss)
    ? EXPLODE_FACTOR * Math.max(startLoss, LOSS_FLOOR)
    : Number.POSITIVE_INFINITY;
  let stopped: DivergenceReport | null = null;

  const report = (base: NonFiniteReport, cause: DivergenceReport['cause'], loss: number): DivergenceReport => ({
    ...base,
    cause,
    loss,
    startLoss,
    limit: cause === 'exploded' ? limit : Number.POSITIVE_INFINITY,
    learningRate: trainer.optimizer.learningRate,
    epoch: trainer.epoch,
  });

  /** The node whose parameters moved furthest, relative to their size, since the healthy point. */
  const runaway = (): { nodeId: string; ratio: number } | null => {
    const moved = new Map<string, { change: number; size: number }>();
    params.forEach(([key, t], i) => {
      const before = healthy[i]!;
      let change = 0;
      let size = 0;
      for (let j = 0; j < before.length; j++) {
        const d = (t.data[j] as number) - (before[j] as number);
        change += d * d;
        size += (before[j] as number) ** 2;
      }
      const nodeId = key.slice(0, key.lastIndexOf('.'));
      const sum = moved.get(nodeId) ?? { change: 0, size: 0 };
      moved.set(nodeId, { change: sum.change + change, size: sum.size + size });
    });
    let top: { nodeId: string; ratio: number } | null = null;
    for (const [nodeId, { change, size }] of moved) {
      const ratio = Math.sqrt(change) / Math.max(Math.sqrt(size), 1e-12);
      if (!top || ratio > top.ratio) top = { nodeId, ratio };
    }
    return top;
  };

  /** The first parameter that holds NaN/Infinity before any step (weights loaded from a file). */
  function nonFiniteWeights(): DivergenceReport | null {
    for (const [key, t] of params) {
      const at = t.data.findIndex((v) => !Number.isFinite(v));
      if (at < 0) continue;
      const nodeId = key.slice(0, key.lastIndexOf('.'));
      const value = t.data[at] as number;
      const message = `the loaded weights of '${key}' are not finite (${value} at entry ${at})`;
      return { ...report({ nodeId, where: 'parameter', message }, 'badWeights', Number.NaN), param: key };
    }
    return null;
  }

  const explode = (loss: number): DivergenceReport => {
    const top = runaway();
    const lossNode = trainer.model.info.nodes.find((n) => n.type === 'loss')?.id ?? '';
    const grew = top ? `; the parameters of '${top.nodeId}' moved ${top.ratio.toPrecision(2)}× their size` : '';
    const base: NonFiniteReport = {
      nodeId: top?.nodeId ?? lossNode,
      where: top ? 'parameter' : 'loss',
      message: `the loss exploded to ${loss.toPrecision(3)} (over ${EXPLODE_FACTOR} × its starting ${startLoss.toPrecision(3)})${grew}: lower the learning rate (${trainer.optimizer.learningRate})`,
    };
    const r = report(base, 'exploded', loss);
    params.forEach(([, t], i) => {
      t.data.set(healthy[i]!);
    });
    // NOTE: the moments saw the explosion's gradients; forget them as the trainer does after a NaN.
    // restore() also starts the next epoch afresh (the current one's running metrics are garbage).
    trainer.optimizer.resetState();
    trainer.restore(trainer.snapshot());
    return r;
  };

  stopped = nonFiniteWeights();

  return {
    get stopped() {
      return stopped;
    },
    checkpoint() {
      params.forEach(([, t], i) => {
        candidate[i]!.set(t.data);
      });
      pending = true;
    },
    check(r) {
      const wasPending = pending;
      pending = false;
      if (r.nonFinite) {
        stopped = report(r.nonFinite, 'nonFinite', r.loss);
        return stopped;
      }
      if (r.loss > limit) {
        stopped = explode(r.loss);
        return stopped;
      }
      // The step measured its loss at the checkpointed parameters: healthy ones become the rollback point.
      if (wasPending && r.loss <= 2 * best) [healthy, candidate] = [candidate, healthy];
      best = Math.min(best, r.loss);
      return null;
    },
    clear() {
      if (stopped?.cause !== 'badWeights') stopped = null;
    },
  };
}
