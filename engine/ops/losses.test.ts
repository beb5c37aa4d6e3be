import { describe, expect, it } from 'vitest';
import { placements } from '../testing/places.ts';
import { createRng } from '../prng.ts';
import { softmaxRows } from './activations.ts';
import { FUSED_LOSSES, LOSSES } from './losses.ts';

const f = (v: number[]) => Float32Array.from(v);
const none = new Float32Array(0);

describe('loss values follow the formula table on hand-computed numbers', () => {
  // Two samples of two elements: p = [[0.2, 0.8], [0.6, 0.4]], t = [[0, 1], [1, 0]].
  const p = f([0.2, 0.8, 0.6, 0.4]);
  const t = f([0, 1, 1, 0]);

  it('squared_error = (1/B) Σ ½ Σ (p − t)²', () => {
    // squares: 0.04 0.04 0.16 0.16 → ½·0.4 / 2 = 0.1
    expect(LOSSES.squared_error.value(p, none, t, 2, 2)).toBeCloseTo(0.1, 6);
  });
  it('mse = mean of (p − t)² over all elements', () => {
    expect(LOSSES.mse.value(p, none, t, 2, 2)).toBeCloseTo(0.4 / 4, 6);
  });
  it('cross_entropy = −(1/B) Σ t log(p + 1e-7)', () => {
    expect(LOSSES.cross_entropy.value(p, none, t, 2, 2)).toBeCloseTo(
      -(Math.log(0.8 + 1e-7) + Math.log(0.6 + 1e-7)) / 2,
      6,
    );
  });
  it('binary_cross_entropy = −mean of t log(p+ε) + (1−t) log(1−p+ε)', () => {
    const e = 1e-7;
    const expected = -(Math.log(1 - 0.2 + e) + Math.log(0.8 + e) + Math.log(0.6 + e) + Math.log(1 - 0.4 + e)) / 4;
    expect(LOSSES.binary_cross_entropy.value(p, none, t, 2, 2)).toBeCloseTo(expected, 6);
  });
  it('the guard keeps cross-entropy finite at p = 0', () => {
    expect(LOSSES.cross_entropy.value(f([0, 1]), none, f([1, 0]), 1, 2)).toBeCloseTo(-Math.log(1e-7), 4);
  });

  it('fused softmax cross-entropy is exact from the logits, even where softmax underflows', () => {
    const z = f([0, Math.log(4)]); // softmax = [0.2, 0.8]
    const probs = f([0.2, 0.8]);
    expect(FUSED_LOSSES.cross_entropy!.impl.value(probs, z, f([0, 1]), 1, 2)).toBeCloseTo(-Math.log(0.8), 6);
    const far = f([0, 200]); // softmax[0] = e^-200 underflows to 0 in float32
    expect(FUSED_LOSSES.cross_entropy!.impl.value(f([0, 1]), far, f([1, 0]), 1, 2)).toBeCloseTo(200, 4);
  });
  it('fused sigmoid binary cross-entropy is mean of t·softplus(−z) + (1−t)·softplus(z)', () => {
    const z = f([0, 2, -300]);
    const t = f([1, 0, 1]);
    const sp = (v: number) => Math.log(1 + Math.exp(v));
    expect(FUSED_LOSSES.binary_cross_entropy!.impl.value(none, z, t, 3, 1)).toBeCloseTo((sp(0) + sp(2) + 300) / 3, 4);
  });
  it('fused gradients are (p − t)/B and (p − t)/N', () => {
    const dz = new Float32Array(4);
    FUSED_LOSSES.cross_entropy!.impl.grad(p, none, t, dz, 2, 2);
    expect([...dz].map((v) => +v.toFixed(6))).toEqual([0.1, -0.1, -0.2, 0.2]);
    dz.fill(0);
    FUSED_LOSSES.binary_cross_entropy!.impl.grad(p, none, t, dz, 2, 2);
    expect([...dz].map((v) => +v.toFixed(6))).toEqual([0.05, -0.05, -0.1, 0.1]);
  });
  it('fused and guarded cross-entropy agree away from the guard', () => {
    const z = f([0.3, -0.2, 1.1]);
    const e = z.map(Math.exp);
    const s = e.reduce((a, b) => a + b);
    const probs = e.map((v) => v / s);
    const t = f([0, 0, 1]);
    expect(FUSED_LOSSES.cross_entropy!.impl.value(probs, z, t, 1, 3)).toBeCloseTo(
      LOSSES.cross_entropy.value(probs, none, t, 1, 3),
      5,
    );
  });
});

describe('fused softmax cross-entropy from p and z', () => {
  /** −(1/B) Σ t · log_softmax(z) in float64. */
  const definition = (z: Float32Array, t: Float32Array, batch: number, size: number) => {
    let s = 0;
    for (let r = 0; r < batch; r++) {
      const row = [...z.subarray(r * size, (r + 1) * size)];
      const max = Math.max(...row);
      const logSum = max + Math.log(row.reduce((a, v) => a + Math.exp(v - max), 0));
      for (let j = 0; j < size; j++) if (t[r * size + j] !== 0) s += t[r * size + j]! * (row[j]! - logSum);
    }
    return -s / batch;
  };
  for (const place of placements())
    it(`equals the definition within 1e-6 (one-hot and soft targets, ties, far logits), p from softmaxRows on ${place.name}`, () => {
      const batch = 40;
      const size = 10;
      const rng = createRng(7);
      const z = place.put(Float32Array.from({ length: batch * size }, () => rng.uniform() * 20 - 10));
      z.fill(4, 0, size); // all tied
      z[size] = 200; // the others underflow to 0 in p
      const t = new Float32Array(batch * size);
      for (let r = 0; r < batch; r++) {
        if (r % 3 === 0) t.fill(1 / size, r * size, (r + 1) * size);
        else t[r * size + ((r * 7) % size)] = 1;
      }
      const p = place.put(new Float32Array(batch * size));
      softmaxRows(z, p, batch, size);
      const got = FUSED_LOSSES.cross_entropy!.impl.value(p, z, t, batch, size);
      expect(Math.abs(got - definition(z, t, batch, size))).toBeLessThanOrEqual(1e-6 * definition(z, t, batch, size));
      z[3 * size + 2] = Number.NaN;
      softmaxRows(z, p, batch, size);
      expect(FUSED_LOSSES.cross_entropy!.impl.value(p, z, t, batch, size)).toBeNaN();
      expect(place.overwritten()).toEqual([]);
    });
});
