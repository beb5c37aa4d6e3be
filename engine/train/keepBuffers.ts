// Looking at a model without training it: a lossAndGrads call for a view (statistics, a trace, a
// gradient check) moves BatchNorm's running statistics as a training step does; these put them back.
import type { Model } from '../compiler/types.ts';

/**
 * Runs `look` (which may call lossAndGrads) and restores every buffer of `model` afterwards.
 *
 * @example
 * const stats = keepBuffers(model, () => model.lossAndGrads(probe.x, probe.y));
 */
export function keepBuffers<T>(model: Model, look: () => T): T {
  const saved = [...model.buffers.values()].map((t) => [t, t.data.slice()] as const);
  try {
    return look();
  } finally {
    for (const [t, data] of saved) t.data.set(data);
  }
}
