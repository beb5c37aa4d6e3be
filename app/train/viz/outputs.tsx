// The output view matched to the data: decision surface (2-D), function fit (1-D), digits (MNIST).
import { useCallback } from 'react';
import { useT } from '../../appContext.tsx';
import { confusionCorrect } from '../../editor/trainingViews.ts';
import type { OutputView } from '../../worker/protocol.ts';
import { Canvas2D, drawPixels } from './Canvas2D.tsx';
import { pointColour, probabilityColour } from './surfaceGeometry.ts';

type Surface = Extract<OutputView, { kind: 'surface' }>;
type Curve = Extract<OutputView, { kind: 'curve' }>;
type Digits = Extract<OutputView, { kind: 'digits' }>;

/** `picked`: the sample picked (ringed): the training sample traced, or the test image whose feature maps show;
 * `onPick`: a click near a sample (on a test image) picks it. */
export interface Picking {
  picked?: number | null | undefined;
  onPick?: ((sample: number) => void) | undefined;
}

/** The sample nearest to (x, y) among `n` drawn at `at(i)`, within 14 px; null when none is. */
function nearest(n: number, at: (i: number) => [number, number], x: number, y: number): number | null {
  let best: number | null = null;
  let bestD = 14 * 14;
  for (let i = 0; i < n; i++) {
    const [px, py] = at(i);
    const d = (px - x) ** 2 + (py - y) ** 2;
    if (d <= bestD) [best, bestD] = [i, d];
  }
  return best;
}

function ring(ctx: CanvasRenderingContext2D, x: number, y: number): void {
  ctx.strokeStyle = '#2f6fd6';
  ctx.lineWidth = 3;
  ctx.beginPath();
  ctx.arc(x, y, 10, 0, 2 * Math.PI);
  ctx.stroke();
}

/** The surface's screen mapping: x₁ across, x₂ up. */
function surfaceScales(view: Surface, w: number, h: number) {
  return {
    sx: (x: number) => ((x - view.x0) / (view.x1 - view.x0)) * w,
    sy: (y: number) => ((view.y1 - y) / (view.y1 - view.y0)) * h,
  };
}

export function DecisionSurface({ view, size = 220, picked, onPick }: { view: Surface; size?: number } & Picking) {
  const t = useT();
  const draw = useCallback(
    (ctx: CanvasRenderingContext2D, w: number, h: number) => {
      const cell = w / view.size;
      for (let r = 0; r < view.size; r++)
        for (let c = 0; c < view.size; c++) {
          const [red, green, blue] = probabilityColour(view.grid[r * view.size + c] as number);
          ctx.fillStyle = `rgb(${red},${green},${blue})`;
          ctx.fillRect(c * cell, r * cell, cell + 0.5, cell + 0.5);
        }
      const { sx, sy } = surfaceScales(view, w, h);
      for (let i = 0; i < view.labels.length; i++) {
        const [r, g, b] = pointColour(view.labels[i] as number);
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
      if (picked !== null && picked !== undefined && picked < view.labels.length)
        ring(ctx, sx(view.points[2 * picked] as number), sy(view.points[2 * picked + 1] as number));
    },
    [view, picked],
  );
  const pick = (x: number, y: number) => {
    const { sx, sy } = surfaceScales(view, size, size);
    const i = nearest(view.labels.length, (k) => [sx(view.points[2 * k]!), sy(view.points[2 * k + 1]!)], x, y);
    if (i !== null) onPick?.(i);
  };
  return (
    <Canvas2D
      width={size}
      height={size}
      draw={draw}
      label={t('output.surface')}
      testId="decision-surface"
      className="ng-output"
      onPick={onPick ? pick : undefined}
    />
  );
}

/** The fit's screen mapping: x over the domain, y over the range of predictions and samples. */
function curveScales(view: Curve, w: number, h: number) {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const v of view.ys) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
  for (const v of view.sampleY) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
  const x0 = view.xs[0] as number;
  const x1 = view.xs[view.xs.length - 1] as number;
  const pad = 8;
  return {
    lo,
    hi,
    sx: (x: number) => pad + ((x - x0) / (x1 - x0 || 1)) * (w - 2 * pad),
    sy: (y: number) => h - pad - ((y - lo) / (hi - lo || 1)) * (h - 2 * pad),
  };
}

export function FunctionFit({
  view,
  width = 300,
  height = 220,
  picked,
  onPick,
}: { view: Curve; width?: number; height?: number } & Picking) {
  const t = useT();
  const draw = useCallback(
    (ctx: CanvasRenderingContext2D, w: number, h: number) => {
      const { lo, hi, sx, sy } = curveScales(view, w, h);
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
      ctx.font = '11px system-ui';
      ctx.fillText(`${hi.toPrecision(3)}`, 2, 11);
      ctx.fillText(`${lo.toPrecision(3)}`, 2, h - 2);
      if (picked !== null && picked !== undefined && picked < view.sampleX.length)
        ring(ctx, sx(view.sampleX[picked] as number), sy(view.sampleY[picked] as number));
    },
    [view, picked],
  );
  const pick = (x: number, y: number) => {
    const { sx, sy } = curveScales(view, width, height);
    const i = nearest(view.sampleX.length, (k) => [sx(view.sampleX[k]!), sy(view.sampleY[k]!)], x, y);
    if (i !== null) onPick?.(i);
  };
  return (
    <Canvas2D
      width={width}
      height={height}
      draw={draw}
      label={t('output.curve')}
      testId="function-fit"
      className="ng-output"
      onPick={onPick ? pick : undefined}
    />
  );
}

