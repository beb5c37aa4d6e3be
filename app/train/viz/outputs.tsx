// The output view matched to the data: decision surface (2-D), function fit (1-D), digits (MNIST).
import { useCallback } from 'react';
import { useT } from '../../appContext.tsx';
import type { OutputView } from '../protocol.ts';
import { Canvas2D } from './Canvas2D.tsx';

type Surface = Extract<OutputView, { kind: 'surface' }>;
type Curve = Extract<OutputView, { kind: 'curve' }>;
type Digits = Extract<OutputView, { kind: 'digits' }>;

const ORANGE: [number, number, number] = [245, 147, 34];
const BLUE: [number, number, number] = [8, 119, 189];

export function DecisionSurface({ view, size = 220 }: { view: Surface; size?: number }) {
  const t = useT();
  const draw = useCallback(
    (ctx: CanvasRenderingContext2D, w: number, h: number) => {
      const cell = w / view.size;
      for (let r = 0; r < view.size; r++)
        for (let c = 0; c < view.size; c++) {
          const p = Math.max(0, Math.min(1, view.grid[r * view.size + c] as number));
          const [a, b] = [ORANGE, BLUE];
          const mix = (i: number) => Math.round(255 + ((p >= 0.5 ? b[i]! : a[i]!) - 255) * Math.abs(p - 0.5) * 1.4);
          ctx.fillStyle = `rgb(${mix(0)},${mix(1)},${mix(2)})`;
          ctx.fillRect(c * cell, r * cell, cell + 0.5, cell + 0.5);
        }
      const sx = (x: number) => ((x - view.x0) / (view.x1 - view.x0)) * w;
      const sy = (y: number) => ((view.y1 - y) / (view.y1 - view.y0)) * h;
      for (let i = 0; i < view.labels.length; i++) {
        const [r, g, b] = (view.labels[i] as number) >= 0.5 ? BLUE : ORANGE;
        ctx.fillStyle = `rgb(${r},${g},${b})`;
        ctx.strokeStyle = 'white';
        ctx.beginPath();
        ctx.arc(
          sx(view.points[2 * i] as number),
          sy(view.points[2 * i + 1] as number),
          view.labels.length > 50 ? 3 : 6,
          0,
          2 * Math.PI,
        );
        ctx.fill();
        ctx.stroke();
      }
    },
    [view],
  );
  return (
    <Canvas2D
      width={size}
      height={size}
      draw={draw}
      label={t('output.surface')}
      testId="decision-surface"
      className="ng-output"
    />
  );
}

export function FunctionFit({ view, width = 300, height = 220 }: { view: Curve; width?: number; height?: number }) {
  const t = useT();
  const draw = useCallback(
    (ctx: CanvasRenderingContext2D, w: number, h: number) => {
      const all = [...view.ys, ...view.sampleY];
      const lo = Math.min(...all);
      const hi = Math.max(...all);
      const x0 = view.xs[0] as number;
      const x1 = view.xs[view.xs.length - 1] as number;
      const pad = 8;
      const sx = (x: number) => pad + ((x - x0) / (x1 - x0 || 1)) * (w - 2 * pad);
      const sy = (y: number) => h - pad - ((y - lo) / (hi - lo || 1)) * (h - 2 * pad);
      ctx.fillStyle = 'rgba(8,119,189,0.45)';
      for (let i = 0; i < view.sampleX.length; i++)
        ctx.fillRect(sx(view.sampleX[i] as number) - 1.5, sy(view.sampleY[i] as number) - 1.5, 3, 3);
      ctx.strokeStyle = '#b0413e';
      ctx.lineWidth = 2;
      ctx.beginPath();
      for (let i = 0; i < view.xs.length; i++) {
        const [x, y] = [sx(view.xs[i] as number), sy(view.ys[i] as number)];
        if (i === 0) ctx.moveTo(x, y);
        else ctx.lineTo(x, y);
      }
      ctx.stroke();
      ctx.fillStyle = '#667085';
      ctx.font = '10px system-ui';
      ctx.fillText(`${hi.toPrecision(3)}`, 2, 10);
      ctx.fillText(`${lo.toPrecision(3)}`, 2, h - 2);
    },
    [view],
  );
  return (
    <Canvas2D
      width={width}
      height={height}
      draw={draw}
      label={t('output.curve')}
      testId="function-fit"
      className="ng-output"
    />
  );
}

export function DigitGrid({ view }: { view: Digits }) {
  const name = (k: number) => (view.classes === 2 ? (k === 1 ? 'yes' : 'no') : String(k));
  return (
    <div className="ng-digits" data-testid="digit-grid">
      {Array.from(view.labels, (label, i) => (
        <Digit
          key={i}
          pixels={view.images.subarray(i * 784, (i + 1) * 784)}
          caption={name(view.predicted[i]!)}
          wrong={view.predicted[i] !== label}
        />
      ))}
    </div>
  );
}

function Digit({ pixels, caption, wrong }: { pixels: Uint8Array; caption: string; wrong: boolean }) {
  const draw = useCallback(
    (ctx: CanvasRenderingContext2D) => {
      const img = ctx.createImageData(28, 28);
      for (let p = 0; p < 784; p++) img.data.set([255 - pixels[p]!, 255 - pixels[p]!, 255 - pixels[p]!, 255], p * 4);
      ctx.putImageData(img, 0, 0);
    },
    [pixels],
  );
  const t = useT();
  return (
    <figure className={wrong ? 'wrong' : ''} title={t(wrong ? 'output.wrong' : 'output.right')}>
      <Canvas2D width={28} height={28} draw={draw} label={t('output.digit', { caption })} />
      <figcaption>{caption}</figcaption>
    </figure>
  );
}

export function ConfusionMatrix({ counts, classes }: { counts: Int32Array; classes: number }) {
  let max = 0;
  for (const v of counts) max = Math.max(max, v);
  const t = useT();
  const names =
    classes === 2 ? [t('output.no'), t('output.yes')] : Array.from({ length: classes }, (_, i) => String(i));
  return (
    <table className="ng-confusion" data-testid="confusion-matrix">
      <caption>{t('output.confusion')}</caption>
      <thead>
        <tr>
          <th />
          {names.map((n) => (
            <th key={n}>{n}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {names.map((rowName, r) => (
          <tr key={rowName}>
            <th>{rowName}</th>
            {names.map((colName, c) => {
              const v = counts[r * classes + c]!;
              const alpha = max > 0 ? v / max : 0;
              return (
                <td
                  key={colName}
                  style={{
                    background: r === c ? `rgba(47,125,91,${alpha})` : `rgba(192,57,43,${Math.min(1, alpha * 3)})`,
                  }}
                >
                  {v || ''}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
