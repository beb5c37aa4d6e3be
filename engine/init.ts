// Parameter initialisers. Every draw comes from the one seeded generator, in a fixed order, so the
// same document and seed give bit-identical parameters in Node and in browsers.
import type { InitKind } from './format/types.ts';
import type { Rng } from './prng.ts';

export interface InitOptions {
  /** Half-width for "uniform" (default 0.05). */
  scale?: number | undefined;
  /** Standard deviation for "normal" (default 0.05). */
  std?: number | undefined;
}

/**
 * Fills `out` (a [fanIn, fanOut] matrix, or a [fanOut] vector with fanIn = fanOut) in place.
 * glorot_uniform: U(±√(6/(fanIn+fanOut))); he_normal: N(0, 2/fanIn); uniform: U(±scale);
 * normal: N(0, std²); zeros; ones (BatchNorm's γ, not a document's choice).
 */
export function initialise(
  out: Float32Array,
  kind: InitKind | 'ones',
  fanIn: number,
  fanOut: number,
  rng: Rng,
  options: InitOptions = {},
): void {
  switch (kind) {
    case 'zeros':
      out.fill(0);
      return;
    case 'ones':
      out.fill(1);
      return;
    case 'glorot_uniform': {
      const limit = Math.sqrt(6 / (fanIn + fanOut));
      for (let i = 0; i < out.length; i++) out[i] = rng.range(-limit, limit);
      return;
    }
    case 'he_normal': {
      const std = Math.sqrt(2 / fanIn);
      for (let i = 0; i < out.length; i++) out[i] = std * rng.normal();
      return;
    }
    case 'uniform': {
      const scale = options.scale ?? 0.05;
      for (let i = 0; i < out.length; i++) out[i] = rng.range(-scale, scale);
      return;
    }
    case 'normal': {
      const std = options.std ?? 0.05;
      for (let i = 0; i < out.length; i++) out[i] = std * rng.normal();
      return;
    }
  }
}
