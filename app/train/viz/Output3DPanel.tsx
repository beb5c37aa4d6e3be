// The 3-D view of the output surface: a toggle in the output view's title row, and a non-modal panel
// docked beside the results column (over the canvas's right edge). three.js loads on first open.
import { lazy, type RefObject, Suspense, useEffect, useLayoutEffect, useState } from 'react';
import { createPortal } from 'react-dom';
import { useT } from '../../appContext.tsx';
import { dock3d, PANEL_CHROME } from './dock3d.ts';
import { BLUE, ORANGE, type SurfaceView } from './surfaceGeometry.ts';

function LoadFailed() {
  const t = useT();
  return (
    <p className="ng-3d-failure" role="alert" data-testid="output-3d-error">
      {t('output3d.loadFailed')}
    </p>
  );
}

const Surface3D = lazy(() => import('./Surface3D.tsx').catch(() => ({ default: LoadFailed })));

export function Output3DToggle({ open, onToggle }: { open: boolean; onToggle: () => void }) {
  const t = useT();
  return (
    <button
      type="button"
      className="ng-3d-toggle"
      data-testid="output-3d-toggle"
      aria-pressed={open}
      title={t('output3d.toggleHint')}
      onClick={onToggle}
    >
      {t('output3d.toggle')}
    </button>
  );
}

/** Follows the results column (`anchor` lies inside it) as the window or the columns change size. */
function useDock(anchor: RefObject<HTMLElement | null>) {
  const [dock, setDock] = useState<ReturnType<typeof dock3d> | null>(null);
  useLayoutEffect(() => {
    const column = anchor.current?.closest<HTMLElement>('.ng-right') ?? anchor.current;
    if (!column) return;
    const measure = () => {
      const c = column.getBoundingClientRect();
      const canvas = document.querySelector('.ng-center')?.getBoundingClientRect();
      const status = document.querySelector('.ng-status')?.getBoundingClientRect();
      setDock(
        dock3d({
          columnLeft: c.left,
          columnTop: c.top,
          bottom: status?.top ?? window.innerHeight,
          canvasLeft: canvas?.left ?? 0,
          viewport: { width: window.innerWidth, height: window.innerHeight },
        }),
      );
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(column);
    window.addEventListener('resize', measure);
    return () => {
      observer.disconnect();
      window.removeEventListener('resize', measure);
    };
  }, [anchor]);
  return dock;
}

export function Output3DPanel({
  view,
  rev,
  anchor,
  onClose,
}: {
  view: SurfaceView;
  /** The run and step of the weights drawn (data-rev). */
  rev: string | undefined;
  anchor: RefObject<HTMLElement | null>;
  onClose: () => void;
}) {
  const t = useT();
  const dock = useDock(anchor);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const typing = e.target instanceof HTMLElement && e.target.closest('input, textarea, select') !== null;
      if (e.key === 'Escape' && !typing) onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  if (!dock) return null;
  return createPortal(
    <section
      className="ng-3d-panel"
      data-testid="output-3d"
      data-rev={rev}
      role="dialog"
      aria-modal="false"
      aria-label={t('output3d.title')}
      style={{ left: dock.left, top: dock.top, width: dock.side + PANEL_CHROME.width }}
    >
      <div className="ng-row">
        <h2>{t('output3d.title')}</h2>
        <span className="ng-muted ng-3d-hint">{t('output3d.hint')}</span>
        <button
          type="button"
          className="ng-3d-close"
          data-testid="output-3d-close"
          aria-label={t('output3d.close')}
          title={t('output3d.close')}
          onClick={onClose}
        >
          ×
        </button>
      </div>
      <Suspense
        fallback={
          <p className="ng-3d-failure" style={{ width: dock.side, height: dock.side }}>
            {t('output3d.loading')}
          </p>
        }
      >
        <Surface3D view={view} side={dock.side} />
      </Suspense>
      <div className="ng-legend-box">
        <span className="ng-gradient-bar" title={t('output.probability')}>
          {t('output3d.axisOutput')} 0 <i /> 1
        </span>
        <span>
          <i className="ng-swatch" style={{ background: `rgb(${ORANGE.join(',')})` }} /> {t('output.class0')}
        </span>
        <span>
          <i className="ng-swatch" style={{ background: `rgb(${BLUE.join(',')})` }} /> {t('output.class1')}
        </span>
      </div>
    </section>,
    document.body,
  );
}
