// SGD, SGD with momentum and Adam over a model's live parameters. State buffers are allocated
// once at creation; step() allocates nothing. L2 weight decay applies to `decayKeys` (the trainer
// passes the model's: the parameters the node definitions mark, weights and not biases). Where a
// parameter, its gradient and the moments live in the WebAssembly arena (a resident model's), the
// update runs there on SIMD (engine/kernels/backend.ts getStepKernels), in float32 arithmetic;
// else in these loops.
import type { OptimizerState } from '../train/types.ts';
import { getStepKernels } from '../kernels/backend.ts';
import { SIMD_MIN_FLOATS } from '../kernels/elementwise.ts';
import { Residency } from '../kernels/residency.ts';
import type { OptimizerConfig } from '../format/types.ts';
import type { SimdStepKernels } from '../kernels/wasm/simdStep.ts';
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
  // Moments beside the parameters (in the arena where they live there), freed with the optimizer.
  const memory = new Residency(slots);
  const moments = memory.group();
  const zeros = (n: number) => memory.floats(n, moments);
  // NOTE: moments exist only for optimizers that use them (SGD on a 50M-parameter model needs none).
  const allocate = (c: OptimizerConfig) => {
    for (const slot of slots) {
      if (c.type !== 'sgd' && slot.m.length !== slot.param.length) slot.m = zeros(slot.param.length);
      if (c.type === 'adam' && slot.v.length !== slot.param.length) slot.v = zeros(slot.param.length);
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
        if (saved && saved.m.length > 0 && slot.m.length === 0) slot.m = zeros(slot.param.length);
        if (saved && saved.v.length > 0 && slot.v.length === 0) slot.v = zeros(slot.param.length);
        if (saved && saved.m.length === slot.m.length) slot.m.set(saved.m);
        if (saved && saved.v.length === slot.v.length) slot.v.set(saved.v);
      }
    },
    step(grads) {
      t++;
      const simd = getStepKernels();
      for (let s = 0; s < slots.length; s++) {
        const slot = slots[s]!;
        const g = grads.get(slot.key)!.data;
        const n = slot.param.length;
        // The SIMD update takes whole groups of 4 floats of arrays in the arena; the loops the rest.
        const done = simd ? simdUpdate(simd, slot, g, n & ~3) : 0;
        if (done < n) update(slot, g, done, n);
      }
    },
  };
  /** The update of slot.param[from .. n) in float64 arithmetic. */
  const update = (slot: Slot, g: Float32Array, from: number, n: number) => {
    const c = config;
    const lr = c.learningRate;
    const p = slot.param;
    const decay = slot.decays ? weightDecay : 0;
    if (c.type === 'sgd') {
      for (let i = from; i < n; i++) p[i] = (p[i] as number) - lr * ((g[i] as number) + decay * (p[i] as number));
    } else if (c.type === 'momentum') {
      // v ← μv + g;  p ← p − lr·v   (the PyTorch form)
      const mu = c.momentum ?? 0.9;
      const m = slot.m;
      for (let i = from; i < n; i++) {
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
      for (let i = from; i < n; i++) {
        const gi = (g[i] as number) + decay * (p[i] as number);
        const mi = b1 * (m[i] as number) + (1 - b1) * gi;
        const vi = b2 * (v[i] as number) + (1 - b2) * gi * gi;
        m[i] = mi;
        v[i] = vi;
        p[i] = (p[i] as number) - (lr * (mi / c1)) / (Math.sqrt(vi / c2) + eps);
      }
    }
  };
  /** The update of slot.param[0 .. n4) on SIMD when its arrays live in the arena; how many floats it did. */
  const simdUpdate = (simd: SimdStepKernels, slot: Slot, g: Float32Array, n4: number): number => {
    if (n4 < SIMD_MIN_FLOATS) return 0;
    const { arena, step } = simd;
    const p = arena.offsetOf(slot.param) * 4;
    const gAt = arena.offsetOf(g) * 4;
    if (p < 0 || gAt < 0) return 0;
    const c = config;
    const decay = slot.decays ? weightDecay : 0;
    if (c.type === 'sgd') step.sgd(p, gAt, n4, c.learningRate, decay);
    else {
      const m = arena.offsetOf(slot.m) * 4;
      if (m < 0) return 0;
      if (c.type === 'momentum') step.momentum(p, gAt, m, n4, c.learningRate, decay, c.momentum ?? 0.9);
      else {
        const v = arena.offsetOf(slot.v) * 4;
        if (v < 0) return 0;
        const b1 = c.beta1 ?? 0.9;
        const b2 = c.beta2 ?? 0.999;
        step.adam(p, gAt, m, v, n4, c.learningRate, decay, b1, b2, c.epsilon ?? 1e-8, 1 - b1 ** t, 1 - b2 ** t);
      }
    }
    return n4;
  };
  return opt;
}
