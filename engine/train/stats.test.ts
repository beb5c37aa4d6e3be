import { describe, expect, it } from 'vitest';
import { deadFraction, histogram, l2norm, summarize } from './stats.ts';

const f = (v: number[]) => Float32Array.from(v);

describe('statistics on known tensors', () => {
  it('summarize', () => {
    const s = summarize(f([1, 2, 3, 4]));
    expect(s.mean).toBe(2.5);
    expect(s.std).toBeCloseTo(Math.sqrt(1.25), 12);
    expect([s.min, s.max]).toEqual([1, 4]);
    expect(s.rms).toBeCloseTo(Math.sqrt(7.5), 12);
    expect(summarize(f([5, 9]), 1).mean).toBe(5);
  });
  it('l2norm', () => {
    expect(l2norm(f([3, 4]))).toBe(5);
  });
  it('histogram with clamping into the end bins', () => {
    const out = new Float32Array(4);
    expect([...histogram(f([0, 0.1, 0.3, 0.6, 0.99, 1, -5, 7]), 8, 0, 1, out)]).toEqual([3, 1, 1, 3]);
    expect(histogram(f([2, 2]), 2, 2, 2, out).reduce((a, b) => a + b)).toBe(2);
  });
  it('dead ReLU fraction: columns zero for every row', () => {
    // 3 samples × 4 units; unit 1 and 3 never fire
    expect(deadFraction(f([1, 0, 0, 0, 0, 0, 2, 0, 0.5, 0, 0, 0]), 3, 4)).toBe(0.5);
  });
});
