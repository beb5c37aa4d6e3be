// Where the 3-D panel docks: over the canvas's right edge, beside the results column, below the
// column-toggle button, as large as the window allows (about 340 px at 1280×720).

/** Height of the panel's title row, legend and hint, and its padding (CSS pixels; see .ng-3d-panel). */
export const PANEL_CHROME = { height: 100, width: 20 } as const;

export interface DockInput {
  /** The results column's left edge and top (CSS pixels, viewport coordinates). */
  columnLeft: number;
  columnTop: number;
  /** The lowest y the panel may reach (the status bar's top). */
  bottom: number;
  /** The canvas's left edge: the panel does not cover the left column. */
  canvasLeft: number;
  viewport: { width: number; height: number };
}

/** The panel's top-left corner and the 3-D canvas's side. `dock3d({...1280×720})` → side ≈ 340. */
export function dock3d(d: DockInput): { left: number; top: number; side: number } {
  const top = d.columnTop + 40;
  const preferred = Math.round(Math.min(d.viewport.height * 0.48, d.viewport.width * 0.28));
  const fitsHeight = d.bottom - top - PANEL_CHROME.height - 8;
  const fitsWidth = d.columnLeft - d.canvasLeft - PANEL_CHROME.width - 16;
  const side = Math.max(160, Math.min(560, preferred, fitsHeight, fitsWidth));
  return { left: d.columnLeft - 8 - side - PANEL_CHROME.width, top, side };
}
