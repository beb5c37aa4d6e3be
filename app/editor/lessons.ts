// The learner's lessons without React: which lesson is open, and per lesson the progress that
// survives a reload (steps seen done, what was done in the app, predictions, a challenge's best).
// The checks themselves are the engine's checkLesson; runSummaryOf turns the training state into
// the run they read. Storage is injected (localStorage in the app, a fake in tests).
import { createStore, type StoreApi } from 'zustand/vanilla';
import { beats, findLesson, type LessonActivity, type LessonCheck, type RunSummary } from '../../engine/index.ts';
import type { TrainingState } from './trainingState.ts';

export interface LessonProgress {
  /** Steps seen done at least once. */
  steps: readonly string[];
  activities: readonly LessonActivity[];
  predictions: { tries: number; hits: number };
  /** A challenge's best score. */
  best?: number | undefined;
  completed: boolean;
}

export interface LessonsState {
  /** The list of lessons is open (in place of the examples). */
  listOpen: boolean;
  /** The lesson on screen. */
  active: string | null;
  progress: ReadonlyMap<string, LessonProgress>;
}

export interface LessonsStorage {
  load(): unknown;
  save(value: unknown): void;
}

export interface Lessons {
  readonly store: StoreApi<LessonsState>;
  getState(): LessonsState;
  toggleList(open?: boolean): void;
  start(id: string): void;
  /** Closes the lesson; the learner's graph stays as it is. */
  exit(): void;
  /** Something the active lesson may ask for happened (a trace walked through, a gradient check). */
  record(activity: LessonActivity): void;
  /** A prediction in the step-through, counted for the active lesson. */
  predicted(hit: boolean): void;
  /** The live check of the active lesson: steps done and a challenge's score are kept. */
  observe(check: LessonCheck): void;
}

const EMPTY: LessonProgress = { steps: [], activities: [], predictions: { tries: 0, hits: 0 }, completed: false };

/** The progress of a lesson (empty when it has none). */
export const progressOf = (s: LessonsState, id: string): LessonProgress => s.progress.get(id) ?? EMPTY;

/** The run on screen as the CLI would summarise it: the last epoch of the editor's current run. */
export function runSummaryOf(
  training: Pick<TrainingState, 'runId' | 'history'>,
  runId: number,
): RunSummary | undefined {
  if (training.runId !== runId) return undefined;
  const last = training.history[training.history.length - 1];
  if (!last) return undefined;
  return {
    epochs: last.epoch,
    loss: last.trainLoss,
    testLoss: last.testLoss,
    trainAccuracy: last.trainAccuracy,
    testAccuracy: last.testAccuracy,
  };
}

const isActivity = (v: unknown): v is LessonActivity =>
  v === 'trace' || v === 'gradcheck' || v === 'predict' || v === 'compare';
const count = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? Math.floor(v) : 0);

/** Reads what storage holds, field by field with defaults; lessons this build does not know are dropped. */
function restore(saved: unknown): LessonsState {
  const s = (typeof saved === 'object' && saved !== null ? saved : {}) as Record<string, unknown>;
  const progress = new Map<string, LessonProgress>();
  const entries = Array.isArray(s.progress) ? s.progress : [];
  for (const entry of entries) {
    if (!Array.isArray(entry) || typeof entry[0] !== 'string' || !findLesson(entry[0])) continue;
    const p = (typeof entry[1] === 'object' && entry[1] !== null ? entry[1] : {}) as Record<string, unknown>;
    const predictions = (typeof p.predictions === 'object' && p.predictions !== null ? p.predictions : {}) as Record<
      string,
      unknown
    >;
    progress.set(entry[0], {
      steps: Array.isArray(p.steps) ? p.steps.filter((x): x is string => typeof x === 'string') : [],
      activities: Array.isArray(p.activities) ? p.activities.filter(isActivity) : [],
      predictions: {
        tries: count(predictions.tries),
        hits: Math.min(count(predictions.hits), count(predictions.tries)),
      },
      best: typeof p.best === 'number' && Number.isFinite(p.best) ? p.best : undefined,
      completed: p.completed === true,
    });
  }
  const active = typeof s.active === 'string' && findLesson(s.active) ? s.active : null;
  return { listOpen: false, active, progress };
}

/**
 * @example
 * const lessons = createLessons({ storage: { load: () => null, save: () => {} } });
 * lessons.start('xor-2-2-1');
 */
export function createLessons(options: { storage: LessonsStorage }): Lessons {
  const { storage } = options;
  let initial: LessonsState;
  try {
    initial = restore(storage.load());
  } catch {
    initial = restore(null);
  }
  const store = createStore<LessonsState>(() => initial);
  const save = () => {
    const s = store.getState();
    try {
      storage.save({ active: s.active, progress: [...s.progress] });
    } catch {
      // NOTE: storage may be full or unavailable (private mode): progress then lasts for this page only.
    }
  };
  const update = (id: string, change: (p: LessonProgress) => LessonProgress) => {
    const s = store.getState();
    const before = progressOf(s, id);
    const after = change(before);
    if (after === before) return;
    store.setState({ progress: new Map([...s.progress, [id, after]]) });
    save();
  };
  const lessons: Lessons = {
    store,
    getState: () => store.getState(),
    toggleList(open) {
      store.setState((s) => ({ listOpen: open ?? !s.listOpen }));
    },
    start(id) {
      if (!findLesson(id)) return;
      store.setState({ active: id, listOpen: false });
      save();
    },
    exit() {
      store.setState({ active: null });
      save();
    },
    record(activity) {
      const id = store.getState().active;
      if (id)
        update(id, (p) => (p.activities.includes(activity) ? p : { ...p, activities: [...p.activities, activity] }));
    },
    predicted(hit) {
      const id = store.getState().active;
      if (!id) return;
      update(id, (p) => ({
        ...p,
        activities: p.activities.includes('predict') ? p.activities : [...p.activities, 'predict'],
        predictions: { tries: p.predictions.tries + 1, hits: p.predictions.hits + (hit ? 1 : 0) },
      }));
    },
    observe(check) {
      const id = store.getState().active;
      const lesson = id ? findLesson(id) : undefined;
      if (!id || !lesson) return;
      update(id, (p) => {
        const fresh = check.steps.filter((x) => x.done && !p.steps.includes(x.id)).map((x) => x.id);
        const better = check.score !== undefined && beats(lesson, check.score, p.best);
        if (fresh.length === 0 && !better && (p.completed || !check.done)) return p;
        return {
          ...p,
          steps: [...p.steps, ...fresh],
          best: better ? check.score : p.best,
          completed: p.completed || check.done,
        };
      });
    },
  };
  return lessons;
}
