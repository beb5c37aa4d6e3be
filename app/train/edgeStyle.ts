// Gradient flow on edges: thickness and colour follow log10 of the magnitude flowing through.
import type { EdgeLook } from './edgeFlow.ts';

/** Magnitudes from 1e-6 to 1e1 map onto 0..1 (log scale). */
export function magnitudeLevel(m: number): number {
  if (!(m > 0)) return 0;
  return Math.max(0, Math.min(1, (Math.log10(m) + 6) / 7));
}

/** Thin and blue for vanishing, thick and red for exploding. */
export function edgeLook(magnitude: number | null): EdgeLook | null {
  if (magnitude === null) return null;
  const t = magnitudeLevel(magnitude);
  const hue = 220 - 220 * t;
  return { style: { strokeWidth: 1 + 7 * t, stroke: `hsl(${hue} 70% 45%)` } };
}

export const LEGEND_STOPS = [1e-6, 1e-4, 1e-2, 1, 10];
