import { describe, expect, it } from 'vitest';
import { dock3d, PANEL_CHROME } from './dock3d.ts';

/** The app's columns at a window size: left column 230 px, results column 360 px, 36 px header, 26 px status bar. */
const at = (width: number, height: number) => ({
  columnLeft: width - 360,
  columnTop: 36,
  bottom: height - 26,
  canvasLeft: 230,
  viewport: { width, height },
});

describe('the 3-D panel docks beside the results column', () => {
  for (const [w, h] of [
    [1280, 720],
    [1440, 900],
    [1920, 1080],
  ] as const)
    it(`fits the canvas area at ${w}×${h} and ends before the column`, () => {
      const d = at(w, h);
      const p = dock3d(d);
      expect(p.left).toBeGreaterThanOrEqual(d.canvasLeft);
      expect(p.left + p.side + PANEL_CHROME.width).toBeLessThan(d.columnLeft);
      expect(p.top).toBeGreaterThan(d.columnTop + 30);
      expect(p.top + p.side + PANEL_CHROME.height).toBeLessThanOrEqual(d.bottom);
      expect(p.side).toBeGreaterThanOrEqual(300);
    });
  it('is about 340 px at 1280×720 and larger on larger screens', () => {
    const sides = [at(1280, 720), at(1440, 900), at(1920, 1080)].map((d) => dock3d(d).side);
    expect(sides[0]).toBeGreaterThanOrEqual(320);
    expect(sides[0]).toBeLessThanOrEqual(360);
    expect(sides[1]).toBeGreaterThan(sides[0]!);
    expect(sides[2]).toBeGreaterThan(sides[1]!);
  });
  it('shrinks when the canvas is narrow, never below 160 px', () => {
    expect(dock3d({ ...at(1280, 720), canvasLeft: 600 }).side).toBe(1280 - 360 - 600 - PANEL_CHROME.width - 16);
    expect(dock3d({ ...at(1280, 720), canvasLeft: 900 }).side).toBe(160);
  });
});
