// The Compare chart's data: every variant's training loss at the epochs it was measured at.
import { describe, expect, it } from 'vitest';
import type { EpochMetrics } from '../../engine/index.ts';
import { appendThinned, MAX_HISTORY } from '../editor/comparePool.ts';
import { compareColumns } from './CompareChart.tsx';

const metrics = (epoch: number): EpochMetrics => ({ epoch, trainLoss: 1 / epoch, testLoss: 1 / epoch, seconds: 0 });

/** A history as the pool keeps it: epochs arriving in reports of `batch`, thinned past MAX_HISTORY. */
function history(epochs: number, batch = 37): EpochMetrics[] {
  let h: EpochMetrics[] = [];
  for (let e = 1; e <= epochs; e += batch)
    h = appendThinned(
      h,
      Array.from({ length: Math.min(batch, epochs - e + 1) }, (_, i) => metrics(e + i)),
    );
  return h;
}

describe('compare chart columns', () => {
  it('plots each loss at its own epoch: a thinned run of more than MAX_HISTORY epochs ends at its last epoch', () => {
    for (const epochs of [10, MAX_HISTORY, MAX_HISTORY + 1, 2000, 5000]) {
      const long = history(epochs);
      const short = history(300);
      const [xs, longY, shortY] = compareColumns([{ history: long }, { history: short }]);
      expect(xs.at(-1), `${epochs} epochs`).toBe(Math.max(epochs, 300));
      for (const m of long) expect(longY![(xs as number[]).indexOf(m.epoch)]).toBe(m.trainLoss);
      for (const m of short) expect(shortY![(xs as number[]).indexOf(m.epoch)]).toBe(m.trainLoss);
      expect([...shortY!].filter((y) => y !== null)).toHaveLength(short.length);
    }
  });
});
