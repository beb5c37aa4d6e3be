import { useT } from '../appContext.tsx';
import { DecisionSurface, FunctionFit } from '../train/viz/outputs.tsx';
import type { VariantRun } from '../editor/comparePool.ts';

const SMALL = 104;

/** One variant as a small multiple: its output view, its final test loss (and accuracy); a click opens it. */
export function VariantCard({
  run,
  colour,
  onOpen,
}: {
  run: VariantRun;
  colour: string;
  onOpen: (run: VariantRun) => void;
}) {
  const t = useT();
  const last = run.history[run.history.length - 1];
  const openable = run.weights !== null;
  const status =
    run.status === 'done'
      ? null
      : run.status === 'running'
        ? t('compare.status.running', { epoch: run.epoch })
        : t(`compare.status.${run.status}`);
  return (
    <button
      type="button"
      className="ng-variant"
      data-testid="compare-variant"
      data-settings={run.key}
      data-status={run.status}
      disabled={!openable}
      title={run.error ?? t('compare.openHint')}
      onClick={() => onOpen(run)}
    >
      <span className="ng-variant-label">
        <i className="ng-swatch ng-line" style={{ background: colour }} />
        <span>
          {run.parts.map((part) => (
            <span key={part}>{part}</span>
          ))}
        </span>
      </span>
      <span className="ng-variant-view">
        {run.view?.kind === 'surface' && <DecisionSurface view={run.view} size={SMALL} />}
        {run.view?.kind === 'curve' && <FunctionFit view={run.view} width={SMALL + 28} height={SMALL} />}
      </span>
      <span className="ng-variant-metrics">
        {last && <span>{t('compare.testLoss', { loss: last.testLoss.toPrecision(3) })}</span>}
        {last?.testAccuracy !== undefined && (
          <span>{t('compare.testAcc', { acc: `${(last.testAccuracy * 100).toFixed(1)}%` })}</span>
        )}
        {status && (
          <span className={run.status === 'failed' || run.status === 'diverged' ? 'ng-error' : ''}>{status}</span>
        )}
      </span>
    </button>
  );
}
