// The screen's three columns: palette + inspector | canvas | training results. Resizable by their
// separators, collapsible by the buttons on their edges, and remembered in this browser. The sizes
// are chosen so that at 1280×720 the canvas, the output view (≥ 300×300) and the loss chart are all
// visible at once.
import { type ReactNode, useState } from 'react';
import {
  Group,
  Panel,
  type PanelImperativeHandle,
  Separator,
  useDefaultLayout,
  usePanelRef,
} from 'react-resizable-panels';
import { useT } from './appContext.tsx';

/** Pixel sizes of the side columns (one truth for the layout and its tests). */
export const COLUMNS = {
  left: { default: 230, min: 190, max: 380 },
  results: { default: 360, min: 330, max: 640 },
  canvasMin: 320,
} as const;

function Toggle({
  panel,
  collapsed,
  side,
  label,
  testId,
}: {
  panel: React.RefObject<PanelImperativeHandle | null>;
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
    id: 'nodegrad-columns',
    storage: localStorage,
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
      <Panel
        id="left"
        panelRef={leftPanel}
        className="ng-left"
        defaultSize={COLUMNS.left.default}
        minSize={COLUMNS.left.min}
        maxSize={COLUMNS.left.max}
        collapsible
        collapsedSize={0}
        groupResizeBehavior="preserve-pixel-size"
        onResize={(size) => setLeftCollapsed(size.inPixels < 1)}
      >
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
      <Panel
        id="results"
        panelRef={rightPanel}
        className="ng-right"
        defaultSize={COLUMNS.results.default}
        minSize={COLUMNS.results.min}
        maxSize={COLUMNS.results.max}
        collapsible
        collapsedSize={0}
        groupResizeBehavior="preserve-pixel-size"
        onResize={(size) => setRightCollapsed(size.inPixels < 1)}
      >
        {right}
      </Panel>
    </Group>
  );
}
