/**
 * The one seeded pseudo-random generator of nodegrad. Pure 32-bit integer arithmetic
 * (mulberry32), so the same seed gives the same stream bit for bit in Node and in browsers.
 *
 * @example
 * const rng = createRng(1);
 * rng.uniform();      // in [0, 1)
 * rng.normal();       // standard normal (Box–Muller)
 */
export interface Rng {
  /** Next float in [0, 1). */
  uniform(): number;
  /** Next float in [lo, hi). */
  range(lo: number, hi: number): number;
  /** Next standard normal sample. */
  normal(): number;
  /** Next integer in [0, n). */
  int(n: number): number;
  /** Shuffles `array` in place (Fisher–Yates). */
  shuffle<T>(array: { length: number; [i: number]: T }): void;
  /** A new independent generator derived from this one's next output. */
  fork(): Rng;
}

export function createRng(seed: number): Rng {
  let state = seed >>> 0;
  let spareNormal: number | null = null;
  const nextU32 = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  const uniform = (): number => nextU32() / 4294967296;
  const rng: Rng = {
    uniform,
    range: (lo, hi) => lo + (hi - lo) * uniform(),
    normal: () => {
      if (spareNormal !== null) {
        const z = spareNormal;
        spareNormal = null;
        return z;
      }
      // NOTE: 1 - u keeps the log argument in (0, 1], never 0.
      const u = 1 - uniform();
      const v = uniform();
      const r = Math.sqrt(-2 * Math.log(u));
      spareNormal = r * Math.sin(2 * Math.PI * v);
      return r * Math.cos(2 * Math.PI * v);
    },
    int: (n) => Math.floor(uniform() * n),
    shuffle: (array) => {
      for (let i = array.length - 1; i > 0; i--) {
        const j = Math.floor(uniform() * (i + 1));
        const tmp = array[i] as (typeof array)[number];
        array[i] = array[j] as (typeof array)[number];
        array[j] = tmp;
      }
    },
    fork: () => createRng(nextU32()),
  };
  return rng;
}
