import { describe, expect, it } from 'vitest';
import type { Tensor } from '../../engine/index.ts';
import { createTimeline } from './timeline.ts';

const params = (value: number, size = 4): Map<string, Tensor> =>
  new Map([['h.W', { shape: [size], data: new Float32Array(size).fill(value) }]]);

describe('timeline', () => {
  it('keeps a copy of the parameters at each epoch end', () => {
    const tl = createTimeline();
    const live = params(1);
    tl.record(1, 10 * 1, live);
    live.get('h.W')!.data.fill(2);
    tl.record(2, 10 * 2, live);
    expect(tl.epochs()).toEqual([1, 2]);
    expect(tl.at(1)!.values.get('h.W')![0]).toBe(1);
    expect(tl.at(2)!.values.get('h.W')![0]).toBe(2);
    expect(tl.at(5)!.epoch).toBe(2);
    expect(tl.at(0)).toBeNull();
    expect(tl.bytes).toBe(32);
  });

  it('thins old snapshots evenly when the count is reached, keeping the first and the newest', () => {
    const tl = createTimeline(1e9, 8);
    for (let e = 1; e <= 100; e++) tl.record(e, 10 * e, params(e));
    const epochs = tl.epochs();
    expect(epochs.length).toBeLessThanOrEqual(8);
    expect(epochs[0]).toBe(1);
    expect(epochs[epochs.length - 1]).toBeGreaterThan(80);
    // Spread over the whole run: no gap larger than a quarter of it.
    for (let i = 1; i < epochs.length; i++) expect(epochs[i]! - epochs[i - 1]!).toBeLessThanOrEqual(32);
    for (const e of epochs) expect(tl.at(e)!.values.get('h.W')![0]).toBe(e);
  });

  it('stays within its byte budget', () => {
    const tl = createTimeline(10 * 400, 1000);
    for (let e = 1; e <= 500; e++) tl.record(e, 10 * e, params(e, 100));
    expect(tl.bytes).toBeLessThanOrEqual(10 * 400);
    expect(tl.epochs().length).toBeGreaterThanOrEqual(5);
  });

  it('forgets the snapshots after a branch point and records the branch from there', () => {
    const tl = createTimeline();
    for (let e = 1; e <= 10; e++) tl.record(e, 10 * e, params(e));
    tl.truncateAfter(4);
    expect(tl.epochs()).toEqual([1, 2, 3, 4]);
    tl.record(5, 10 * 5, params(50));
    expect(tl.at(5)!.values.get('h.W')![0]).toBe(50);
    expect(tl.bytes).toBe(5 * 16);
  });
});
