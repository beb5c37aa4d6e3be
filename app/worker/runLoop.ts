// Training in the worker: one step with its bookkeeping (a divergence, an epoch's end), and the run
// loop that trains in time slices at full speed or in bursts at a paced speed, handing the worker
// back to its messages between them (a pause takes effect within a slice).
import type { Trainer } from '../../engine/index.ts';
import type { DivergenceGuard } from './divergence.ts';
import { STEPS_PER_SECOND } from './pace.ts';
import type { Reports } from './reports.ts';
import { modelState, type SessionState } from './sessionState.ts';

/** The longest the worker trains without looking at its messages (a pause takes effect within it). */
const SLICE_MS = 25;
/** At a paced speed: the shortest gap between two bursts of steps (about one display frame). */
const TICK_MS = 16;
/** At a paced speed: the most steps one burst may catch up on after the worker fell behind. */
const CATCH_UP_SECONDS = 0.1;

export interface RunLoop {
  /** Trains one batch; false when that stopped training (a divergence, posted). */
  trainOne(t: Trainer, g: DivergenceGuard): boolean;
  /** After a divergence nothing trains until the optimizer changes (or a reset): says so again. */
  stillStopped(): boolean;
  /** Counts the paced steps from now (a start, a new pace). */
  startPacing(): void;
  /** Runs a new loop now; a loop already scheduled ends at its next slice. */
  restart(): void;
}

export function createRunLoop(s: SessionState, reports: Reports): RunLoop {
  const { env, post, busy } = s;
  const { report, postOutput, postWeights, postEpochs, progress } = reports;
  let loop = 0;
  /** At a paced speed: steps trained since `from` (ms); step k is due at from + k / rate. */
  const pacing = { from: 0, steps: 0 };

  const trainOne = (t: Trainer, g: DivergenceGuard): boolean => {
    const before = env.now();
    const r = t.trainStep();
    busy.stepMs += env.now() - before;
    // NOTE: a step that diverged rolled the weights back: still a new step (the weights changed).
    s.total++;
    const stopped = g.check(r);
    if (stopped) {
      s.running = false;
      post({ type: 'diverged', report: stopped });
      return false;
    }
    if (r.epochEnded) {
      s.pendingEpochs.push({ ...r.epochEnded });
      if (s.timeline.record(t.epoch, s.total, modelState(t.model))) s.timelineChanged = true;
      s.epochSinceWeights = true;
    }
    return true;
  };

  const stillStopped = (): boolean => {
    if (!s.guard?.stopped) return false;
    s.running = false;
    post({ type: 'diverged', report: s.guard.stopped });
    report(true);
    return true;
  };

  const startPacing = () => {
    pacing.from = env.now();
    pacing.steps = 0;
  };

  const run = (id: number) => {
    const { trainer, guard } = s;
    if (!s.running || id !== loop || !trainer || !guard) return;
    const rate = STEPS_PER_SECOND[s.pace];
    const start = env.now();
    // At full speed: as many steps as fit in a slice. Paced: the steps due by now (the first at once).
    let budget = Number.POSITIVE_INFINITY;
    let behind = false;
    if (rate !== null) {
      const due = Math.floor(((start - pacing.from) * rate) / 1000) + 1 - pacing.steps;
      const most = Math.max(1, Math.ceil(rate * CATCH_UP_SECONDS));
      behind = due > most;
      budget = Math.min(due, most);
    }
    let done = 0;
    while (done < budget && env.now() - start < SLICE_MS) {
      if (!trainOne(trainer, guard)) {
        report(true);
        return;
      }
      done++;
      if (trainer.epoch >= s.epochsTotal) {
        s.running = false;
        // NOTE: the final weights' output view (a CNN's confusion matrix takes seconds), the last epochs'
        // chart points and the final weights themselves before 'done', so Done never stands beside an
        // earlier step's view, nor an Export or autosave of earlier weights (truth.spec), and a Compare
        // variant is complete at its 'done'; 'done' carries where the run ended (the final progress comes
        // after it too, running: false; see the session test).
        postOutput(trainer, env.now(), true);
        postEpochs();
        postWeights();
        post({ type: 'done', progress: progress() });
        report(true, undefined, false, false);
        return;
      }
    }
    if (done > 0) report(false);
    if (rate === null) {
      env.schedule(() => run(id));
      return;
    }
    pacing.steps += done;
    // NOTE: a worker that fell behind (a big model, a busy machine) forgets its debt rather than burst.
    if (behind || done < budget) {
      pacing.from = env.now();
      pacing.steps = 1;
    }
    const nextDue = pacing.from + (pacing.steps * 1000) / rate;
    env.schedule(() => run(id), Math.max(TICK_MS, nextDue - env.now()));
  };

  const restart = () => {
    loop++;
    run(loop);
  };

  return { trainOne, stillStopped, startPacing, restart };
}
