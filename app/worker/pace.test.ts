import { describe, expect, it } from 'vitest';
import { MAX_STATS_MS, PACES, REPORT_INTERVALS, reportIntervals, STATS_NODES } from './pace.ts';

describe('report intervals by graph size', () => {
  it('a graph up to STATS_NODES nodes gets every pace as it is', () => {
    for (const pace of PACES) expect(reportIntervals(pace, STATS_NODES)).toBe(REPORT_INTERVALS[pace]);
  });
  it('a larger graph gets statistics and heatmaps proportionally less often, at most MAX_STATS_MS apart; the rest as it is', () => {
    for (const pace of PACES) {
      const base = REPORT_INTERVALS[pace];
      const twice = reportIntervals(pace, 2 * STATS_NODES);
      const huge = reportIntervals(pace, 5000);
      expect(twice.stats, pace).toBe(Math.max(base.stats, 2 * Math.max(base.stats, 100)));
      expect(twice.stats, pace).toBeGreaterThan(base.stats);
      expect(huge.stats, pace).toBe(Math.max(base.stats, MAX_STATS_MS));
      expect(huge.heatmap, pace).toBe(Math.max(base.heatmap, MAX_STATS_MS));
      expect({ ...huge, stats: 0, heatmap: 0 }, pace).toEqual({ ...base, stats: 0, heatmap: 0 });
    }
  });
});
