// The training toolbar, the output panel and the wiring of live statistics into nodes and edges.
import { useCallback, useRef, useState } from 'react';
import { useApp, useEditor, useRev, useT } from '../appContext.tsx';
import type { EdgeView } from '../editor/editorState.ts';
import type { TrainingStatus } from '../editor/trainingState.ts';
import {
  shownConfusion,
  shownConfusionAt,
  shownMaps,
  shownOutput,
  shownEpoch,
  shownLoss,
  shownSummary,
} from '../editor/trainingViews.ts';
import type { MessageKey } from '../i18n/catalogue.ts';
import { useTraining } from '../appContext.tsx';
import { edgeLook, LEGEND_STOPS, magnitudeLevel } from './edgeStyle.ts';
import { DivergedBanner } from './DivergedBanner.tsx';
import { fmt } from './NodeOverlay.tsx';
import { SpeedControl } from './SpeedControl.tsx';
import { TimelineBar } from './TimelineBar.tsx';
import { LossChart } from './viz/LossChart.tsx';
import { Output3DPanel, Output3DToggle } from './viz/Output3DPanel.tsx';
import { OutputView } from './viz/OutputView.tsx';
import { useWidth } from './viz/useWidth.ts';

const STATUS_KEY: Readonly<Record<TrainingStatus, MessageKey>> = {
  idle: 'status.idle',
  loading: 'status.loading',
  ready: 'status.ready',
  running: 'status.running',
  paused: 'status.paused',
  done: 'status.done',
  error: 'status.error',
  diverged: 'status.diverged',
};

export function TrainingBar() {
  const { training } = useApp();
  const t = useT();
  const status = useTraining((s) => s.status);
  const progress = useTraining((s) => s.progress);
  const loss = useTraining(shownLoss);
  const epoch = useTraining(shownEpoch);
  const scrubbed = useTraining((s) => s.scrub !== null);
  const rev = useRev('progress');
  const kernels = useTraining((s) => s.kernels);
  const lang = useEditor((s) => s.lang);
  const epochs = useEditor((s) => s.doc.training.epochs);
  const locale = lang === 'ja' ? 'ja-JP' : 'en-US';
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
  const stepShare = running && progress && progress.stepShare > 0 ? progress.stepShare : null;
  const speedTitle =
    [
      kernels ? t('train.kernels', { kernels }) : '',
      stepShare !== null ? t('train.stepShare', { n: Math.round(stepShare * 100) }) : '',
    ]
      .filter(Boolean)
      .join('\n') || undefined;
  return (
    <div className="ng-trainbar" role="toolbar" aria-label={t('train.label')}>
      {running ? (
        <button
          type="button"
          className="primary"
          data-testid="train-pause"
          onClick={() => training.pause()}
          title={t('train.pauseHint')}
        >
          ❚❚ {t('train.pause')}
        </button>
      ) : (
        <button
          type="button"
          className="primary"
          data-testid="train-start"
          disabled={busy}
          onClick={() => training.start()}
          title={t('train.startHint')}
        >
          ▶ {t('train.start')}
        </button>
      )}
      <button
        type="button"
        data-testid="train-step"
        disabled={busy || running}
        onClick={() => training.step()}
        title={t('train.stepHint')}
      >
        {t('train.step')}
      </button>
      <button
        type="button"
        data-testid="train-epoch"
        disabled={busy || running}
        onClick={() => training.epoch()}
        title={t('train.epochHint')}
      >
        {t('train.epoch')}
      </button>
      <button
        type="button"
        data-testid="train-reset"
        disabled={busy}
        onClick={() => training.reset()}
        title={t('train.resetHint')}
      >
        {t('train.reset')}
      </button>
      <SpeedControl />
      <span className="ng-sep" />
      <span className="ng-metric">
        {t('train.epochLabel')}{' '}
        <b data-testid="metric-epoch" data-rev={rev}>
          {epoch ?? 0}
        </b>{' '}
        / {total}
      </span>
      <span className="ng-metric" title={t('train.batchHint')}>
        {t('train.batchLabel')} <b data-testid="metric-batch">{scrubbed ? 0 : (progress?.batch ?? 0)}</b> /{' '}
        {progress?.batchesPerEpoch ?? '—'}
      </span>
      <span className="ng-metric">
        {t('train.lossLabel')}{' '}
        <b data-testid="metric-loss" data-rev={rev}>
          {loss !== null && Number.isFinite(loss) ? loss.toPrecision(4) : '—'}
        </b>
      </span>
      <span
        className="ng-metric"
        data-testid="metric-speed"
        data-step-share={running && progress ? progress.stepShare.toFixed(3) : undefined}
        title={speedTitle}
      >
        {progress?.samplesPerSecond
          ? t('train.speed', { n: Math.round(progress.samplesPerSecond).toLocaleString(locale) })
          : ''}
      </span>
      {eta !== null && (
        <span className="ng-metric">
          {eta < 60 ? t('train.etaSeconds', { n: Math.ceil(eta) }) : t('train.etaMinutes', { n: Math.ceil(eta / 60) })}
        </span>
      )}
      <progress
        className="ng-progress"
        max={1}
        value={total > 0 ? Math.min(1, epochFloat / total) : 0}
        aria-label={t('train.progress')}
      />
      <span className={`ng-status-pill ${status}`} data-testid="train-status">
        {status === 'ready' && (progress?.epoch ?? 0) > 0
          ? t('status.trained', { n: progress?.epoch ?? 0 })
          : t(STATUS_KEY[status])}
      </span>
    </div>
  );
}

