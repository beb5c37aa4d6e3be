// Gradient flow on edges: thickness and colour follow log10 of the magnitude flowing through.
import type { CSSProperties } from 'react';

/** Magnitudes from 1e-6 to 1e1 map onto 0..1 (log scale). */
export function magnitudeLevel(m: number): number {
  if (!(m > 0)) return 0;
  return Math.max(0, Math.min(1, (Math.log10(m) + 6) / 7));
}

/** Steps of the level an edge is drawn at: 1/28 is a quarter pixel of width, below what one sees change. */
const LEVEL_STEPS = 28;

/** The level an edge shows for a magnitude, in drawable steps (an edge redraws only when it changes); null without data. */
export function flowLevel(magnitude: number | null): number | null {
  return magnitude === null ? null : Math.round(magnitudeLevel(magnitude) * LEVEL_STEPS) / LEVEL_STEPS;
}

/** Thin and blue at level 0 (vanishing), thick and red at 1 (exploding). */
export function levelStyle(t: number): CSSProperties {
  return { strokeWidth: 1 + 7 * t, stroke: `hsl(${220 - 220 * t} 70% 45%)` };
}

/** The style of an edge carrying `magnitude`; null without data. */
export function edgeLook(magnitude: number | null): { style: CSSProperties } | null {
  return magnitude === null ? null : { style: levelStyle(magnitudeLevel(magnitude)) };
}

export const LEGEND_STOPS = [1e-6, 1e-4, 1e-2, 1, 10];
