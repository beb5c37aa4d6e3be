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
