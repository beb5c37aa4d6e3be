// Loss functions (DESIGN.md's table). B = batch size, N = all elements, S = elements per sample.
// `value` returns the scalar; `grad` ADDS dLoss/dInput into `dInput`, where the input is the
// prediction p — or, for the fused forms, the logits z of the softmax/sigmoid that made p.
// `grad` may run on some rows of a larger batch (a two-thread step's half): `total` is the batch
// the mean is over (default: `batch`), so the halves' gradients simply add up.
import type { ActivationFn, LossFn } from '../format/schema.ts';

export interface LossImpl {
  /** `p` = prediction (probabilities for fused forms), `z` = logits (fused forms only). */
  value(p: Float32Array, z: Float32Array, t: Float32Array, batch: number, size: number): number;
  grad(
    p: Float32Array,
    z: Float32Array,
    t: Float32Array,
    dInput: Float32Array,
    batch: number,
    size: number,
    total?: number,
  ): void;
}

const EPS = 1e-7;

const squaredError: LossImpl = {
  // (1/B) Σ_b ½ Σ_i (p − t)²
  value(p, _z, t, batch, size) {
    let s = 0;
    for (let i = 0, n = batch * size; i < n; i++) {
      const d = (p[i] as number) - (t[i] as number);
      s += d * d;
    }
    return (0.5 * s) / batch;
  },
  grad(p, _z, t, dp, batch, size, total = batch) {
    const k = 1 / total;
    for (let i = 0, n = batch * size; i < n; i++) dp[i] = (dp[i] as number) + k * ((p[i] as number) - (t[i] as number));
  },
};

const mse: LossImpl = {
  // mean over all elements of (p − t)²
  value(p, _z, t, batch, size) {
    let s = 0;
    const n = batch * size;
    for (let i = 0; i < n; i++) {
      const d = (p[i] as number) - (t[i] as number);
      s += d * d;
    }
    return s / n;
  },
  grad(p, _z, t, dp, batch, size, total = batch) {
    const n = batch * size;
    const k = 2 / (total * size);
    for (let i = 0; i < n; i++) dp[i] = (dp[i] as number) + k * ((p[i] as number) - (t[i] as number));
  },
};

const crossEntropy: LossImpl = {
  // −(1/B) Σ_b Σ_i t · log(p + 1e-7)
  value(p, _z, t, batch, size) {
    let s = 0;
    for (let i = 0, n = batch * size; i < n; i++) {
      const ti = t[i] as number;
      if (ti !== 0) s += ti * Math.log((p[i] as number) + EPS);
    }
    return -s / batch;
  },
  grad(p, _z, t, dp, batch, size, total = batch) {
    const k = -1 / total;
    for (let i = 0, n = batch * size; i < n; i++)
      dp[i] = (dp[i] as number) + (k * (t[i] as number)) / ((p[i] as number) + EPS);
  },
};

const binaryCrossEntropy: LossImpl = {
  // −mean of t·log(p + 1e-7) + (1 − t)·log(1 − p + 1e-7)
  value(p, _z, t, batch, size) {
    let s = 0;
    const n = batch * size;
    for (let i = 0; i < n; i++) {
      const pi = p[i] as number;
      const ti = t[i] as number;
      s += ti * Math.log(pi + EPS) + (1 - ti) * Math.log(1 - pi + EPS);
    }
    return -s / n;
  },
  grad(p, _z, t, dp, batch, size, total = batch) {
    const n = batch * size;
    const all = total * size;
    for (let i = 0; i < n; i++) {
      const pi = p[i] as number;
      const ti = t[i] as number;
      dp[i] = (dp[i] as number) - (ti / (pi + EPS) - (1 - ti) / (1 - pi + EPS)) / all;
    }
  },
};

const softmaxCrossEntropy: LossImpl = {
  // −(1/B) Σ t · log_softmax(z), exact from the logits with no exp: in a row whose largest logit is
  // z_k, e^(z_k − z_k) = 1, so p_k = 1/Σ e^(z_j − z_k) and log_softmax(z)_j = z_j − z_k + log p_k
  // (p_k ≥ 1/size never underflows). Gradient (p − t)/B.
  value(p, z, t, batch, size) {
    let s = 0;
    for (let r = 0; r < batch; r++) {
      const o = r * size;
      let k = o;
      for (let j = o + 1; j < o + size; j++) if ((z[j] as number) > (z[k] as number)) k = j;
      const top = z[k] as number;
      // NOTE: a NaN logit makes p NaN (softmaxRows), and so the loss.
      const logP = Math.log(p[k] as number);
      for (let j = o; j < o + size; j++) {
        const tj = t[j] as number;
        if (tj !== 0) s += tj * ((z[j] as number) - top + logP);
      }
    }
    return -s / batch;
  },
  grad(p, _z, t, dz, batch, size, total = batch) {
    const k = 1 / total;
    for (let i = 0, n = batch * size; i < n; i++) dz[i] = (dz[i] as number) + k * ((p[i] as number) - (t[i] as number));
  },
};

/** log(1 + e^v) without overflow. */
export function softplus(v: number): number {
  return Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v)));
}

const sigmoidBinaryCrossEntropy: LossImpl = {
  // mean of t·softplus(−z) + (1 − t)·softplus(z); gradient (p − t)/N.
  value(_p, z, t, batch, size) {
    let s = 0;
    const n = batch * size;
    for (let i = 0; i < n; i++) {
      const zi = z[i] as number;
      const ti = t[i] as number;
      s += ti * softplus(-zi) + (1 - ti) * softplus(zi);
    }
    return s / n;
  },
  grad(p, _z, t, dz, batch, size, total = batch) {
    const n = batch * size;
    const k = 1 / (total * size);
    for (let i = 0; i < n; i++) dz[i] = (dz[i] as number) + k * ((p[i] as number) - (t[i] as number));
  },
};

export const LOSSES: Record<LossFn, LossImpl> = {
  squared_error: squaredError,
  mse,
  cross_entropy: crossEntropy,
  binary_cross_entropy: binaryCrossEntropy,
};

/** The activation that fuses with each loss, and the fused implementation. */
export const FUSED_LOSSES: Partial<Record<LossFn, { activation: ActivationFn; impl: LossImpl }>> = {
  cross_entropy: { activation: 'softmax', impl: softmaxCrossEntropy },
  binary_cross_entropy: { activation: 'sigmoid', impl: sigmoidBinaryCrossEntropy },
};
