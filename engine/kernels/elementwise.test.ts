import { describe, expect, it } from 'vitest';
import { placements } from '../testing/places.ts';
import { getStepKernels } from './backend.ts';
import { allFinite } from './elementwise.ts';

const definition = (a: Float32Array, n: number) => a.subarray(0, n).every(Number.isFinite);

describe('allFinite', () => {
  it('runs on SIMD in Node (so the arena placement below tests step.wat all_finite)', () => {
    expect(getStepKernels()).not.toBeNull();
  });

  for (const place of placements())
    it(`agrees with Number.isFinite for one bad value anywhere, on ${place.name}`, () => {
      // Finite extremes first: the largest float32, the smallest subnormal, −0.
      const finite = [3.4028234663852886e38, -3.4028234663852886e38, 1.401298464324817e-45, -0, 0];
      for (const n of [256, 257, 263, 1000, 4099]) {
        const base = Float32Array.from({ length: n }, (_, i) => finite[i % finite.length]! * (i % 7 === 0 ? 1 : 0.5));
        const a = place.put(base);
        expect(allFinite(a, n)).toBe(true);
        for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY])
          for (const at of [0, 3, 63, 64, 255, n - 5, n - 1]) {
            const keep = a[at]!;
            a[at] = bad;
            expect(allFinite(a, n)).toBe(definition(a, n));
            expect(allFinite(a, n)).toBe(false);
            // Past n it is not looked at.
            expect(allFinite(a, at)).toBe(true);
            a[at] = keep;
          }
        expect(place.overwritten()).toEqual([]);
      }
    });
});

describe('step.wat exp (softmax exponentials)', () => {
  /** The distance from a to b in float32 steps at b. */
  const ulps = (a: number, b: number) => {
    const bits = new Float32Array([b]);
    const next = new Int32Array(bits.buffer);
    next[0]! += b >= 0 ? 1 : -1;
    return Math.abs(a - b) / Math.abs(bits[0]! - b);
  };
  const run = (xs: Float32Array) => {
    const simd = getStepKernels()!;
    const { arena } = simd;
    const xAt = arena.alloc(xs.length);
    const yAt = arena.alloc(xs.length);
    arena.heap.set(xs, xAt);
    simd.step.exp(xAt * 4, yAt * 4, xs.length);
    const y = arena.heap.slice(yAt, yAt + xs.length);
    arena.free(xAt);
    arena.free(yAt);
    return y;
  };

  it('is within 1 ulp of Math.exp rounded to float32 from −87.33 to 88.37 (softmax uses x − max ≤ 0)', () => {
    // 2^18 points across the range, and densely where softmax's arguments mostly are.
    for (const [lo, hi] of [
      [-87.33, 88.37],
      [-10, 0],
      [-1e-3, 1e-3],
    ] as const) {
      const n = 1 << 18;
      const xs = Float32Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));
      const y = run(xs);
      let worst = 0;
      for (let i = 0; i < n; i++) worst = Math.max(worst, ulps(y[i]!, Math.fround(Math.exp(xs[i]!))));
      expect(worst).toBeLessThanOrEqual(1);
    }
  });

  it('gives e^0 = 1 exactly, 0 below the smallest normal result, +Infinity above 88.38, NaN for NaN', () => {
    const xs = Float32Array.from([0, -0, -87.34, -100, -Infinity, 88.38, 1000, Infinity, Number.NaN, 0, 0, 0]);
    expect([...run(xs)]).toEqual([1, 1, 0, 0, 0, Infinity, Infinity, Infinity, Number.NaN, 1, 1, 1]);
  });
});
