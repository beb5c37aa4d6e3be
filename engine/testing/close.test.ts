import { describe, expect, it } from 'vitest';
import { closeness } from './close.ts';

describe('closeness', () => {
  it('names the element farthest from the expected values', () => {
    const d = closeness(Float32Array.of(1, 2.5, 3), [1, 2, 3.1], 'c');
    expect(d.difference).toBeCloseTo(0.5, 6);
    expect(d.message).toBe('c: worst at [1]: 2.5 vs 2');
  });
  it('counts a NaN, an infinity or a missing element as infinitely far, wherever it is', () => {
    for (const actual of [[Number.NaN, 5], [1, Number.NaN], [Number.POSITIVE_INFINITY, 1], [1]]) {
      const d = closeness(actual, [1, 1], 'c');
      expect(d.difference, JSON.stringify(actual)).toBe(Number.POSITIVE_INFINITY);
    }
    expect(closeness([1, 1, 1], [1, 1], 'c').message).toBe('c: worst at [2]: 1 vs undefined (lengths 3 vs 2)');
  });
  it('is 0 for equal arrays, also empty ones', () => {
    expect(closeness([1, 2], [1, 2], 'c').difference).toBe(0);
    expect(closeness([], [], 'c').difference).toBe(0);
  });
});
