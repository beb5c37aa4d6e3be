// When the worker takes its looks at a run (statistics on the probe batch, the output view, the
// confusion matrix, the heatmaps, the crash-recovery weights). Each kind has its pace's interval;
// at full speed a look also waits in proportion to what it last cost, so looks take a bounded
// share of the worker's time whatever the model: a CNN's probe pass (128 rows forward and back)
// costs as much as four training steps, and every 100 ms it left the CNN ≈ 10% of its speed.

/** At full speed a look that took d ms comes again no sooner than LOOK_SPACING·d ms later. */
export const LOOK_SPACING = 40;

export type LookKind = 'progress' | 'stats' | 'heatmap' | 'output' | 'confusion' | 'weights';

export interface Looks {
  /** Whether a look of `kind` is due at `t` (ms): `interval` since the last one, and at full speed (`spaced`) its cost's spacing. */
  due(kind: LookKind, t: number, interval: number, spaced: boolean): boolean;
  /** Takes the look now (at `t`), timing it with `now`. */
  take<T>(kind: LookKind, t: number, fn: () => T): T;
  /** Marks `kind` as taken at `t` without timing it (a look that came along with another). */
  mark(kind: LookKind, t: number): void;
}

export function createLooks(now: () => number): Looks {
  const at = new Map<LookKind, number>();
  const cost = new Map<LookKind, number>();
  return {
    due(kind, t, interval, spaced) {
      const last = at.get(kind);
      if (last === undefined) return true;
      const wait = spaced ? Math.max(interval, LOOK_SPACING * (cost.get(kind) ?? 0)) : interval;
      return t - last >= wait;
    },
    take(kind, t, fn) {
      const start = now();
      const result = fn();
      cost.set(kind, now() - start);
      at.set(kind, t);
      return result;
    },
    mark(kind, t) {
      at.set(kind, t);
    },
  };
}
