import { describe, expect, it } from 'vitest';
import { placements } from '../testing/places.ts';
import { ACTIVATIONS } from './activations.ts';

// The edge values 33 times over (297): in the arena the first 296 go through the SIMD kernel, the last through the loop.
const EDGES = [-2, -0, 0, 3, Number.NaN, Number.POSITIVE_INFINITY, -1e-30, 3.4e38, -5];
const tiled = <T>(xs: T[]) => Array.from({ length: 33 }, () => xs).flat();

describe.each(placements())('relu at the edges, arrays: $name', ({ put, overwritten }) => {
  const values = tiled(EDGES);

  it('forward: max(x, 0), NaN and +Infinity kept, no overflow at the float32 maximum', () => {
    const x = put(Float32Array.from(values));
    const y = put(new Float32Array(x.length));
    ACTIVATIONS.relu.forward(x, y, 1, x.length);
    expect([...y]).toEqual(tiled([0, 0, 0, 3, Number.NaN, Number.POSITIVE_INFINITY, 0, x[7], 0]));
    expect(overwritten()).toEqual([]);
  });

  it("backward adds dy where x ≥ 0 (relu'(0) = 1, also at -0) and for NaN, nothing where x < 0", () => {
    const x = put(Float32Array.from(values));
    const dy = put(new Float32Array(x.length).fill(2));
    const dx = put(new Float32Array(x.length).fill(1));
    ACTIVATIONS.relu.backward(x, new Float32Array(x.length), dy, dx, 1, x.length);
    expect([...dx]).toEqual(tiled([1, 3, 3, 3, 3, 3, 1, 3, 1]));
    expect(overwritten()).toEqual([]);
  });
});
