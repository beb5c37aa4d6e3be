// How a gradient check's relative error reads: green below `ok`, red above `bad`, amber between.
export const GRADCHECK_LEVELS = { ok: 1e-4, bad: 1e-2 } as const;

export type GradcheckLevel = 'ok' | 'warn' | 'bad';

export function gradcheckLevel(relError: number): GradcheckLevel {
  if (!(relError <= GRADCHECK_LEVELS.bad)) return 'bad';
  return relError < GRADCHECK_LEVELS.ok ? 'ok' : 'warn';
}

/** Relative errors and gradients as a learner reads them: 3 significant digits (or `digits`), exponent when small. */
export const sci = (v: number, digits = 3) =>
  !Number.isFinite(v)
    ? String(v)
    : v === 0
      ? '0'
      : Math.abs(v) < 1e-3 || Math.abs(v) >= 1e4
        ? v.toExponential(digits - 1)
        : v.toPrecision(digits);

/** Enough significant digits to see a relative difference of GRADCHECK_LEVELS.ok (an amber row's least). */
const MAX_DIGITS = Math.ceil(-Math.log10(GRADCHECK_LEVELS.ok)) + 2;

/**
 * Two values to compare (backprop against numerical) with as many digits as it takes to see them
 * differ, up to what an amber row needs (3 when they agree to 3): an amber row never shows two equal numbers.
 * @example sciPair(2.51e-5, 2.5102e-5) // ['2.5100e-5', '2.5102e-5']
 */
export function sciPair(a: number, b: number): [string, string] {
  let pair: [string, string] = [sci(a), sci(b)];
  for (let digits = 4; digits <= MAX_DIGITS && pair[0] === pair[1]; digits++) {
    const finer: [string, string] = [sci(a, digits), sci(b, digits)];
    if (finer[0] !== finer[1]) pair = finer;
  }
  return pair;
}
