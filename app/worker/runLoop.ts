// Training in the worker: one step with its bookkeeping (a divergence, an epoch's end), and the run
// loop that trains in time slices at full speed or in bursts at a paced speed, handing the worker
// back to its messages between them (a pause takes effect within a slice). A model on two threads
// by messages (a page that is not cross-origin isolated) trains by awaited steps; the session
// handles no message while one is in flight (idle()), so a slice is as atomic as a synchronous one.
import type { StepResult, Trainer } from '../../engine/index.ts';
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
  /**
   * Trains one batch (awaited on two threads where the model trains by messages); false when that
   * stopped training (a divergence, posted).
   */
  trainOneAwaited(t: Trainer, g: DivergenceGuard): Promise<boolean>;
  /** After a divergence nothing trains until the optimizer changes (or a reset): says so again. */
  stillStopped(): boolean;
  /** Counts the paced steps from now (a start, a new pace). */
  startPacing(): void;
  /** Runs a new loop now; a loop already scheduled ends at its next slice. */
  restart(): void;
  /** Resolves when no awaited step (two threads by messages) is in flight. */
  idle(): Promise<void>;
}

export function createRunLoop(s: SessionState, reports: Reports): RunLoop {
  const { env, post, busy } = s;
  const { report, postOutput, postWeights, postEpochs, progress } = reports;
  let loop = 0;
  /** At a paced speed: steps trained since `from` (ms); step k is due at from + k / rate. */
  const pacing = { from: 0, steps: 0 };

  /** The step in flight of a loop that awaits its steps, or null. */
  let stepping: Promise<unknown> | null = null;

  const trainOne = (t: Trainer, g: DivergenceGuard): boolean => {
    const before = env.now();
    const r = t.trainStep();
    busy.stepMs += env.now() - before;
    return counted(t, g, r);
  };

  const trainOneAwaited = async (t: Trainer, g: DivergenceGuard): Promise<boolean> => {
    if (t.model.threadsBy !== 'messages') return trainOne(t, g);
    const before = env.now();
    const r = await t.trainStepAsync();
    busy.stepMs += env.now() - before;
    return counted(t, g, r);
  };

  /** A step's bookkeeping: counted, checked for divergence (posted), an epoch's end recorded; false when it stopped training. */
  const counted = (t: Trainer, g: DivergenceGuard, r: StepResult): boolean => {
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

  /** After a step: true when the run's epochs are done (the final view, 'done' and the last report posted). */
  const finished = (trainer: Trainer): boolean => {
    if (trainer.epoch < s.epochsTotal) return false;
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
    return true;
  };

  /** A slice's budget: at full speed as many steps as fit in it; paced, the steps due by now (the first at once). */
  const sliceBudget = (start: number) => {
    const rate = STEPS_PER_SECOND[s.pace];
    if (rate === null) return { rate, budget: Number.POSITIVE_INFINITY, behind: false };
    const due = Math.floor(((start - pacing.from) * rate) / 1000) + 1 - pacing.steps;
    const most = Math.max(1, Math.ceil(rate * CATCH_UP_SECONDS));
    return { rate, budget: Math.min(due, most), behind: due > most };
  };

  /** After a slice of `done` steps: reports, and schedules the next slice. */
  const endSlice = (id: number, done: number, slice: ReturnType<typeof sliceBudget>) => {
    const { rate, budget, behind } = slice;
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

  const run = (id: number) => {
    const { trainer, guard } = s;
    if (!s.running || id !== loop || !trainer || !guard) return;
    if (trainer.model.threadsBy === 'messages') {
      const step = runAwaited(id, trainer, guard).catch((e: unknown) => {
        // A helper that failed (or a step that threw): this run stops and says why.
        if (s.trainer !== trainer) return;
        s.running = false;
        post({ type: 'error', message: e instanceof Error ? e.message : String(e) });
      });
      stepping = step;
      void step.then(() => {
        if (stepping === step) stepping = null;
      });
      return;
    }
    const start = env.now();
    const slice = sliceBudget(start);
    let done = 0;
    while (done < slice.budget && env.now() - start < SLICE_MS) {
      if (!trainOne(trainer, guard)) {
        report(true);
        return;
      }
      done++;
      if (finished(trainer)) return;
    }
    endSlice(id, done, slice);
  };

  /** A slice of awaited steps (two threads by messages); a run paused or replaced meanwhile posts nothing more. */
  const runAwaited = async (id: number, trainer: Trainer, guard: DivergenceGuard): Promise<void> => {
    const start = env.now();
    const slice = sliceBudget(start);
    let done = 0;
    while (done < slice.budget && env.now() - start < SLICE_MS) {
      const before = env.now();
      const r = await trainer.trainStepAsync();
      // NOTE: the session waits for idle() before its next message; this guards what changes without one.
      if (!s.running || id !== loop || s.trainer !== trainer) return;
      busy.stepMs += env.now() - before;
      if (!counted(trainer, guard, r)) {
        report(true);
        return;
      }
      done++;
      if (finished(trainer)) return;
    }
    endSlice(id, done, slice);
  };

  const idle = async () => {
    while (stepping) await stepping;
  };

  const restart = () => {
    loop++;
    run(loop);
  };

  return { trainOneAwaited, stillStopped, startPacing, restart, idle };
}
