// checkLesson: which steps of a lesson the learner's graph and run complete, with a hint for each
// step that is not done; lessonText fills a step's text with the learner's own numbers.
import type { GraphDoc } from '../format/types.ts';
import type { Lang } from '../problems.ts';
import { firstFailing } from './conditions.ts';
import { metricValue } from './hints.ts';
import { type GraphQuery, queryGraph } from './query.ts';
import type { Lesson, LessonCheck, LessonState, LessonText, StepStatus } from './types.ts';

/**
 * A step is done when its conditions hold and every step before it is done; the lesson is done when
 * its last step is. A hint names the first condition that fails, or the first open step before it.
 *
 * @example
 * const xor = lessons.find((l) => l.id === 'xor-2-2-1')!;
 * checkLesson(xor, { doc, run: { epochs: 2000, loss: 0.004 } }).done; // true for a trained 2-2-1 network
 */
export function checkLesson(lesson: Lesson, state: LessonState): LessonCheck {
  const q = queryOf(state.doc);
  const steps: StepStatus[] = [];
  let before = true;
  lesson.steps.forEach((step, i) => {
    // NOTE: an open earlier step comes first: a goal met by another network (91% from an MLP in the CNN
    // lesson) is not this lesson's result.
    const hint = before
      ? firstFailing(step.check, q, state)
      : { code: 'lesson.earlier-step', params: { step: firstOpen(steps) + 1 } };
    steps.push(hint ? { id: step.id, done: false, hint } : { id: step.id, done: true });
    before = before && steps[i]!.done;
  });
  const done = steps.length > 0 && steps.every((s) => s.done);
  const score = done && lesson.score ? scoreOf(lesson, q, state) : undefined;
  return score === undefined ? { done, steps } : { done, steps, score };
}

// NOTE: documents are never changed in place (the editor makes a new one per edit), so the app's check
// on every epoch of a run reads each graph once.
const queries = new WeakMap<GraphDoc, GraphQuery>();
function queryOf(doc: GraphDoc): GraphQuery {
  let q = queries.get(doc);
  if (!q) {
    q = queryGraph(doc);
    queries.set(doc, q);
  }
  return q;
}

const firstOpen = (steps: readonly StepStatus[]) => steps.findIndex((s) => !s.done);

function scoreOf(lesson: Lesson, q: GraphQuery, state: LessonState): number | undefined {
  const metric = lesson.score!.metric;
  return metric === 'params' ? q.analysis.totalParams : state.run?.[metric];
}

/** True when `score` beats `best` (or there is no best yet) by the challenge's measure. */
export function beats(lesson: Lesson, score: number, best: number | undefined): boolean {
  if (best === undefined) return true;
  return lesson.score?.better === 'higher' ? score > best : score < best;
}

/** The learner's numbers a lesson text may name as `{key}` (absent ones are shown as "—"). */
export function lessonValues(state: LessonState): ReadonlyMap<string, string> {
  const q = queryOf(state.doc);
  const t = state.doc.training;
  const values = new Map<string, string>([
    ['params', q.analysis.totalParams.toLocaleString('en-US')],
    ['learningRate', String(t.optimizer.learningRate)],
    ['batchSize', String(t.batchSize)],
    ['epochsSet', String(t.epochs)],
  ]);
  const hidden = q.layers[0] && q.layers.length > 1 ? q.layers[0].units : undefined;
  if (hidden !== undefined) values.set('hiddenUnits', String(hidden));
  const run = state.run;
  if (run && run.epochs > 0)
    for (const key of ['epochs', 'loss', 'testLoss', 'trainAccuracy', 'testAccuracy'] as const) {
      const v = run[key];
      if (v !== undefined) values.set(key, metricValue(key, v));
    }
  return values;
}

/** A lesson text in a language with `{key}` replaced by the learner's values. */
export function lessonText(text: LessonText, lang: Lang, values: ReadonlyMap<string, string> = new Map()): string {
  return text[lang].replace(/\{(\w+)\}/g, (_, key: string) => values.get(key) ?? '—');
}
