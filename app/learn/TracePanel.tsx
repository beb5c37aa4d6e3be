// Step-through backprop on one sample, docked under the canvas: forward node by node in topological
// order, then backward in reverse; → next, ← previous, Esc exits. The canvas highlights the node.
// "Predict first" (on during a lesson) hides each backward value until the learner has predicted it.
import { useReactFlow } from '@xyflow/react';
import { useEffect, useState } from 'react';
import { problemFormat } from '../../engine/index.ts';
import { useApp, useEditor, useLessons, useRev, useT, useTraining } from '../appContext.tsx';
import { Dock } from './Dock.tsx';
import { Prediction, PredictionResult } from './Prediction.tsx';
import { predictionTarget } from './prediction.ts';
import { TraceStepView } from './TraceStepView.tsx';

/** Keys typed into fields are theirs, not the trace's. */
const typing = (e: KeyboardEvent) =>
  e.target instanceof HTMLElement && (e.target.isContentEditable || /^(INPUT|SELECT|TEXTAREA)$/.test(e.target.tagName));

export function TracePanel() {
  const { training, lessons } = useApp();
  const t = useT();
  const inLesson = useLessons((s) => s.active !== null);
  const [predictFirst, setPredictFirst] = useState<boolean | null>(null);
  const predicting = predictFirst ?? inLesson;
  /** Per sample, epoch and step: hit, missed, or shown without a prediction (null). */
  const [answers, setAnswers] = useState<ReadonlyMap<string, boolean | null>>(new Map());
  const lang = useEditor((s) => s.lang);
  const trace = useTraining((s) => s.trace);
  const rev = useRev('trace');
  const index = trace && trace !== 'loading' ? trace.index : 0;
  const open = trace !== null;
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (typing(e) || e.ctrlKey || e.metaKey || e.altKey) return;
      else if (e.key === 'ArrowRight') {
        training.traceMove(index + 1);
        e.preventDefault();
      } else if (e.key === 'ArrowLeft') {
        training.traceMove(index - 1);
        e.preventDefault();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [open, index, training]);
  useFollow(trace && trace !== 'loading' ? (trace.steps[trace.index]?.nodeId ?? null) : null);
  if (!trace) return null;
  const onClose = () => training.closeTrace();
  const exit = (
    <button type="button" data-testid="trace-exit" onClick={onClose} title={t('trace.exitHint')}>
      {t('trace.exit')}
    </button>
  );
  if (trace === 'loading')
    return (
      <Dock
        title={t('trace.title')}
        testId="trace-panel"
        className="ng-trace"
        busy={t('trace.loading')}
        onClose={onClose}
        controls={exit}
      />
    );
  const step = trace.steps[trace.index]!;
  const forward = trace.steps.filter((s) => s.phase === 'forward').length;
  const key = `${trace.sample}:${trace.epoch}:${trace.index}`;
  const target = predicting ? predictionTarget(step) : null;
  const answer = answers.get(key);
  const conceal =
    target && answer === undefined ? (
      <Prediction
        key={key}
        target={target}
        onAnswer={(hit) => {
          setAnswers(new Map(answers).set(key, hit));
          if (hit !== null) lessons.predicted(hit);
        }}
      />
    ) : undefined;
  return (
    <Dock
      title={t('trace.title')}
      testId="trace-panel"
      className="ng-trace"
      onClose={onClose}
      controls={
        <>
          <label className="ng-trace-sample" title={t('trace.sampleHint')}>
            {t('trace.sample')}{' '}
            <input
              type="number"
              min={0}
              max={trace.samples - 1}
              value={trace.sample}
              data-testid="trace-sample"
              onChange={(e) => {
                const v = Number(e.target.value);
                if (Number.isInteger(v) && v >= 0 && v < trace.samples) training.trace(v);
              }}
            />{' '}
            / {trace.samples}
          </label>
          <span className={`ng-trace-phase ${step.phase}`}>
            {t(step.phase === 'forward' ? 'trace.forward' : 'trace.backward')}{' '}
            {step.phase === 'forward' ? trace.index + 1 : trace.index + 1 - forward}/
            {step.phase === 'forward' ? forward : trace.steps.length - forward}
          </span>
          <b className="ng-trace-node">{problemFormat(lang).node(step.nodeId, step.type)}</b>
          <label className="ng-trace-predict" title={t('predict.toggleHint')}>
            <input
              type="checkbox"
              data-testid="trace-predict"
              checked={predicting}
              onChange={(e) => setPredictFirst(e.target.checked)}
            />{' '}
            {t('predict.title')}
          </label>
          <span className="ng-trace-nav">
            <button
              type="button"
              data-testid="trace-prev"
              disabled={trace.index === 0}
              onClick={() => training.traceMove(trace.index - 1)}
              title={t('trace.prevHint')}
            >
              ← {t('trace.prev')}
            </button>
            <button
              type="button"
              className="primary"
              data-testid="trace-next"
              disabled={trace.index === trace.steps.length - 1}
              onClick={() => training.traceMove(trace.index + 1)}
              title={t('trace.nextHint')}
            >
              {t('trace.next')} →
            </button>
            {exit}
          </span>
        </>
      }
    >
      <div
        className="ng-dock-body ng-trace-body"
        data-testid="trace-step"
        data-rev={rev}
        data-node-id={step.nodeId}
        data-phase={step.phase}
      >
        <div data-testid="trace-values">
          {target && answer != null && <PredictionResult hit={answer} value={target.value} />}
          <TraceStepView step={step} conceal={conceal} />
        </div>
      </div>
    </Dock>
  );
}

/** Pans the canvas (same zoom) so the traced node is in view when a step lands outside it. */
function useFollow(nodeId: string | null): void {
  const flow = useReactFlow();
  useEffect(() => {
    if (!nodeId) return;
    const node = flow.getInternalNode(nodeId);
    const pane = document.querySelector('.react-flow');
    if (!node || !pane) return;
    const { x, y } = node.internals.positionAbsolute;
    const w = node.measured.width ?? 200;
    const h = node.measured.height ?? 100;
    const { x: tx, y: ty, zoom } = flow.getViewport();
    const [left, top] = [x * zoom + tx, y * zoom + ty];
    const [right, bottom] = [left + w * zoom, top + h * zoom];
    const inView = left >= 0 && top >= 0 && right <= pane.clientWidth && bottom <= pane.clientHeight;
    if (!inView) void flow.setCenter(x + w / 2, y + h / 2, { zoom, duration: 250 });
  }, [nodeId, flow]);
}
