// The training toolbar, the output panel and the wiring of live statistics into nodes and edges.
import { useEffect, useState } from 'react';
import type { GraphEdge } from '../../engine/index.ts';
import { setEdgeAppearance } from '../edgeAppearance.ts';
import { registerNodeOverlay } from '../nodes/overlayRegistry.ts';
import { commands } from '../store/commands.ts';
import { useEditor } from '../store/documentStore.ts';
import { training } from './client.ts';
import { edgeLook, LEGEND_STOPS, magnitudeLevel } from './edgeStyle.ts';
import { fmt, NodeTrainingOverlay } from './NodeOverlay.tsx';
import { type TrainingState, useTraining } from './store.ts';
import { LossChart } from './viz/LossChart.tsx';
import { ConfusionMatrix, DecisionSurface, DigitGrid, FunctionFit } from './viz/outputs.tsx';

registerNodeOverlay(NodeTrainingOverlay);

/** Edges follow the gradient (or activation) magnitude leaving their source node. */
function useEdgeFlow(): void {
  const nodes = useTraining((s) => s.nodes);
  const view = useTraining((s) => s.view);
  useEffect(() => {
    if (Object.keys(nodes).length === 0) {
      setEdgeAppearance(null);
      return;
    }
    setEdgeAppearance((edge: GraphEdge) => {
      if (edge.sourceHandle === 'y') return null;
      const s = nodes[edge.source];
      if (view === 'activations') return s ? edgeLook(Math.hypot(s.mean, s.std)) : null;
      // The input has no gradient of its own: show what reaches its consumer's output.
      const g = s?.gradRms ?? nodes[edge.target]?.gradRms ?? null;
      return edgeLook(g);
    });
  }, [nodes, view]);
}

const STATUS_TEXT: Record<TrainingState['status'], string> = {
  idle: 'Ready to train',
  loading: 'Preparing data…',
  ready: 'Initialised',
  running: 'Training',
  paused: 'Paused',
  done: 'Done',
  error: 'Cannot train',
  nonFinite: 'Stopped: NaN/Infinity',
};

export function TrainingBar() {
  useEdgeFlow();
  const status = useTraining((s) => s.status);
  const progress = useTraining((s) => s.progress);
  const kernels = useTraining((s) => s.kernels);
  const view = useTraining((s) => s.view);
  const epochs = useEditor((s) => s.doc.training.epochs);
  const running = status === 'running';
  const busy = status === 'loading';
  const epochFloat =
    progress && progress.batchesPerEpoch > 0 ? progress.epoch + progress.batch / progress.batchesPerEpoch : 0;
  const total = progress?.epochsTotal ?? epochs;
  const samplesPerEpoch =
    progress && progress.batchesPerEpoch > 0 && progress.epoch > 0 ? progress.samples / epochFloat : 0;
  const eta =
    running && progress && progress.samplesPerSecond > 0 && samplesPerEpoch > 0
      ? ((total - epochFloat) * samplesPerEpoch) / progress.samplesPerSecond
      : null;
  return (
    <div className="ng-trainbar" role="toolbar" aria-label="Training">
      {running ? (
        <button
          type="button"
          className="primary"
          data-testid="train-pause"
          onClick={() => training.pause()}
          title="Pause training"
        >
          ❚❚ Pause
        </button>
      ) : (
        <button
          type="button"
          className="primary"
          data-testid="train-start"
          disabled={busy}
          onClick={() => training.start()}
          title="Train in the background worker"
        >
          ▶ Train
        </button>
      )}
      <button
        type="button"
        data-testid="train-step"
        disabled={busy || running}
        onClick={() => training.step()}
        title="Train on one mini-batch"
      >
        Step
      </button>
      <button
        type="button"
        data-testid="train-epoch"
        disabled={busy || running}
        onClick={() => training.epoch()}
        title="Train one epoch"
      >
        Epoch
      </button>
      <button
        type="button"
        data-testid="train-reset"
        disabled={busy}
        onClick={() => training.reset()}
        title="Back to freshly initialised parameters (same seed)"
      >
        Reset
      </button>
      <span className="ng-sep" />
      <span className="ng-metric">
        epoch <b data-testid="metric-epoch">{progress?.epoch ?? 0}</b> / {total}
      </span>
      <span className="ng-metric" title="mini-batches done in this epoch">
        batch <b data-testid="metric-batch">{progress?.batch ?? 0}</b> / {progress?.batchesPerEpoch ?? '—'}
      </span>
      <span className="ng-metric">
        loss{' '}
        <b data-testid="metric-loss">
          {progress && Number.isFinite(progress.loss) ? progress.loss.toPrecision(4) : '—'}
        </b>
      </span>
      <span
        className="ng-metric"
        data-testid="metric-speed"
        title={kernels ? `Matrix products on the ${kernels} kernels` : undefined}
      >
        {progress?.samplesPerSecond ? `${Math.round(progress.samplesPerSecond).toLocaleString('en-US')} samples/s` : ''}
      </span>
      {eta !== null && (
        <span className="ng-metric">ETA {eta < 60 ? `${Math.ceil(eta)} s` : `${Math.ceil(eta / 60)} min`}</span>
      )}
      <progress
        className="ng-progress"
        max={1}
        value={total > 0 ? Math.min(1, epochFloat / total) : 0}
        aria-label="training progress"
      />
      <span className={`ng-status-pill ${status}`} data-testid="train-status">
        {STATUS_TEXT[status]}
      </span>
      <span className="ng-sep" />
      <label className="ng-toggle" title="What edges show">
        <select
          data-testid="flow-view"
          value={view}
          onChange={(e) => useTraining.setState({ view: e.target.value as TrainingState['view'] })}
        >
          <option value="gradients">Edges: gradients</option>
          <option value="activations">Edges: activations</option>
        </select>
      </label>
    </div>
  );
}

