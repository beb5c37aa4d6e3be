// The numbers behind the 3-D output surface, without three.js or the DOM: vertex heights and colours
// from the worker's grid, the data points' positions, and the colour scale the 2-D view shares.
import type { OutputView } from '../../worker/protocol.ts';

export type SurfaceView = Extract<OutputView, { kind: 'surface' }>;

/** sRGB colours of class 0 and class 1 (the 2-D view, the points and the legend use the same). */
export const ORANGE: readonly [number, number, number] = [245, 147, 34];
export const BLUE: readonly [number, number, number] = [8, 119, 189];

/** World units: the input square spans [-1, 1] in x (x₁) and y (x₂); the output's range spans [0, HEIGHT] in z. */
export const HEIGHT = 1.2;

/**
 * The 2-D view's colour for an output: white at 0.5, deepening to orange towards 0 and blue towards 1
 * (sRGB bytes). `probabilityColour(1)` → `[82, 160, 209]`.
 */
export function probabilityColour(p: number): [number, number, number] {
  const q = Math.max(0, Math.min(1, Number.isFinite(p) ? p : 0.5));
  const target = q >= 0.5 ? BLUE : ORANGE;
  const depth = Math.abs(q - 0.5) * 1.4;
  return [0, 1, 2].map((i) => Math.round(255 + ((target[i] as number) - 255) * depth)) as [number, number, number];
}

/** An sRGB byte as a linear 0…1 value (WebGL blends in linear light; three converts back on output). */
export function srgbToLinear(byte: number): number {
  const c = byte / 255;
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

/**
 * The output range the z axis shows: at least 0…1 (probabilities), wider when a regression's outputs
 * or targets leave it, so nothing is cut off.
 */
export function outputRange(view: SurfaceView): { lo: number; hi: number } {
  let lo = 0;
  let hi = 1;
  for (const v of view.grid) if (Number.isFinite(v)) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
  for (const v of view.labels) if (Number.isFinite(v)) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
  return { lo, hi };
}

const heightOf = (v: number, range: { lo: number; hi: number }) =>
  Number.isFinite(v) ? ((v - range.lo) / (range.hi - range.lo)) * HEIGHT : 0;

/**
 * Vertex positions (x, y, z per grid cell, row-major like the grid) into `out`, allocated when absent.
 * Cell (r, c) sits at its centre: row 0 is the top of the 2-D view (x₂ = y1), so it lies at y ≈ +1.
 */
export function surfacePositions(
  view: SurfaceView,
  range = outputRange(view),
  out: Float32Array = new Float32Array(view.size * view.size * 3),
): Float32Array {
  const n = view.size;
  for (let r = 0; r < n; r++)
    for (let c = 0; c < n; c++) {
      const k = 3 * (r * n + c);
      out[k] = ((c + 0.5) / n) * 2 - 1;
      out[k + 1] = 1 - ((r + 0.5) / n) * 2;
      out[k + 2] = heightOf(view.grid[r * n + c] as number, range);
    }
  return out;
}

/** Linear RGB vertex colours (0…1, three per cell) on the 2-D view's scale, into `out`. */
export function surfaceColours(
  view: SurfaceView,
  out: Float32Array = new Float32Array(view.size * view.size * 3),
): Float32Array {
  for (let i = 0; i < view.size * view.size; i++) {
    const rgb = probabilityColour(view.grid[i] as number);
    for (let j = 0; j < 3; j++) out[3 * i + j] = srgbToLinear(rgb[j] as number);
  }
  return out;
}

/** Two triangles per square between neighbouring cell centres, counter-clockwise seen from above. */
export function surfaceIndices(size: number): Uint32Array {
  const out = new Uint32Array((size - 1) * (size - 1) * 6);
  let k = 0;
  for (let r = 0; r + 1 < size; r++)
    for (let c = 0; c + 1 < size; c++) {
      const [a, b, d, e] = [r * size + c, r * size + c + 1, (r + 1) * size + c, (r + 1) * size + c + 1];
      // Row r+1 lies below row r in y, so (d, e, b) and (d, b, a) turn counter-clockwise from +z.
      out.set([d, e, b, d, b, a], k);
      k += 6;
    }
  return out;
}

/** Where each data point sits: over its inputs, at the height of its label (0 or 1 for a class). */
export function pointPositions(view: SurfaceView, range = outputRange(view)): Float32Array {
  const out = new Float32Array(view.labels.length * 3);
  for (let i = 0; i < view.labels.length; i++) {
    out[3 * i] = (((view.points[2 * i] as number) - view.x0) / (view.x1 - view.x0)) * 2 - 1;
    out[3 * i + 1] = (((view.points[2 * i + 1] as number) - view.y0) / (view.y1 - view.y0)) * 2 - 1;
    out[3 * i + 2] = heightOf(view.labels[i] as number, range);
  }
  return out;
}

/** A point's class colour (sRGB bytes), as in the 2-D view: blue for label ≥ 0.5, orange otherwise. */
export const pointColour = (label: number): readonly [number, number, number] => (label >= 0.5 ? BLUE : ORANGE);

/** A tick's text: three significant digits, no trailing zeros. */
export const tick = (v: number): string => String(Number(v.toPrecision(3)));
