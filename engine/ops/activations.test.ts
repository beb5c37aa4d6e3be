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

/** Softmax of each row in float64 (the definition; NaN anywhere in a row makes the row NaN). */
function softmaxDefinition(x: Float32Array, rows: number, cols: number): number[] {
  const out: number[] = [];
  for (let r = 0; r < rows; r++) {
    const row = [...x.subarray(r * cols, (r + 1) * cols)];
    const max = row.reduce((a, b) => Math.max(a, b), Number.NEGATIVE_INFINITY);
    const e = row.map((v) => Math.exp(v - max));
    const sum = e.reduce((a, b) => a + b, 0);
    out.push(...e.map((v) => v / sum));
  }
  return out;
}

describe.each(placements())('softmax rows, arrays: $name', ({ put, overwritten }) => {
  // Every remainder of a row past its groups of 4 (SIMD: the last 4 overlap), rows wide enough for the kernel.
  for (const cols of [4, 5, 6, 7, 8, 10, 13])
    it(`equals the float64 definition within 2e-7 per entry, ${cols} columns, also in place`, () => {
      const rows = Math.ceil(300 / cols);
      const values = Float32Array.from({ length: rows * cols }, (_, i) => ((i * 7919) % 2003) / 50 - 20);
      // A row far apart (entries underflow to 0), a row of one value, a row with a tie at the top.
      values.fill(-100, 0, cols - 1);
      values.fill(3, cols, 2 * cols);
      values[2 * cols] = 9;
      values[3 * cols - 1] = 9;
      const want = softmaxDefinition(values, rows, cols);
      const x = put(values);
      const y = put(new Float32Array(values.length));
      ACTIVATIONS.softmax.forward(x, y, rows, cols);
      for (let i = 0; i < want.length; i++) expect(Math.abs(y[i]! - want[i]!)).toBeLessThanOrEqual(2e-7);
      ACTIVATIONS.softmax.forward(x, x, rows, cols);
      expect([...x]).toEqual([...y]);
      expect(overwritten()).toEqual([]);
    });

  it('a NaN or +Infinity makes its row NaN, −Infinity gives 0, other rows untouched', () => {
    const cols = 10;
    const rows = 30;
    const values = Float32Array.from({ length: rows * cols }, (_, i) => (i % 13) / 4);
    values[3] = Number.NaN;
    values[cols + 9] = Number.POSITIVE_INFINITY;
    values[2 * cols + 4] = Number.NEGATIVE_INFINITY;
    const want = softmaxDefinition(values, rows, cols);
    const x = put(values);
    const y = put(new Float32Array(values.length));
    ACTIVATIONS.softmax.forward(x, y, rows, cols);
    expect([...y.subarray(0, 2 * cols)].every(Number.isNaN)).toBe(true);
    expect(y[2 * cols + 4]).toBe(0);
    for (let i = 2 * cols; i < want.length; i++) expect(Math.abs(y[i]! - want[i]!)).toBeLessThanOrEqual(2e-7);
    expect(overwritten()).toEqual([]);
  });
});
