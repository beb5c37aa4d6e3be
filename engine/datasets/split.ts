import type { Split } from './types.ts';
import type { Rng } from '../prng.ts';

/** The share of rows held out for testing when a dataset does not say. */
export const DEFAULT_TEST_FRACTION = 0.2;

/** Samples as flat rows: `x` is [n × inSize], `y` is [n × outSize]. */
export interface Samples {
  n: number;
  inShape: number[];
  outShape: number[];
  x: Float32Array;
  y: Float32Array;
}

/** Rows `indices` of `s` as one split. */
export function take(s: Samples, indices: ArrayLike<number>): Split {
  const inSize = s.x.length / s.n;
  const outSize = s.y.length / s.n;
  const x = new Float32Array(indices.length * inSize);
  const y = new Float32Array(indices.length * outSize);
  for (let r = 0; r < indices.length; r++) {
    const i = indices[r] as number;
    x.set(s.x.subarray(i * inSize, (i + 1) * inSize), r * inSize);
    y.set(s.y.subarray(i * outSize, (i + 1) * outSize), r * outSize);
  }
  return {
    x: { shape: [indices.length, ...s.inShape], data: x },
    y: { shape: [indices.length, ...s.outShape], data: y },
  };
}

/**
 * Rows held out for testing from `n`: `testFraction` of them, at least one, leaving at least one;
 * none at a fraction of 0 (the test figures are then measured on the training rows, as for the
 * logic gates: a 4-row table trains on all 4).
 */
export function testCount(n: number, testFraction: number): number {
  if (testFraction <= 0) return 0;
  return Math.min(n - 1, Math.max(1, Math.round(n * testFraction)));
}

/** A seeded shuffle, then the last `testFraction` of the rows held out for testing (see testCount). */
export function splitSamples(s: Samples, rng: Rng, testFraction: number): { train: Split; test: Split } {
  const order = Uint32Array.from({ length: s.n }, (_, i) => i);
  rng.shuffle(order);
  const held = testCount(s.n, testFraction);
  const train = take(s, order.subarray(0, s.n - held));
  return { train, test: held === 0 ? train : take(s, order.subarray(s.n - held)) };
}
