// gradientCheck: a model's analytic gradients (its own lossAndGrads, float32) against central
// differences of the document's loss in float64 (engine/train/reference64.ts), on a seeded sample
// of every parameter's entries.
import type { Model } from '../compiler/types.ts';
import type { GradientCheck, GradientCheckOptions, ParamGradientCheck } from './types.ts';
import type { GraphDoc } from '../format/types.ts';
import { createRng, type Rng } from '../prng.ts';
import type { Tensor } from '../tensor.ts';
import { keepBuffers } from './keepBuffers.ts';
import { Reference64 } from './reference64.ts';

const DEFAULT_ENTRIES = 20;
/**
 * Step of the central differences, relative to max(1, |θ|). NOTE: float64 leaves the rounding error
 * of (L(θ+h) − L(θ−h)) / 2h near 1e-16·L/h and the truncation error near h²·L‴/6; 1e-5 keeps both
 * below 1e-10 for the losses here, far under the float32 error of the analytic side (≈ 1e-7
 * relative), so errors of 1e-6…1e-4 measure the engine, not the check.
 */
const STEP = 1e-5;
/**
 * Denominator floor of the relative error (DESIGN.md): gradients below it are compared absolutely.
 * NOTE: an entry whose gradient is a float32 sum cancelling down to ~1e-6 carries float32 rounding of
 * ~1e-9, which reads as ~1e-3 here: MNIST's o.W[479] on its first batch is 7.755e-7 in the engine,
 * 7.735e-7 exactly (a float64 backward) and numerically, 2.0e-3. Seen once in 640 o.W entries; the
 * default sample of 20 misses it, checking every entry does not.
 */
const FLOOR = 1e-6;

/**
 * Checks `model`'s gradients on the batch (x, y). The analytic side is `model.lossAndGrads(x, y)`
 * as given (a wrapped model is checked as it is); the numeric side differentiates `doc`'s loss,
 * computed in float64 with the model's current parameters and the same dropout masks.
 *
 * Relu and leaky-relu are not differentiable at 0: where a step of ±h moves one of their inputs
 * across 0, the entry is differenced on the side that stays smooth (counted in `oneSided`), and
 * where both sides cross it is left out (`skipped`).
 *
 * @example
 * const check = gradientCheck(doc, model, batch.x, batch.y, { entriesPerParam: 10 });
 * check.maxRelError < 1e-3; // a correct engine
 * check.params.find((p) => p.maxRelError > 1e-3)?.key; // the parameter whose gradient is off
 */
export function gradientCheck(
  doc: GraphDoc,
  model: Model,
  x: Tensor,
  y: Tensor,
  options: GradientCheckOptions = {},
): GradientCheck {
  const perParam = options.entriesPerParam ?? DEFAULT_ENTRIES;
  if (!Number.isInteger(perParam) || perParam < 1)
    throw new RangeError(`gradientCheck: entriesPerParam must be a whole number ≥ 1, got ${perParam}`);
  const batch = x.shape[0];
  if (batch === undefined || batch < 1 || y.shape[0] !== batch)
    throw new RangeError(`gradientCheck: x [${x.shape.join(', ')}] and y [${y.shape.join(', ')}] need one batch axis`);

  // NOTE: a look, not a training step: BatchNorm's running statistics stay as they were.
  const { loss, grads } = keepBuffers(model, () => model.lossAndGrads(x, y));
  // NOTE: copies: grads and masks alias buffers that the next call overwrites.
  const analytic = new Map([...grads].map(([k, t]) => [k, Float32Array.from(t.data)]));
  const dropoutMasks = new Map([...model.dropoutMasks()].map(([k, t]) => [k, Float32Array.from(t.data)]));
  const ref = new Reference64(doc, {
    batch,
    x: x.data,
    inputShape: x.shape.slice(1),
    y: y.data,
    targetShape: y.shape.slice(1),
    dropoutMasks,
  });
  for (const [key, t] of model.params) ref.params.set(key, Float64Array.from(t.data));
  const referenceLoss = ref.loss();

  const rng = createRng(options.seed ?? 1);
  const params: ParamGradientCheck[] = [];
  for (const [key, p] of ref.params) {
    const a = analytic.get(key);
    if (!a || a.length !== p.length)
      throw new Error(`gradientCheck: the model gives no gradient of size ${p.length} for '${key}'`);
    const result: ParamGradientCheck = {
      key,
      nodeId: key.slice(0, key.lastIndexOf('.')),
      checked: 0,
      maxRelError: 0,
      worst: { index: -1, analytic: Number.NaN, numeric: Number.NaN },
      oneSided: 0,
      skipped: 0,
    };
    for (const i of sample(rng, p.length, perParam)) {
      const theta = p[i]!;
      const h = STEP * Math.max(1, Math.abs(theta));
      const up = ref.lossWith(key, i, theta + h);
      const down = ref.lossWith(key, i, theta - h);
      let numeric: number;
      if (!up.crossedKink && !down.crossedKink) numeric = (up.loss - down.loss) / (theta + h - (theta - h));
      else if (up.crossedKink && down.crossedKink) {
        result.skipped++;
        continue;
      } else {
        result.oneSided++;
        numeric = up.crossedKink
          ? (referenceLoss - down.loss) / (theta - (theta - h))
          : (up.loss - referenceLoss) / (theta + h - theta);
      }
      const g = a[i]!;
      const rel = relativeError(g, numeric);
      result.checked++;
      if (result.worst.index < 0 || rel > result.maxRelError) {
        result.maxRelError = rel;
        result.worst = { index: i, analytic: g, numeric };
      }
    }
    params.push(result);
  }
  const maxRelError = params.reduce((m, p) => Math.max(m, p.maxRelError), 0);
  return { params, maxRelError, loss, referenceLoss };
}

/** |a − n| / max(|a|, |n|, 1e-6); Infinity when either is NaN or infinite. */
function relativeError(a: number, n: number): number {
  const e = Math.abs(a - n) / Math.max(Math.abs(a), Math.abs(n), FLOOR);
  return Number.isFinite(e) ? e : Number.POSITIVE_INFINITY;
}

/** `k` distinct indices below `n` in increasing order (all when n ≤ k). */
function sample(rng: Rng, n: number, k: number): number[] {
  if (n <= k) return Array.from({ length: n }, (_, i) => i);
  const picked = new Set<number>();
  while (picked.size < k) picked.add(rng.int(n));
  return [...picked].sort((a, b) => a - b);
}
