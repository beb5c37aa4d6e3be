import { describe, expect, it } from 'vitest';
import { edgeLook, flowLevel, levelStyle, magnitudeLevel } from './edgeStyle.ts';

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
  it('an edge shows its level in quarter-pixel steps, so statistics that barely move redraw no edge', () => {
    expect(flowLevel(null)).toBeNull();
    expect(flowLevel(10)).toBe(1);
    expect(flowLevel(1e-3)).toBe(12 / 28);
    expect(flowLevel(1.01e-3)).toBe(flowLevel(1e-3));
    expect(flowLevel(1e-2)).not.toBe(flowLevel(1e-3));
    expect(levelStyle(flowLevel(10)!)).toEqual(edgeLook(10)!.style);
  });
});
