// Element-wise comparison of whole arrays for tests: one assertion naming the worst element, where an
// `expect` per element (hundreds of thousands in the kernel tests) cost most of their time.

/**
 * The largest |actual[i] − expected[i]| (a NaN, an infinity or a missing element counts as infinite)
 * and a message naming that element, for one `expect(d.difference, d.message).toBeLessThan(tolerance)`.
 *
 * @example
 * const d = closeness(c, naive(a, b), 'matmulNN 3x5x7');
 * expect(d.difference, d.message).toBeLessThan(1e-5);
 */
export function closeness(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  label: string,
): { difference: number; message: string } {
  let worst = 0;
  let difference = -1;
  const n = Math.max(actual.length, expected.length);
  for (let i = 0; i < n; i++) {
    // NOTE: NaN compares false with everything, so it is mapped to Infinity rather than skipped.
    const d = Math.abs(actual[i]! - expected[i]!);
    const di = Number.isNaN(d) || i >= actual.length || i >= expected.length ? Number.POSITIVE_INFINITY : d;
    if (di > difference) {
      worst = i;
      difference = di;
    }
  }
  const lengths = actual.length === expected.length ? '' : ` (lengths ${actual.length} vs ${expected.length})`;
  return {
    difference: Math.max(0, difference),
    message: `${label}: worst at [${worst}]: ${actual[worst]} vs ${expected[worst]}${lengths}`,
  };
}
