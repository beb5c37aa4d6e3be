// How the gradient check's numbers read: a learner must see why a row is not green.
import { describe, expect, it } from 'vitest';
import { GRADCHECK_LEVELS, gradcheckLevel, sciPair } from './levels.ts';

describe('gradient check levels', () => {
  it('a row that is not green shows its backprop and numerical values with enough digits to differ', () => {
    // Relative errors from just under the green limit to far above the red one, on values of every size.
    for (const scale of [2.51e-5, 0.0137, 1.5, 842, 3.3e6])
      for (const sign of [1, -1])
        for (let e = Math.log10(GRADCHECK_LEVELS.ok); e <= 0; e += 0.25) {
          const rel = 10 ** e;
          const analytic = sign * scale;
          const numeric = analytic * (1 + rel);
          const relError = Math.abs(analytic - numeric) / Math.max(Math.abs(analytic), Math.abs(numeric), 1e-6);
          const [a, n] = sciPair(analytic, numeric);
          if (gradcheckLevel(relError) !== 'ok') expect(a, `${analytic} vs ${numeric}`).not.toBe(n);
        }
  });

  it('equal values read equal, and agreeing ones keep three significant digits', () => {
    expect(sciPair(2.51e-5, 2.51e-5)).toEqual(['2.51e-5', '2.51e-5']);
    expect(sciPair(0.25, 0.25000001)).toEqual(['0.250', '0.250']);
  });
});
