// SGD, SGD with momentum and Adam over a model's live parameters. State buffers are allocated
// once at creation; step() allocates nothing. L2 weight decay applies to `decayKeys` (the trainer
// passes the model's: the parameters the node definitions mark, weights and not biases).
import type { OptimizerState } from '../api.ts';
import type { OptimizerConfig } from '../format/types.ts';
import type { Tensor } from '../tensor.ts';

export interface Optimizer {
  readonly config: OptimizerConfig;
  readonly learningRate: number;
  /** Applies one update from `grads` (same keys as the parameters). */
  step(grads: ReadonlyMap<string, Tensor>): void;
  setLearningRate(learningRate: number): void;
  /** Switches to another config (type, momentum, β1, β2, ε); moments carry over where they fit. */
  setConfig(config: OptimizerConfig): void;
  setWeightDecay(weightDecay: number): void;
  /** A copy of the state (moments and step count). */
  state(): OptimizerState;
  restore(state: OptimizerState): void;
  /** Forgets the moments and the step count (after a divergence they hold garbage). */
  resetState(): void;
}

const EMPTY = new Float32Array(0);

interface Slot {
  key: string;
  param: Float32Array;
  decays: boolean;
  m: Float32Array;
  v: Float32Array;
}

export interface OptimizerOptions {
  weightDecay?: number | undefined;
  /**
   * Keys of the parameters weight decay applies to; default: every given parameter, as PyTorch's
   * `weight_decay` does. A model's own choice (its weights, not biases) is `model.decayKeys`.
   */
  decayKeys?: ReadonlySet<string> | undefined;
}

/**
 * @example
 * const opt = createOptimizer({ type: 'adam', learningRate: 0.01 }, model.params,
 *   { weightDecay: 1e-4, decayKeys: model.decayKeys });
 * opt.step(model.lossAndGrads(x, y).grads);
 */
export function createOptimizer(
  initial: OptimizerConfig,
  params: ReadonlyMap<string, Tensor>,
  options: OptimizerOptions = {},
): Optimizer {
  let config = { ...initial };
  let weightDecay = options.weightDecay ?? 0;
  const slots: Slot[] = [...params].map(([key, t]) => ({
    key,
    param: t.data,
    decays: options.decayKeys?.has(key) ?? true,
    m: EMPTY,
    v: EMPTY,
  }));
  // NOTE: moments exist only for optimizers that use them (SGD on a 50M-parameter model needs none).
  const allocate = (c: OptimizerConfig) => {
    for (const slot of slots) {
      if (c.type !== 'sgd' && slot.m.length !== slot.param.length) slot.m = new Float32Array(slot.param.length);
      if (c.type === 'adam' && slot.v.length !== slot.param.length) slot.v = new Float32Array(slot.param.length);
    }
  };
  allocate(config);
  let t = 0;
  const opt: Optimizer = {
    get config() {
      return config;
    },
    get learningRate() {
      return config.learningRate;
    },
    setLearningRate(lr) {
      config = { ...config, learningRate: lr };
    },
    resetState() {
      for (const slot of slots) {
        slot.m.fill(0);
        slot.v.fill(0);
      }
      t = 0;
    },
    setConfig(next) {
      if (next.type !== config.type) opt.resetState();
      config = { ...next };
      allocate(config);
    },
    setWeightDecay(value) {
      weightDecay = value;
    },
    state() {
      return {
        step: t,
        slots: new Map(slots.map((s) => [s.key, { m: s.m.slice(), v: s.v.slice() }])),
      };
    },
    restore(state) {
      t = state.step;
      for (const slot of slots) {
        const saved = state.slots.get(slot.key);
        if (saved && saved.m.length > 0 && slot.m.length === 0) slot.m = new Float32Array(slot.param.length);
        if (saved && saved.v.length > 0 && slot.v.length === 0) slot.v = new Float32Array(slot.param.length);
        if (saved && saved.m.length === slot.m.length) slot.m.set(saved.m);
        if (saved && saved.v.length === slot.v.length) slot.v.set(saved.v);
      }
    },
    step(grads) {
      const c = config;
      const lr = c.learningRate;
      t++;
      for (let s = 0; s < slots.length; s++) {
        const slot = slots[s]!;
        const g = grads.get(slot.key)!.data;
        const p = slot.param;
        const decay = slot.decays ? weightDecay : 0;
        const n = p.length;
        if (c.type === 'sgd') {
          for (let i = 0; i < n; i++) p[i] = (p[i] as number) - lr * ((g[i] as number) + decay * (p[i] as number));
        } else if (c.type === 'momentum') {
          // v ← μv + g;  p ← p − lr·v   (the PyTorch form)
          const mu = c.momentum ?? 0.9;
          const m = slot.m;
          for (let i = 0; i < n; i++) {
            const gi = (g[i] as number) + decay * (p[i] as number);
            const mi = mu * (m[i] as number) + gi;
            m[i] = mi;
            p[i] = (p[i] as number) - lr * mi;
          }
        } else {
          const b1 = c.beta1 ?? 0.9;
          const b2 = c.beta2 ?? 0.999;
          const eps = c.epsilon ?? 1e-8;
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
