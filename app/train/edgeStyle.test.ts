import { describe, expect, it } from 'vitest';
import { edgeLook, magnitudeLevel } from './edgeStyle.ts';

describe('gradient-flow edge style', () => {
  it('maps magnitudes on a log scale and clamps', () => {
    expect(magnitudeLevel(1e-6)).toBe(0);
    expect(magnitudeLevel(10)).toBe(1);
    expect(magnitudeLevel(1e-3)).toBeCloseTo(3 / 7, 12);
    expect(magnitudeLevel(0)).toBe(0);
    expect(magnitudeLevel(Number.NaN)).toBe(0);
    expect(magnitudeLevel(1e9)).toBe(1);
  });
  it('thick red for large, thin blue for small, nothing without data', () => {
    expect(edgeLook(10)!.style).toEqual({ strokeWidth: 8, stroke: 'hsl(0 70% 45%)' });
    expect(edgeLook(1e-7)!.style).toEqual({ strokeWidth: 1, stroke: 'hsl(220 70% 45%)' });
    expect(edgeLook(null)).toBeNull();
  });
});