/** What the edges show (gradients or activations), with its legend right beside it (on the canvas). */
export function EdgeControls() {
  const { editor } = useApp();
  const t = useT();
  const view = useEditor((s) => s.edgeView);
  return (
    <div className="ng-edge-controls">
      <label className="ng-toggle" title={t('train.edgesHint')}>
        <select data-testid="flow-view" value={view} onChange={(e) => editor.setEdgeView(e.target.value as EdgeView)}>
          <option value="gradients">{t('train.edgesGradients')}</option>
          <option value="activations">{t('train.edgesActivations')}</option>
        </select>
      </label>
      <EdgeLegend />
    </div>
  );
}

function EdgeLegend() {
  const t = useT();
  return (
    <div className="ng-legend" title={t('train.legendHint')}>
      {LEGEND_STOPS.map((m) => {
        const look = edgeLook(m)!;
        return (
          <span key={m}>
            <svg width="16" height="10" aria-hidden="true">
              <line
                x1="0"
                y1="5"
                x2="16"
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

/** An epoch as the chart's text names it: whole at an epoch's end, else to two decimals (paused mid-epoch). */
const epochText = (epoch: number) => (Number.isInteger(epoch) ? String(epoch) : epoch.toFixed(2));

/** The loss chart's height: with the 300 px output view it fits a 720 px high window. */
const CHART_HEIGHT = 140;

export function TrainingPanel() {
  const t = useT();
  const { training } = useApp();
  // NOTE: while a sample is traced, clicking a point of the output view traces that one.
  const traced = useTraining((s) => (s.trace && s.trace !== 'loading' ? s.trace.sample : null));
  // NOTE: test images pick the feature maps the convolution nodes show (when the graph has any).
  const mapsSample = useTraining((s) => shownMaps(s)?.sample ?? null);
  const error = useTraining((s) => s.error);
  const output = useTraining(shownOutput);
  const confusion = useTraining(shownConfusion);
  const outputRev = useRev('output');
  const confusionRev = useRev('confusion');
  // NOTE: numbers, not the object: a scrubbed state makes a new one on every call (a selector must be stable).
  const confusionEpoch = useTraining((s) => shownConfusionAt(s)?.epoch ?? null);
  const confusionBatch = useTraining((s) => shownConfusionAt(s)?.batch ?? 0);
  const hasData = useTraining((s) => s.progress !== null || s.history.length > 0);
  const [measure, width] = useWidth();
  // The 3-D panel stays open across runs and graphs; it shows whenever the output is a surface.
  const [open3d, setOpen3d] = useState(false);
  const close3d = useCallback(() => setOpen3d(false), []);
  const outputBox = useRef<HTMLDivElement>(null);
  // NOTE: the output view takes the column's width, at least 300 px (the column's minimum allows it).
  const plotSize = Math.max(300, Math.min(440, width - 40));
  return (
    <section className="ng-panel" aria-label={t('layout.results')}>
      {error && (
        <p className="ng-error" role="alert" data-testid="train-error">
          {t(error.key as MessageKey, error.params)}
        </p>
      )}
      <DivergedBanner />
      {!hasData && !error ? (
        <p className="ng-muted">{t('train.intro')}</p>
      ) : (
        <div className="ng-results" ref={measure}>
          {output && (
            <div ref={outputBox}>
              <div className="ng-row">
                <h2>{t('chart.output')}</h2>
                {output.kind === 'surface' && <Output3DToggle open={open3d} onToggle={() => setOpen3d((o) => !o)} />}
              </div>
              <OutputView
                view={output}
                rev={outputRev}
                confusion={confusion}
                confusionRev={confusionRev}
                confusionAt={confusionEpoch === null ? null : { epoch: confusionEpoch, batch: confusionBatch }}
                size={plotSize}
                picked={output.kind === 'digits' ? mapsSample : traced}
                onPick={
                  output.kind === 'digits'
                    ? mapsSample === null
                      ? undefined
                      : (i) => training.showMapsOf(i)
                    : traced === null
                      ? undefined
                      : (i) => training.trace(i)
                }
              />
              {open3d && output.kind === 'surface' && (
                <Output3DPanel view={output} rev={outputRev} anchor={outputBox} onClose={close3d} />
              )}
            </div>
          )}
          <LossSection width={width} />
        </div>
      )}
    </section>
  );
}

/**
 * The loss chart with its text and the timeline. NOTE: a component of its own: it follows every
 * progress report (its data-rev), and the output view above (24 images) must not redraw with it.
 */
function LossSection({ width }: { width: number }) {
  const t = useT();
  const summary = useTraining(shownSummary);
  const rev = useRev('chart');
  const [log, setLog] = useState(true);
  const task = useTraining((s) => s.task);
  const classification = task !== null && task !== 'regression';
  return (
    <div data-testid="chart-loss" data-rev={rev}>
      <div className="ng-row ng-wrap">
        <h2>{t('chart.loss')}</h2>
        <label className="ng-check">
          <input type="checkbox" checked={log} onChange={(e) => setLog(e.target.checked)} /> {t('chart.log')}
        </label>
        {summary && (
          <span className="ng-muted" data-testid="epoch-summary">
            {t('chart.summary', { epoch: epochText(summary.epoch), loss: fmt(summary.testLoss) })}
            {summary.testAccuracy !== undefined && (
              <>
                {t('chart.accuracy')}{' '}
                <b data-testid="metric-test-accuracy">{(summary.testAccuracy * 100).toFixed(1)}%</b>
              </>
            )}
          </span>
        )}
      </div>
      <LossChart log={log} width={Math.max(240, width)} height={CHART_HEIGHT} classification={classification} />
      <TimelineBar />
    </div>
  );
}
