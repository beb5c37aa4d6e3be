// The training state's reducer: the next state for a worker message (dropped when it is of another
// run) or one of the client's own events; never mutates its inputs. Progress feeds the loss chart
// (bounded to MAX_POINTS), statistics keep a short trail of gradient norms per node, and the
// confusion matrix keeps the step and the place in the run it was counted at.
import type { Evaluation, FromWorker, NodeStats, Progress } from '../worker/protocol.ts';
import { initialTrainingState, type TrainingEvent, type TrainingState } from './trainingState.ts';

export const MAX_POINTS = 4000;
const TRAIL = 60;

/** Keeps at most MAX_POINTS epochs for the chart, thinning old ones evenly and keeping the newest. */
export function boundHistory<T>(history: readonly T[]): readonly T[] {
  if (history.length <= MAX_POINTS) return history;
  const keepEvery = Math.ceil(history.length / (MAX_POINTS / 2));
  return history.filter((_, i) => i % keepEvery === 0 || i === history.length - 1);
}

function withProgress(s: TrainingState, p: Progress, step: number, evaluation: Evaluation | undefined): TrainingState {
  const x = p.batchesPerEpoch > 0 ? p.epoch + p.batch / p.batchesPerEpoch : 0;
  let lossX = s.lossX;
  let lossY = s.lossY;
  if (p.samples > 0 && Number.isFinite(p.loss) && (lossX.length === 0 || x > lossX[lossX.length - 1]!)) {
    lossX = [...lossX, x];
    lossY = [...lossY, p.loss];
    if (lossX.length > MAX_POINTS) {
      lossX = lossX.filter((_, i) => i % 2 === 0);
      lossY = lossY.filter((_, i) => i % 2 === 0);
    }
  }
  const status = p.running ? 'running' : s.status === 'running' ? 'paused' : s.status;
  // NOTE: a check or a trace of other weights than the ones now standing no longer describes them.
  const gradcheck = s.gradcheck && s.gradcheck !== 'running' && s.gradcheck.step !== step ? null : s.gradcheck;
  const trace = s.trace && s.trace !== 'loading' && s.trace.step !== step ? null : s.trace;
  return {
    ...s,
    progress: p,
    progressStep: step,
    // NOTE: a matrix counted at this very step (the final one comes before Done) is where this progress says.
    confusionAt: s.confusion && s.confusionStep === step ? { epoch: p.epoch, batch: p.batch } : s.confusionAt,
    evaluation: evaluation
      ? { ...evaluation, step, epoch: p.epoch + (p.batchesPerEpoch > 0 ? p.batch / p.batchesPerEpoch : 0) }
      : null,
    lossX,
    lossY,
    status,
    gradcheck,
    trace,
  };
}

function withStats(s: TrainingState, stats: readonly NodeStats[], step: number): TrainingState {
  const nodes = new Map<string, NodeStats>();
  const gradTrail = new Map(s.gradTrail);
  for (const n of stats) {
    const old = s.nodes.get(n.id);
    // NOTE: weights come a few times a second only; keep the last ones between.
    nodes.set(n.id, n.weights || !old?.weights ? n : { ...n, weights: old.weights });
    if (n.gradNorm !== null) gradTrail.set(n.id, [...(gradTrail.get(n.id) ?? []).slice(-(TRAIL - 1)), n.gradNorm]);
  }
  return { ...s, nodes, statsStep: step, gradTrail };
}

/** A worker message (stamped with its run), as opposed to the client's own events. */
const fromWorker = (m: TrainingEvent): m is FromWorker => 'runId' in m && 'step' in m;

