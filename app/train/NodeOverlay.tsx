// What training shows inside each node: compact numbers and tiny charts, live.
import { memo } from 'react';
import { useTraining } from './store.ts';
import { Histogram, Sparkline, WeightHeatmap } from './viz/small.tsx';

export const fmt = (v: number | null | undefined) =>
  v === null || v === undefined || !Number.isFinite(v)
    ? '—'
    : Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0)
      ? v.toExponential(2)
      : v.toPrecision(3);

export const NodeTrainingOverlay = memo(({ nodeId }: { nodeId: string }) => {
  const stats = useTraining((s) => s.nodes[nodeId]);
  const trail = useTraining((s) => s.gradTrail[nodeId]);
  const loss = useTraining((s) => s.progress?.loss);
  const isLoss = useTraining((s) => s.progress !== null && !s.nodes[nodeId]);
  if (!stats) {
    return isLoss && loss !== undefined ? (
      <div className="ng-overlay" data-testid={`overlay-${nodeId}`}>
        loss <b data-testid="node-loss">{fmt(loss)}</b>
      </div>
    ) : null;
  }
  return (
    <div className="ng-overlay" data-testid={`overlay-${nodeId}`}>
      <div title="mean ± standard deviation of this node's output on a fixed batch">
        out {fmt(stats.mean)} ± {fmt(stats.std)}
        {stats.dead !== undefined && (
          <span className={stats.dead > 0.5 ? 'ng-warn' : ''}> · dead {(stats.dead * 100).toFixed(0)}%</span>
        )}
      </div>
      <Histogram bins={stats.histogram} />
      {stats.gradNorm !== null && (
        <>
          <div title="L2 norm of dLoss/d(output)">
            ‖∇‖ <span data-testid="grad-norm">{fmt(stats.gradNorm)}</span>
          </div>
          {trail && <Sparkline values={trail} />}
        </>
      )}
      {stats.weightNorm !== undefined && (
        <>
          <div title="norms of the weights and biases; lr·‖∇W‖/‖W‖ is the relative size of one update (≈1e-3 is healthy)">
            ‖W‖ {fmt(stats.weightNorm)} · ‖b‖ {fmt(stats.biasNorm)} · upd {fmt(stats.updateRatio)}
          </div>
          {stats.weights && (
            <WeightHeatmap data={stats.weights.data} rows={stats.weights.rows} cols={stats.weights.cols} />
          )}
        </>
      )}
    </div>
  );
});
