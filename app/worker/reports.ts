// What the worker tells the page about a run: its progress, the per-node statistics, the output
// view with the confusion matrix and feature maps, and the crash-recovery weights, each when its
// look is due (looks.ts) at the run's pace (pace.ts).
import { encodeWeights, type Trainer } from '../../engine/index.ts';
import { featureMaps } from './featureMaps.ts';
import { createLooks, type LookKind } from './looks.ts';
import { outputView } from './outputView.ts';
import { reportIntervals, STEPS_PER_SECOND } from './pace.ts';
import type { Evaluation, Progress } from './protocol.ts';
import { modelState, type SessionState } from './sessionState.ts';
import { computeNodeStats } from './sessionStats.ts';

const WEIGHTS_MS = 2000;
/** While running: the longest the confusion matrix goes without being recomputed. */
const CONFUSION_MS = 1000;

/** The current weights on both splits: what a paused run's loss, chart text and confusion agree with. */
export function evaluation(t: Trainer): Evaluation {
  const e = t.evaluate();
  return {
    trainLoss: e.trainLoss,
    testLoss: e.testLoss,
    ...(e.trainAccuracy !== undefined ? { trainAccuracy: e.trainAccuracy } : {}),
    ...(e.testAccuracy !== undefined ? { testAccuracy: e.testAccuracy } : {}),
  };
}

export interface Reports {
  /** Where the run stands; `loss` in place of the last batch's (an evaluated one). */
  progress(loss?: number): Progress;
  postWeights(): void;
  /** The epochs ended since the last report (the loss chart's points), if any. */
  postEpochs(): void;
  /** The output view (the confusion matrix with it when `withConfusion`) and the feature maps, at time `t`. */
  postOutput(tr: Trainer, t: number, withConfusion: boolean): void;
  /**
   * Posts what is due; `force`: everything now (an evaluation too unless running, `known` when just
   * computed); `output: false` / `weights: false` when the output view / the weights of these
   * weights were just posted.
   */
  report(force: boolean, known?: Evaluation, output?: boolean, weights?: boolean): void;
  /** Says the worker is alive during a long evaluation (at most twice a second). */
  alive(): void;
}

export function createReports(s: SessionState): Reports {
  const { env, post, speed, busy } = s;
  const looks = createLooks(env.now);

  const progress = (loss?: number): Progress => {
    const trainer = s.trainer;
    return {
      epoch: trainer?.epoch ?? 0,
      batch: trainer?.batch ?? 0,
      batchesPerEpoch: trainer?.batchesPerEpoch ?? 0,
      epochsTotal: s.epochsTotal,
      samples: trainer?.samples ?? 0,
      // NOTE: a restored run has trained samples but no last batch yet: it shows its evaluated loss.
      loss:
        loss ??
        (trainer && trainer.samples > 0 && Number.isFinite(trainer.lastLoss) ? trainer.lastLoss : s.initialLoss),
      learningRate: trainer?.optimizer.learningRate ?? 0,
      samplesPerSecond: speed.samplesPerSecond,
      stepShare: s.running && env.now() > busy.since ? Math.min(1, busy.stepMs / (env.now() - busy.since)) : 0,
      running: s.running,
      threads: trainer?.model.threads ?? 1,
      threadsBy: trainer?.model.threadsBy,
    };
  };

  const postWeights = () => {
    const trainer = s.trainer;
    if (trainer)
      post({ type: 'weights', weights: encodeWeights(modelState(trainer.model)), snapshot: trainer.snapshot() });
  };

  // NOTE: a CNN's evaluation of the whole training split takes seconds; the client restarts a worker
  // that says nothing for 6 s, so a long evaluation says it is alive (at most twice a second).
  let lastAlive = 0;
  const alive = () => {
    const t = performance.now();
    if (t - lastAlive < 500) return;
    lastAlive = t;
    post({ type: 'alive' });
  };

  const postOutput = (tr: Trainer, t: number, withConfusion: boolean) => {
    looks.mark('output', t);
    const [view, maps] = looks.take(withConfusion ? 'confusion' : 'output', t, () => [
      outputView(tr, withConfusion),
      featureMaps(tr, s.mapsSample),
    ]);
    if (view) post({ type: 'output', view });
    if (maps) post({ type: 'maps', maps });
  };

  const postEpochs = () => {
    if (s.pendingEpochs.length === 0) return;
    post({ type: 'epochs', metrics: s.pendingEpochs });
    s.pendingEpochs = [];
  };

  const report = (force: boolean, known?: Evaluation, output = true, weights = true) => {
    const { trainer: tr, doc, probe: pr } = s;
    if (!tr || !doc || !pr) return;
    const t = env.now();
    if (s.running && t - speed.t >= 250) {
      if (speed.t > 0) {
        const rate = ((tr.samples - speed.samples) * 1000) / (t - speed.t);
        speed.samplesPerSecond = speed.samplesPerSecond === 0 ? rate : 0.7 * speed.samplesPerSecond + 0.3 * rate;
      }
      speed.t = t;
      speed.samples = tr.samples;
    }
    const every = reportIntervals(s.pace, doc.nodes.length);
    const spaced = s.running && STEPS_PER_SECOND[s.pace] === null;
    const due = (kind: LookKind, interval: number) => force || looks.due(kind, t, interval, spaced);
    if (due('progress', every.progress)) {
      looks.mark('progress', t);
      s.guard?.checkpoint();
      postEpochs();
      // NOTE: a run that stands still shows the loss of the weights it stands at (the whole training
      // split), so every view agrees; while running, the last batch's.
      const evaluated = force && !s.running ? (known ?? evaluation(tr)) : undefined;
      if (evaluated) post({ type: 'progress', progress: progress(evaluated.trainLoss), evaluation: evaluated });
      else post({ type: 'progress', progress: progress() });
      if (s.timelineChanged) {
        s.timelineChanged = false;
        post({ type: 'timeline', epochs: s.timeline.epochs(), bytes: s.timeline.bytes });
      }
    }
    if (due('stats', every.stats)) {
      const withWeights = due('heatmap', every.heatmap);
      if (withWeights) looks.mark('heatmap', t);
      const nodes = looks.take('stats', t, () => computeNodeStats(tr, pr, withWeights, s.activationFns));
      post({ type: 'stats', nodes });
    }
    if (output && due('output', every.output)) {
      // NOTE: the confusion matrix predicts the whole test split: with every forced report, else once a second.
      postOutput(tr, t, force || !s.running || looks.due('confusion', t, CONFUSION_MS, spaced));
    }
    // NOTE: weights are the crash-recovery snapshot: taken every 2 s, and at epoch ends (≥ 0.5 s apart).
    if (weights && (due('weights', WEIGHTS_MS) || (s.epochSinceWeights && looks.due('weights', t, 500, false)))) {
      s.epochSinceWeights = false;
      looks.take('weights', t, postWeights);
    }
  };

  return { progress, postWeights, postEpochs, postOutput, report, alive };
}
