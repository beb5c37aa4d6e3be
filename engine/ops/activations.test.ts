import { describe, expect, it } from 'vitest';
import { ACTIVATIONS } from './activations.ts';

describe('relu at the edges', () => {
  const x = Float32Array.from([-2, -0, 0, 3, Number.NaN, Number.POSITIVE_INFINITY, -1e-30, 3.4e38]);

  it('forward: max(x, 0), NaN and +Infinity kept, no overflow at the float32 maximum', () => {
    const y = new Float32Array(x.length);
    ACTIVATIONS.relu.forward(x, y, 1, x.length);
    expect([...y]).toEqual([0, 0, 0, 3, Number.NaN, Number.POSITIVE_INFINITY, 0, x[7]]);
  });

  it("backward adds dy where x ≥ 0 (relu'(0) = 1, also at -0) and for NaN, nothing where x < 0", () => {
    const dy = new Float32Array(x.length).fill(2);
    const dx = new Float32Array(x.length).fill(1);
    ACTIVATIONS.relu.backward(x, new Float32Array(x.length), dy, dx, 1, x.length);
    expect([...dx]).toEqual([1, 3, 3, 3, 3, 3, 1, 3]);
  });
});