function EdgeLegend() {
  return (
    <div className="ng-legend" title="Edge thickness and colour: RMS magnitude on a log scale">
      {LEGEND_STOPS.map((m) => {
        const look = edgeLook(m)!;
        return (
          <span key={m}>
            <svg width="26" height="10" aria-hidden="true">
              <line
                x1="0"
                y1="5"
                x2="26"
                y2="5"
                style={{ stroke: look.style.stroke as string, strokeWidth: 1 + 7 * magnitudeLevel(m) }}
              />
            </svg>
            {m.toExponential(0)}
          </span>
        );
      })}
    </div>
  );
}

export function TrainingPanel() {
  const status = useTraining((s) => s.status);
  const error = useTraining((s) => s.error);
  const nonFinite = useTraining((s) => s.nonFinite);
  const output = useTraining((s) => s.output);
  const confusion = useTraining((s) => s.confusion);
  const last = useTraining((s) => s.history.at(-1));
  const hasData = useTraining((s) => s.progress !== null);
  const lr = useEditor((s) => s.doc.training.optimizer.learningRate);
  const [log, setLog] = useState(true);
  return (
    <section className="ng-panel" aria-label="Training results">
      {error && (
        <p className="ng-error" role="alert" data-testid="train-error">
          {error.message}
        </p>
      )}
      {status === 'nonFinite' && nonFinite && (
        <div className="ng-nan" role="alert" data-testid="train-nonfinite">
          <b>Training stopped at the first NaN/Infinity:</b> {nonFinite.message}
          <button type="button" onClick={() => useEditor.getState().focusNode(nonFinite.nodeId)}>
            Show node '{nonFinite.nodeId}'
          </button>
          <button
            type="button"
            onClick={() =>
              useEditor
                .getState()
                .run(
                  commands.updateTraining(
                    (t) => void Object.assign(t.optimizer, { learningRate: lr / 10 }),
                    'Lower learning rate',
                  ),
                )
            }
          >
            Lower learning rate to {fmt(lr / 10)}
          </button>
          <button type="button" onClick={() => training.reset()}>
            Reset
          </button>
        </div>
      )}
      {!hasData && !error ? (
        <p className="ng-muted">
          Press Train to watch the network learn: loss, activations and gradients appear on every node.
        </p>
      ) : (
        <div className="ng-results">
          <div>
            <div className="ng-row">
              <h2>Loss</h2>
              <label className="ng-check">
                <input type="checkbox" checked={log} onChange={(e) => setLog(e.target.checked)} /> log scale
              </label>
              {last && (
                <span className="ng-muted" data-testid="epoch-summary">
                  epoch {last.epoch}: test loss {fmt(last.testLoss)}
                  {last.testAccuracy !== undefined && (
                    <>
                      , test accuracy <b data-testid="metric-test-accuracy">{(last.testAccuracy * 100).toFixed(1)}%</b>
                    </>
                  )}
                </span>
              )}
            </div>
            <LossChart log={log} />
            <EdgeLegend />
          </div>
          {output && (
            <div>
              <h2>Output</h2>
              {output.kind === 'surface' && <DecisionSurface view={output} />}
              {output.kind === 'curve' && <FunctionFit view={output} />}
              {output.kind === 'digits' && (
                <div className="ng-row ng-top">
                  <DigitGrid view={output} />
                  {confusion && <ConfusionMatrix counts={confusion} classes={output.classes} />}
                </div>
              )}
            </div>
          )}
        </div>
      )}
    </section>
  );
}
