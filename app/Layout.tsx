// The screen's three columns: palette + inspector | canvas | training results. Resizable by their
// separators, collapsible by the buttons on their edges, and remembered in this browser. The sizes
// are chosen so that at 1280×720 the canvas, the output view (≥ 300×300) and the loss chart are all
// visible at once.
import { type ReactNode, type RefObject, useState } from 'react';
import {
  Group,
  Panel,
  type PanelImperativeHandle,
  Separator,
  useDefaultLayout,
  usePanelRef,
} from 'react-resizable-panels';
import { useT } from './appContext.tsx';
import { COLUMNS_ID } from './editor/storageKeys.ts';

/**
 * localStorage for the column sizes, minus what react-resizable-panels cannot read: it parses the
 * saved value without a guard, so a damaged one (truncated JSON, "null") would crash every start.
 */
const layoutStorage = {
  getItem(key: string): string | null {
    try {
      const text = localStorage.getItem(key);
      const value: unknown = text === null ? null : JSON.parse(text);
      return typeof value === 'object' && value !== null && !Array.isArray(value) ? text : null;
    } catch {
      return null;
    }
  },
  setItem(key: string, value: string): void {
    try {
      localStorage.setItem(key, value);
    } catch {
      // NOTE: storage may be full or unavailable; the sizes then last for this page only.
    }
  },
};

/** Pixel sizes of the side columns (one truth for the layout and its tests). */
export const COLUMNS = {
  left: { default: 230, min: 190, max: 380 },
  results: { default: 360, min: 330, max: 640 },
  canvasMin: 320,
} as const;

/** The props both side columns share: pixel sizes that survive window resizes, collapsible to nothing. */
function sideColumn(
  sizes: { default: number; min: number; max: number },
  panelRef: RefObject<PanelImperativeHandle | null>,
  setCollapsed: (collapsed: boolean) => void,
) {
  return {
    panelRef,
    defaultSize: sizes.default,
    minSize: sizes.min,
    maxSize: sizes.max,
    collapsible: true,
    collapsedSize: 0,
    groupResizeBehavior: 'preserve-pixel-size',
    onResize: (size: { inPixels: number }) => setCollapsed(size.inPixels < 1),
  } as const;
}

function Toggle({
  panel,
  collapsed,
  side,
  label,
  testId,
}: {
  panel: RefObject<PanelImperativeHandle | null>;
  collapsed: boolean;
  side: 'left' | 'right';
  label: string;
  testId: string;
}) {
  const arrow = (side === 'left') === collapsed ? '›' : '‹';
  return (
    <button
      type="button"
      className={`ng-collapse ng-collapse-${side}`}
      data-testid={testId}
      aria-label={label}
      title={label}
      aria-expanded={!collapsed}
      onClick={() => (collapsed ? panel.current?.expand() : panel.current?.collapse())}
    >
      {arrow}
    </button>
  );
}

export function MainLayout({ left, center, right }: { left: ReactNode; center: ReactNode; right: ReactNode }) {
  const t = useT();
  const layout = useDefaultLayout({
    id: COLUMNS_ID,
    storage: layoutStorage,
    onlySaveAfterUserInteractions: true,
  });
  const leftPanel = usePanelRef();
  const rightPanel = usePanelRef();
  const [leftCollapsed, setLeftCollapsed] = useState(false);
  const [rightCollapsed, setRightCollapsed] = useState(false);
  return (
    <Group
      className="ng-main-area"
      orientation="horizontal"
      defaultLayout={layout.defaultLayout}
      onLayoutChanged={layout.onLayoutChanged}
    >
      <Panel id="left" className="ng-left" {...sideColumn(COLUMNS.left, leftPanel, setLeftCollapsed)}>
        {left}
      </Panel>
      <Separator className="ng-separator" />
      <Panel id="canvas" className="ng-center" minSize={COLUMNS.canvasMin}>
        <Toggle
          panel={leftPanel}
          collapsed={leftCollapsed}
          side="left"
          label={t(leftCollapsed ? 'layout.showLeft' : 'layout.hideLeft')}
          testId="toggle-left"
        />
        <Toggle
          panel={rightPanel}
          collapsed={rightCollapsed}
          side="right"
          label={t(rightCollapsed ? 'layout.showResults' : 'layout.hideResults')}
          testId="toggle-results"
        />
        {center}
      </Panel>
      <Separator className="ng-separator" />
      <Panel id="results" className="ng-right" {...sideColumn(COLUMNS.results, rightPanel, setRightCollapsed)}>
        {right}
      </Panel>
    </Group>
  );
}
