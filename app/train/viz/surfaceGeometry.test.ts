import { describe, expect, it } from 'vitest';
import {
  BLUE,
  HEIGHT,
  ORANGE,
  outputRange,
  pointColour,
  pointPositions,
  probabilityColour,
  type SurfaceView,
  srgbToLinear,
  surfaceColours,
  surfaceIndices,
  surfacePositions,
} from './surfaceGeometry.ts';

/** A 2×2 grid over x₁ ∈ [0, 4], x₂ ∈ [10, 20]: top row 0 and 1, bottom row 0.5 and 0.25. */
/** Float32 buffers hold HEIGHT / 4 and friends only to 7 digits. */
const close = (actual: Float32Array, expected: number[]) => {
  expect(actual.length).toBe(expected.length);
  for (const [i, v] of expected.entries()) expect(actual[i]).toBeCloseTo(v, 6);
};

const view = (over: Partial<SurfaceView> = {}): SurfaceView => ({
  kind: 'surface',
  size: 2,
  x0: 0,
  x1: 4,
  y0: 10,
  y1: 20,
  grid: Float32Array.of(0, 1, 0.5, 0.25),
  points: Float32Array.of(0, 10, 4, 20, 1, 15),
  labels: Float32Array.of(0, 1, 1),
  ...over,
});

describe('the colour scale', () => {
  it('is white at 0.5 and deepens towards orange at 0 and blue at 1, as in the 2-D view', () => {
    expect(probabilityColour(0.5)).toEqual([255, 255, 255]);
    expect(probabilityColour(1)).toEqual([82, 160, 209]);
    expect(probabilityColour(0)).toEqual([248, 179, 100]);
    expect(probabilityColour(0.75)[2]).toBeGreaterThan(probabilityColour(0.75)[0]);
  });
  it('clamps outputs outside 0…1 and shows NaN as undecided', () => {
    expect(probabilityColour(7)).toEqual(probabilityColour(1));
    expect(probabilityColour(-3)).toEqual(probabilityColour(0));
    expect(probabilityColour(Number.NaN)).toEqual([255, 255, 255]);
  });
  it('converts sRGB bytes to linear light', () => {
    expect(srgbToLinear(0)).toBe(0);
    expect(srgbToLinear(255)).toBeCloseTo(1, 6);
    expect(srgbToLinear(188)).toBeCloseTo(0.5, 2);
  });
  it('colours points by class', () => {
    expect(pointColour(1)).toBe(BLUE);
    expect(pointColour(0)).toBe(ORANGE);
  });
});

describe('the surface', () => {
  it('puts cell centres over the input square, row 0 at the top (x₂ = y1), heights from the grid', () => {
    const p = surfacePositions(view());
    close(p, [-0.5, 0.5, 0, 0.5, 0.5, HEIGHT, -0.5, -0.5, HEIGHT / 2, 0.5, -0.5, HEIGHT / 4]);
  });
  it('writes into the given buffer (updates in place)', () => {
    const out = new Float32Array(12);
    expect(surfacePositions(view(), undefined, out)).toBe(out);
    expect(out[5]).toBeCloseTo(HEIGHT);
    const colours = new Float32Array(12);
    expect(surfaceColours(view(), colours)).toBe(colours);
  });
  it('gives each vertex the linear value of its 2-D colour', () => {
    const c = surfaceColours(view());
    expect(c[3]).toBeCloseTo(srgbToLinear(82), 6);
    expect(c[5]).toBeCloseTo(srgbToLinear(209), 6);
    expect(Array.from(c.slice(6, 9))).toEqual([1, 1, 1]);
  });
  it('widens the z range for regression outputs beyond 0…1', () => {
    const v = view({ grid: Float32Array.of(-1, 0, 2, 3), labels: Float32Array.of(0, 1, 3) });
    expect(outputRange(v)).toEqual({ lo: -1, hi: 3 });
    const z = surfacePositions(v).filter((_, i) => i % 3 === 2);
    close(z, [0, HEIGHT / 4, (HEIGHT * 3) / 4, HEIGHT]);
  });
  it('triangulates every square counter-clockwise seen from above', () => {
    const idx = surfaceIndices(3);
    expect(idx.length).toBe(4 * 6);
    const pos = surfacePositions(view({ size: 3, grid: new Float32Array(9) }));
    for (let t = 0; t < idx.length; t += 3) {
      const [a, b, c] = [idx[t]!, idx[t + 1]!, idx[t + 2]!];
      const cross =
        (pos[3 * b]! - pos[3 * a]!) * (pos[3 * c + 1]! - pos[3 * a + 1]!) -
        (pos[3 * b + 1]! - pos[3 * a + 1]!) * (pos[3 * c]! - pos[3 * a]!);
      expect(cross).toBeGreaterThan(0);
    }
  });
});

describe('the data points', () => {
  it('sit over their inputs at the height of their label', () => {
    const p = pointPositions(view());
    close(p, [-1, -1, 0, 1, 1, HEIGHT, -0.5, 0, HEIGHT]);
  });
});
