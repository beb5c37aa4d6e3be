// How a gradient check's relative error reads: green below `ok`, red above `bad`, amber between.
export const GRADCHECK_LEVELS = { ok: 1e-4, bad: 1e-2 } as const;

export type GradcheckLevel = 'ok' | 'warn' | 'bad';

export function gradcheckLevel(relError: number): GradcheckLevel {
  if (!(relError <= GRADCHECK_LEVELS.bad)) return 'bad';
  return relError < GRADCHECK_LEVELS.ok ? 'ok' : 'warn';
}

/** Relative errors and gradients as a learner reads them: 3 significant digits, exponent when small. */
export const sci = (v: number) =>
  !Number.isFinite(v)
    ? String(v)
    : v === 0
      ? '0'
      : Math.abs(v) < 1e-3 || Math.abs(v) >= 1e4
        ? v.toExponential(2)
        : v.toPrecision(3);
