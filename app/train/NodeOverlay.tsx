// What training shows inside each node: compact numbers and tiny charts, live.
import { memo } from 'react';
import { useApp, useRev, useT, useTraining } from '../appContext.tsx';
import { shownLoss, shownNodes, viewRev } from '../editor/trainingViews.ts';
import { GradcheckBadge } from '../learn/GradcheckBadge.tsx';
import { HealthBadges } from './HealthBadges.tsx';
import { NodeMaps } from './NodeMaps.tsx';
import { Histogram, Sparkline, WeightHeatmap } from './viz/small.tsx';

export const fmt = (v: number | null | undefined) =>
  v === null || v === undefined || !Number.isFinite(v)
    ? '—'
    : Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0)
      ? v.toExponential(2)
      : v.toPrecision(3);

export const NodeTrainingOverlay = memo(({ nodeId }: { nodeId: string }) => {
  const t = useT();
  const { editor } = useApp();
  const stats = useTraining((s) => shownNodes(s).get(nodeId));
  const trail = useTraining((s) => s.gradTrail.get(nodeId));
  // NOTE: only a node without statistics (the Loss) follows the loss: the others do not redraw with every report.
  const loss = useTraining((s) => (shownNodes(s).has(nodeId) ? null : shownLoss(s)));
  const isLoss = useTraining((s) => s.progress !== null && !shownNodes(s).has(nodeId));
  const statsRev = useRev('stats');
  const progressRev = useTraining((s) => (shownNodes(s).has(nodeId) ? undefined : viewRev(s, 'progress')));
  if (!stats) {
    // NOTE: the box keeps room for what training shows; until then it says so.
    return isLoss && loss !== null ? (
      <div className="ng-overlay" data-testid={`overlay-${nodeId}`}>
        {/* NOTE: display: contents; the loss node's number is the training bar's, of the same step. */}
        <div className="ng-node-stats" data-testid="node-stats" data-rev={progressRev}>
          {t('overlay.loss')} <b data-testid="node-loss">{fmt(loss)}</b>
          <HealthBadges nodeId={nodeId} />
        </div>
      </div>
    ) : (
      <div className="ng-overlay ng-overlay-empty">{t('overlay.empty')}</div>
    );
  }
  return (
    <div className="ng-overlay" data-testid={`overlay-${nodeId}`}>
      <div className="ng-node-stats" data-testid="node-stats" data-rev={statsRev}>
        <div title={t('overlay.outHint')}>
          {t('overlay.out')} {fmt(stats.mean)} ± {fmt(stats.std)}
          {stats.dead !== undefined && (
            <span className={stats.dead > 0.5 ? 'ng-warn' : ''}>
              {' '}
              · {t('overlay.dead', { pct: (stats.dead * 100).toFixed(0) })}
            </span>
          )}
        </div>
        <div className="ng-minis">
          <Histogram bins={stats.histogram} min={stats.min} max={stats.max} />
          {stats.gradNorm !== null && trail && <Sparkline values={trail} />}
        </div>
        {(stats.gradNorm !== null || stats.weightNorm !== undefined) && (
          <div title={t(stats.weightNorm !== undefined ? 'overlay.weightsHint' : 'overlay.gradHint')}>
            {stats.gradNorm !== null && (
              <>
                ‖∇‖ <span data-testid="grad-norm">{fmt(stats.gradNorm)}</span>
              </>
            )}
            {stats.weightNorm !== undefined && (
              <>
                {' '}
                · ‖W‖ {fmt(stats.weightNorm)} · {t('overlay.update')} {fmt(stats.updateRatio)}
              </>
            )}
          </div>
        )}
        <HealthBadges nodeId={nodeId} />
        <GradcheckBadge nodeId={nodeId} />
        <NodeMaps nodeId={nodeId} />
        {stats.weights && (
          <WeightHeatmap
            data={stats.weights.data}
            rows={stats.weights.rows}
            cols={stats.weights.cols}
            action={
              <button
                type="button"
                className="nodrag ng-units-open"
                data-testid="units-open"
                title={t('units.openHint')}
                onClick={() => editor.showNodeView(nodeId)}
              >
                {t('units.open')} ▸
              </button>
            }
          />
        )}
      </div>
    </div>
  );
});
