// SGD, SGD with momentum and Adam over a model's live parameters. State buffers are allocated
// once at creation; step() allocates nothing. L2 weight decay applies to weights (".W") only.
import type { OptimizerConfig } from '../format/types.ts';
import type { Tensor } from '../tensor.ts';

export interface Optimizer {
  readonly config: OptimizerConfig;
  learningRate: number;
  /** Applies one update from `grads` (same keys as the parameters). */
  step(grads: ReadonlyMap<string, Tensor>): void;
  setLearningRate(learningRate: number): void;
}

interface Slot {
  key: string;
  param: Float32Array;
  decay: number;
  m: Float32Array;
  v: Float32Array;
}

/**
 * @example
 * const opt = createOptimizer({ type: 'adam', learningRate: 0.01 }, model.params);
 * opt.step(model.lossAndGrads(x, y).grads);
 */
export function createOptimizer(
  config: OptimizerConfig,
  params: ReadonlyMap<string, Tensor>,
  options: { weightDecay?: number | undefined } = {},
): Optimizer {
  const weightDecay = options.weightDecay ?? 0;
  const needsM = config.type !== 'sgd';
  const needsV = config.type === 'adam';
  const slots: Slot[] = [...params].map(([key, t]) => ({
    key,
    param: t.data,
    decay: key.endsWith('.W') ? weightDecay : 0,
    m: new Float32Array(needsM ? t.data.length : 0),
    v: new Float32Array(needsV ? t.data.length : 0),
  }));
  let t = 0;
  const opt: Optimizer = {
    config,
    learningRate: config.learningRate,
    setLearningRate(lr) {
      opt.learningRate = lr;
    },
    step(grads) {
      const lr = opt.learningRate;
      t++;
      for (let s = 0; s < slots.length; s++) {
        const slot = slots[s]!;
        const g = grads.get(slot.key)!.data;
        const p = slot.param;
        const decay = slot.decay;
        const n = p.length;
        if (config.type === 'sgd') {
          for (let i = 0; i < n; i++) p[i] = (p[i] as number) - lr * ((g[i] as number) + decay * (p[i] as number));
        } else if (config.type === 'momentum') {
          // v ← μv + g;  p ← p − lr·v   (the PyTorch form)
          const mu = config.momentum ?? 0.9;
          const m = slot.m;
          for (let i = 0; i < n; i++) {
            const gi = (g[i] as number) + decay * (p[i] as number);
            const mi = mu * (m[i] as number) + gi;
            m[i] = mi;
            p[i] = (p[i] as number) - lr * mi;
          }
        } else {
          const b1 = config.beta1 ?? 0.9;
          const b2 = config.beta2 ?? 0.999;
          const eps = config.epsilon ?? 1e-8;
          const c1 = 1 - b1 ** t;
          const c2 = 1 - b2 ** t;
          const m = slot.m;
          const v = slot.v;
          for (let i = 0; i < n; i++) {
            const gi = (g[i] as number) + decay * (p[i] as number);
            const mi = b1 * (m[i] as number) + (1 - b1) * gi;
            const vi = b2 * (v[i] as number) + (1 - b2) * gi * gi;
            m[i] = mi;
            v[i] = vi;
            p[i] = (p[i] as number) - (lr * (mi / c1)) / (Math.sqrt(vi / c2) + eps);
          }
        }
      }
    },
  };
  return opt;
}
