import { describe, expect, it } from 'vitest';
import { createLooks, LOOK_SPACING } from './looks.ts';

describe('looks', () => {
  it('at full speed a costly look waits LOOK_SPACING × its cost; paced, only its interval', () => {
    let clock = 0;
    const looks = createLooks(() => clock);
    expect(looks.due('stats', 0, 100, true)).toBe(true);
    // A look that takes 70 ms (a CNN's probe pass).
    looks.take('stats', 0, () => {
      clock += 70;
    });
    expect(looks.due('stats', 100, 100, false)).toBe(true);
    expect(looks.due('stats', 100, 100, true)).toBe(false);
    expect(looks.due('stats', LOOK_SPACING * 70 - 1, 100, true)).toBe(false);
    expect(looks.due('stats', LOOK_SPACING * 70, 100, true)).toBe(true);
    // A cheap look keeps its interval.
    looks.take('output', 0, () => {
      clock += 1;
    });
    expect(looks.due('output', 99, 100, true)).toBe(false);
    expect(looks.due('output', 100, 100, true)).toBe(true);
  });

  it('a marked look waits its interval; kinds are independent', () => {
    const looks = createLooks(() => 0);
    looks.mark('heatmap', 10);
    expect(looks.due('heatmap', 500, 500, true)).toBe(false);
    expect(looks.due('heatmap', 510, 500, true)).toBe(true);
    expect(looks.due('confusion', 11, 1000, true)).toBe(true);
  });
});
