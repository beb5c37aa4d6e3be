// The 3-D output surface: z = the network's output over the input square, coloured like the 2-D view,
// the data points at the height of their label, rotatable by dragging. Loaded lazily (three.js).
import { useEffect, useRef, useState } from 'react';
import { useT } from '../../appContext.tsx';
import { outputRange, type SurfaceView, tick } from './surfaceGeometry.ts';
import { createSurfaceScene, LABEL_ANCHORS, type LabelKey, type SurfaceScene } from './surfaceScene.ts';

/** `side` is the canvas's side in CSS pixels. */
export default function Surface3D({ view, side }: { view: SurfaceView; side: number }) {
  const t = useT();
  const canvas = useRef<HTMLCanvasElement>(null);
  const labels = useRef<Partial<Record<LabelKey, HTMLElement | null>>>({});
  const scene = useRef<SurfaceScene | null>(null);
  const [failure, setFailure] = useState<'unavailable' | 'lost' | null>(null);

  useEffect(() => {
    if (!canvas.current) return;
    try {
      scene.current = createSurfaceScene(
        canvas.current,
        () => labels.current,
        () => setFailure('lost'),
      );
    } catch {
      setFailure('unavailable');
      return;
    }
    return () => {
      scene.current?.dispose();
      scene.current = null;
    };
  }, []);
  useEffect(() => scene.current?.resize(side), [side]);
  useEffect(() => scene.current?.update(view), [view]);

  const { lo, hi } = outputRange(view);
  const text: Record<LabelKey, string> = {
    x1Name: 'x₁',
    x1Lo: tick(view.x0),
    x1Hi: tick(view.x1),
    x2Name: 'x₂',
    x2Lo: tick(view.y0),
    x2Hi: tick(view.y1),
    zName: t('output3d.axisOutput'),
    zLo: tick(lo),
    zMid: tick((lo + hi) / 2),
    zHi: tick(hi),
  };
  if (failure)
    return (
      <p className="ng-3d-failure" role="alert" data-testid="output-3d-error" style={{ width: side, height: side }}>
        {t(failure === 'lost' ? 'output3d.contextLost' : 'output3d.noWebgl')}
      </p>
    );
  return (
    <div className="ng-3d-stage" style={{ width: side, height: side }}>
      <canvas ref={canvas} data-testid="output-3d-canvas" aria-label={t('output3d.canvas')} />
      {(Object.keys(LABEL_ANCHORS) as LabelKey[]).map((key) => (
        <span
          key={key}
          ref={(el) => {
            labels.current[key] = el;
          }}
          className={key.endsWith('Name') ? 'ng-3d-label ng-axis-name' : 'ng-3d-label'}
        >
          {text[key]}
        </span>
      ))}
    </div>
  );
}