/** Larger images (cat/non-cat's 64×64) are drawn at this size; MNIST's 28×28 at their own. */
const THUMB_PX = 32;

/** A class's name: the dataset's, else yes/no for two classes, else its number. */
export function useClassName(classes: number, classNames: readonly string[] | null): (k: number) => string {
  const t = useT();
  return (k) => {
    const name = classNames?.[k];
    // NOTE: the engine names MNIST's "is it a 3?" classes "not 3" and "3"; the first in the UI's language.
    const not = name === undefined ? null : /^not (\d)$/.exec(name);
    if (not) return t('output.notDigit', { digit: not[1]! });
    return name ?? (classes === 2 ? (k === 1 ? t('output.yes') : t('output.no')) : String(k));
  };
}

/** Test images with the predicted class under each; a wrong one is framed red with its true class. */
export function DigitGrid({ view, picked, onPick }: { view: Digits } & Picking) {
  const name = useClassName(view.classes, view.classNames);
  const t = useT();
  const legend = t('output.samplesLegend') + (onPick ? ` ${t('output.pickMaps')}` : '');
  return (
    // NOTE: the legend is the grid's tooltip: a caption line would push the loss chart off a 720 px screen.
    <figure className="ng-image-grid" title={legend}>
      <div className="ng-digits" data-testid="digit-grid">
        {Array.from(view.labels, (label, i) => (
          <Sample
            key={i}
            view={view}
            index={i}
            predicted={name(view.predicted[i]!)}
            truth={view.predicted[i] === label ? null : name(label)}
            picked={picked === i}
            onPick={onPick}
          />
        ))}
      </div>
    </figure>
  );
}

function Sample({
  view,
  index,
  predicted,
  truth,
  picked,
  onPick,
}: {
  view: Digits;
  index: number;
  predicted: string;
  truth: string | null;
  picked: boolean;
  onPick: Picking['onPick'];
}) {
  const { height: h, width: w } = view;
  const draw = useCallback(
    (ctx: CanvasRenderingContext2D) => drawPixels(ctx, view.images, index, view, view.invert),
    [view, index],
  );
  const t = useT();
  const wrong = truth !== null;
  const image = (
    <Canvas2D
      width={w}
      height={h}
      draw={draw}
      label={t('output.digit', { caption: predicted })}
      className={w > THUMB_PX || h > THUMB_PX ? 'ng-thumb' : undefined}
    />
  );
  return (
    <figure
      className={`${wrong ? 'wrong' : ''}${picked ? ' picked' : ''}`}
      title={wrong ? t('output.wrongAs', { predicted, truth }) : t('output.rightAs', { predicted })}
    >
      {onPick ? (
        <button
          type="button"
          className="ng-pick"
          data-testid="pick-sample"
          aria-pressed={picked}
          onClick={() => onPick(index)}
        >
          {image}
        </button>
      ) : (
        image
      )}
      <figcaption>
        {predicted}
        {wrong && <span className="ng-truth">({truth})</span>}
      </figcaption>
    </figure>
  );
}

export function ConfusionMatrix({
  counts,
  classes,
  classNames,
  rev,
  at,
}: {
  counts: Int32Array;
  classes: number;
  classNames: readonly string[] | null;
  /** The run and step of the weights it counts (data-rev). */
  rev: string | undefined;
  /** Where the run stood when it was counted; null when unknown. */
  at: { epoch: number; batch: number } | null;
}) {
  let max = 0;
  for (const v of counts) max = Math.max(max, v);
  const t = useT();
  const name = useClassName(classes, classNames);
  const names = Array.from({ length: classes }, (_, i) => name(i));
  const { correct, total } = confusionCorrect(counts, classes);
  return (
    <table className="ng-confusion" data-testid="confusion-matrix" data-rev={rev}>
      <caption>
        {t('output.confusion')}
        <span className="ng-confusion-at" data-testid="confusion-at">
          {t(at ? 'output.confusionAt' : 'output.confusionCount', {
            epoch: at?.epoch ?? 0,
            batch: at?.batch ?? 0,
            correct,
            total,
            percent: total > 0 ? `${((100 * correct) / total).toFixed(1)}%` : '–',
          })}
        </span>
      </caption>
      <thead>
        <tr>
          <th />
          {names.map((n, i) => (
            <th key={i}>{n}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {names.map((rowName, r) => (
          <tr key={r}>
            <th>{rowName}</th>
            {names.map((_, c) => {
              const v = counts[r * classes + c]!;
              const alpha = max > 0 ? v / max : 0;
              return (
                <td
                  key={c}
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