/** The next state; never mutates its inputs. A worker message of another run changes nothing. */
export function trainingReducer(s: TrainingState, m: TrainingEvent): TrainingState {
  if (fromWorker(m) && m.runId !== s.runId) return s;
  switch (m.type) {
    case 'runStarted':
      return initialTrainingState(m.runId, m.pace ?? s.pace, s.threads);
    case 'branchStarted': {
      const keep = s.lossX.findIndex((x) => x > m.epoch);
      const cut = keep < 0 ? s.lossX.length : keep;
      // NOTE: what was measured on the old run's latest weights goes; the worker reports the branch's at once.
      return {
        ...initialTrainingState(m.runId, s.pace, s.threads),
        status: 'loading',
        task: s.task,
        kernels: s.kernels,
        initialLoss: s.initialLoss,
        history: s.history.filter((h) => h.epoch <= m.epoch),
        lossX: s.lossX.slice(0, cut),
        lossY: s.lossY.slice(0, cut),
        timeline: s.timeline,
      };
    }
    case 'paceChanged':
      return { ...s, pace: m.pace };
    case 'threadsChanged':
      return { ...s, threads: m.threads };
    case 'loading':
      return {
        ...initialTrainingState(s.runId, s.pace, s.threads),
        status: 'loading',
        gradcheck: s.gradcheck === 'running' ? 'running' : null,
        trace: s.trace === 'loading' ? 'loading' : null,
      };
    case 'running':
      return { ...s, status: 'running', error: null, scrub: null, trace: null, gradcheck: null };
    case 'paused':
      return s.status === 'running' ? { ...s, status: 'paused' } : s;
    case 'optimizerChanged':
      return s.status === 'diverged' ? { ...s, status: 'paused', diverged: null } : s;
    case 'failed':
      return {
        ...s,
        status: 'error',
        error: { key: m.key, params: m.params ?? {}, ...(m.nodeId ? { nodeId: m.nodeId } : {}) },
      };
    case 'workerLost':
      return { ...s, status: 'paused', error: { key: m.key, params: m.params } };
    case 'alive':
      return s;
    case 'ready':
      return {
        ...s,
        status: 'ready',
        task: m.task,
        initialLoss: m.initialLoss,
        progress: m.progress,
        progressStep: m.step,
        kernels: m.kernels,
        error: null,
      };
    case 'progress':
      return withProgress(s, m.progress, m.step, m.evaluation);
    case 'epochs':
      return { ...s, history: boundHistory([...s.history, ...m.metrics]) };
    case 'stats':
      return withStats(s, m.nodes, m.step);
    case 'output': {
      const confusion = m.view.kind === 'digits' ? m.view.confusion : null;
      return {
        ...s,
        output: m.view,
        outputStep: m.step,
        // NOTE: kept between the (rarer) outputs that recompute it, with the step it belongs to.
        confusion: confusion ?? (m.view.kind === 'digits' ? s.confusion : null),
        confusionStep: confusion ? m.step : s.confusionStep,
        // NOTE: progress comes before the output of the same look, so it names the step counted.
        confusionAt: confusion
          ? { epoch: s.progress?.epoch ?? 0, batch: s.progress?.batch ?? 0 }
          : m.view.kind === 'digits'
            ? s.confusionAt
            : null,
      };
    }
    case 'maps':
      return { ...s, maps: m.maps, mapsStep: m.step };
    case 'diverged':
      return { ...s, status: 'diverged', diverged: m.report };
    case 'error':
      return {
        ...s,
        status: 'error',
        error: { key: 'train.workerError', params: { message: m.message }, ...(m.nodeId ? { nodeId: m.nodeId } : {}) },
      };
    case 'done':
      // NOTE: with where the run ended: the final report (its evaluation of the whole split) comes after.
      return withProgress({ ...s, status: 'done' }, m.progress, m.step, undefined);
    case 'weights':
      return s;
    case 'timeline':
      return { ...s, timeline: { epochs: m.epochs, bytes: m.bytes } };
    case 'scrubView':
      return {
        ...s,
        gradcheck: null,
        trace: null,
        scrub: {
          epoch: m.epoch,
          step: m.step,
          nodes: new Map(m.nodes.map((n) => [n.id, n])),
          output: m.view,
          maps: m.maps,
          evaluation: { ...m.evaluation, step: m.step, epoch: m.epoch },
        },
      };
    case 'scrubEnded':
      return { ...s, scrub: null };
    case 'gradcheckStarted':
      return { ...s, gradcheck: 'running' };
    case 'gradcheckClosed':
      return { ...s, gradcheck: null };
    case 'traceLoading':
      return { ...s, trace: s.trace && s.trace !== 'loading' ? s.trace : 'loading' };
    case 'traceMoved':
      return s.trace && s.trace !== 'loading'
        ? { ...s, trace: { ...s.trace, index: Math.max(0, Math.min(s.trace.steps.length - 1, m.index)) } }
        : s;
    case 'traceClosed':
      return { ...s, trace: null };
    case 'trace': {
      // NOTE: another sample keeps the step the learner was at.
      const index = s.trace && s.trace !== 'loading' ? Math.min(s.trace.index, m.steps.length - 1) : 0;
      return {
        ...s,
        trace: { step: m.step, sample: m.sample, samples: m.samples, epoch: m.epoch, steps: m.steps, index },
      };
    }
    case 'gradcheck': {
      const { type: _, runId: __, ...run } = m;
      return { ...s, gradcheck: run };
    }
    case 'branched':
      return { ...s, status: 'paused', scrub: null };
  }
}
