// The output view, the centrepiece while training: the decision surface (2-D inputs) or the fitted
// curve (1-D) with axes and a titled legend, or sample test images (digits, photos) with the confusion matrix.
import { useT } from '../../appContext.tsx';
import type { OutputView as View } from '../../worker/protocol.ts';
import { ConfusionMatrix, DecisionSurface, DigitGrid, FunctionFit, type Picking } from './outputs.tsx';

const tick = (v: number) => String(Number(v.toPrecision(3)));

/** `size` is the plot's side in CSS pixels (the panel decides it); `rev` and `confusionRev` name the weights shown. */
export function OutputView({
  view,
  rev,
  confusion,
  confusionRev,
  confusionAt = null,
  size,
  picked,
  onPick,
}: {
  view: View;
  rev: string | undefined;
  confusion: Int32Array | null;
  confusionRev: string | undefined;
  /** Where the run stood when the matrix was counted (it is recounted less often than the rest). */
  confusionAt?: { epoch: number; batch: number } | null;
  size: number;
} & Picking) {
  const t = useT();
  if (view.kind === 'digits')
    return (
      <div className="ng-output-view" data-testid="output-view" data-rev={rev}>
        <DigitGrid view={view} picked={picked} onPick={onPick} />
        {confusion && (
          <ConfusionMatrix
            counts={confusion}
            classes={view.classes}
            classNames={view.classNames}
            rev={confusionRev}
            at={confusionAt}
          />
        )}
      </div>
    );
  const [x0, x1, y0, y1] =
    view.kind === 'surface'
      ? [view.x0, view.x1, view.y0, view.y1]
      : [view.xs[0] ?? 0, view.xs[view.xs.length - 1] ?? 1, Number.NaN, Number.NaN];
  return (
    <div className="ng-output-view" data-testid="output-view" data-rev={rev}>
      <div className="ng-plot" style={{ width: size + 34 }}>
        <div className="ng-yaxis" style={{ height: size }}>
          {view.kind === 'surface' && (
            <>
              <span>{tick(y1)}</span>
              <span className="ng-axis-name">x₂</span>
              <span>{tick(y0)}</span>
            </>
          )}
        </div>
        {view.kind === 'surface' ? (
          <DecisionSurface view={view} size={size} picked={picked} onPick={onPick} />
        ) : (
          <FunctionFit view={view} width={size} height={Math.round(size * 0.75)} picked={picked} onPick={onPick} />
        )}
        <div className="ng-xaxis" style={{ width: size, marginLeft: 34 }}>
          <span>{tick(x0)}</span>
          <span className="ng-axis-name">{view.kind === 'surface' ? 'x₁' : 'x'}</span>
          <span>{tick(x1)}</span>
        </div>
      </div>
      <div className="ng-legend-box" data-testid="output-legend">
        <b>{t(view.kind === 'surface' ? 'output.legendSurface' : 'output.legendCurve')}</b>
        {view.kind === 'surface' ? (
          <>
            <span>
              <i className="ng-swatch" style={{ background: 'rgb(8,119,189)' }} /> {t('output.class1')}
            </span>
            <span>
              <i className="ng-swatch" style={{ background: 'rgb(245,147,34)' }} /> {t('output.class0')}
            </span>
            <span className="ng-gradient-bar" title={t('output.probability')}>
              0 <i /> 1
            </span>
          </>
        ) : (
          <>
            <span>
              <i className="ng-swatch ng-line" style={{ background: '#b0413e' }} /> {t('output.prediction')}
            </span>
            <span>
              <i className="ng-swatch" style={{ background: 'rgba(8,119,189,0.6)' }} /> {t('output.target')}
            </span>
          </>
        )}
      </div>
    </div>
  );
}
