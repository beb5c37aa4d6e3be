// The lessons: their list at the top of the left column in place of the examples (`lessons` opens it),
// and the lesson being done (`lesson-<id>` starts it) docked under the canvas, so the palette, the
// inspector, the canvas, the output view and the loss chart all stay in view: its steps checked live
// against the graph and the run on screen, the current step's text and what is missing. While the
// step-through or the gradient check is open it shrinks to its title row.
import { useReactFlow } from '@xyflow/react';
import { useEffect, useMemo, useState } from 'react';
import {
  challenges,
  checkLesson,
  findLesson,
  hintText,
  type Lesson,
  type LessonCheck,
  lessons,
  lessonText,
  lessonValues,
} from '../../engine/index.ts';
import { useApp, useEditor, useLessons, useT, useTraining } from '../appContext.tsx';
import { emptyDocument } from '../editor/documents.ts';
import { progressOf, runSummaryOf } from '../editor/lessons.ts';
import { READABLE_FIT } from '../nodes/nodeLook.ts';
import { Examples } from '../panels/Examples.tsx';
import './lessons.css';

export function LessonsSlot() {
  const listOpen = useLessons((s) => s.listOpen);
  return listOpen ? <LessonList /> : <Examples />;
}

export function LessonDock() {
  const active = useLessons((s) => s.active);
  const lesson = active ? findLesson(active) : undefined;
  // NOTE: keyed by lesson: the step picked in one lesson means nothing in another.
  return lesson ? <LessonView key={lesson.id} lesson={lesson} /> : null;
}

function LessonList() {
  const { lessons: state } = useApp();
  const t = useT();
  const lang = useEditor((s) => s.lang);
  const progress = useLessons((s) => s.progress);
  const item = (l: Lesson) => {
    const p = progress.get(l.id);
    const status = p?.completed
      ? t('lessons.completed')
      : t('lessons.progress', { done: p?.steps.length ?? 0, total: l.steps.length });
    return (
      <button
        type="button"
        key={l.id}
        data-testid={`lesson-${l.id}`}
        title={l.summary[lang]}
        className={p?.completed ? 'done' : undefined}
        onClick={() => state.start(l.id)}
      >
        <span className="ng-lesson-name">{l.title[lang]}</span>
        <span className="ng-lesson-status">
          {l.score && p?.best !== undefined ? t('lessons.best', { score: p.best, unit: l.score.unit[lang] }) : status}
        </span>
      </button>
    );
  };
  return (
    <nav className="ng-lessons" aria-label={t('lessons.title')} data-testid="lesson-list">
      <header>
        <h2>{t('lessons.title')}</h2>
        <button
          type="button"
          className="ng-lesson-x"
          title={t('lessons.close')}
          onClick={() => state.toggleList(false)}
        >
          ×
        </button>
      </header>
      {lessons.map(item)}
      <h3>{t('lessons.challenges')}</h3>
      {challenges.map(item)}
    </nav>
  );
}

/** The live check of a lesson against the graph and the run on screen; kept as progress. */
function useLessonCheck(lesson: Lesson): { check: LessonCheck; values: ReadonlyMap<string, string> } {
  const doc = useEditor((s) => s.doc);
  const runId = useEditor((s) => s.runId);
  const trainingRun = useTraining((s) => s.runId);
  const history = useTraining((s) => s.history);
  const activities = useLessons((s) => progressOf(s, lesson.id).activities);
  return useMemo(() => {
    const run = runSummaryOf({ runId: trainingRun, history }, runId);
    const check = checkLesson(lesson, { doc, run, activities });
    return { check, values: lessonValues({ doc, run, activities }) };
  }, [lesson, doc, runId, trainingRun, history, activities]);
}

/** Records what the lesson may ask for when it happens: a step-through walked to its end, a gradient check. */
function useActivities(): void {
  const { training, lessons: state } = useApp();
  useEffect(
    () =>
      training.store.subscribe((s) => {
        if (s.trace && s.trace !== 'loading' && s.trace.index === s.trace.steps.length - 1) state.record('trace');
        if (s.gradcheck && s.gradcheck !== 'running') state.record('gradcheck');
      }),
    [training, state],
  );
}

function LessonView({ lesson }: { lesson: Lesson }) {
  const { editor, lessons: state } = useApp();
  const t = useT();
  const lang = useEditor((s) => s.lang);
  const flow = useReactFlow();
  const progress = useLessons((s) => progressOf(s, lesson.id));
  const { check, values } = useLessonCheck(lesson);
  useActivities();
  useEffect(() => state.observe(check), [state, check]);
  const [picked, setPicked] = useState<number | null>(null);
  const firstOpen = check.steps.findIndex((s) => !s.done);
  const current = Math.min(picked ?? (firstOpen < 0 ? lesson.steps.length - 1 : firstOpen), lesson.steps.length - 1);
  const step = lesson.steps[current]!;
  const status = check.steps[current]!;
  const replace = () => {
    const doc = lesson.start ?? emptyDocument(lesson.title[lang]);
    if (editor.run({ type: 'replaceDocument', doc, source: 'lesson' }).ok)
      setTimeout(() => void flow.fitView({ ...READABLE_FIT, duration: 300 }), 200);
  };
  const compact = useTraining((s) => s.trace !== null || s.gradcheck !== null);
  return (
    <section
      className={`ng-dock ng-lesson${compact ? ' compact' : ''}`}
      aria-label={lesson.title[lang]}
      data-testid="lesson-panel"
      data-lesson={lesson.id}
    >
      <header>
        <h2>{lesson.title[lang]}</h2>
        <ol className="ng-lesson-steps">
          {check.steps.map((s, i) => (
            <li key={s.id}>
              <button
                type="button"
                data-testid="lesson-step"
                data-step={s.id}
                data-done={s.done ? 'true' : 'false'}
                aria-current={i === current ? 'step' : undefined}
                aria-label={`${t('lessons.step', { n: i + 1 })}: ${t(s.done ? 'lessons.stepDone' : 'lessons.stepOpen')}`}
                title={lessonText(lesson.steps[i]!.text, lang, values)}
                onClick={() => setPicked(i === picked ? null : i)}
              >
                {s.done ? '✓' : i + 1}
              </button>
            </li>
          ))}
        </ol>
        <span className="ng-lesson-stepno">{t('lessons.stepOf', { n: current + 1, total: lesson.steps.length })}</span>
        {progress.predictions.tries > 0 && (
          <span className="ng-muted" data-testid="lesson-predictions">
            {t('lessons.predictions', progress.predictions)}
          </span>
        )}
        <button
          type="button"
          className="ng-lesson-exit"
          data-testid="lesson-exit"
          title={t('lessons.exitHint')}
          onClick={() => state.exit()}
        >
          {t('lessons.exit')}
        </button>
      </header>
      {!compact && (
        <div className="ng-lesson-body" data-testid="lesson-current" data-step={step.id}>
          <div className="ng-lesson-main">
            <p className="ng-lesson-text">{lessonText(step.text, lang, values)}</p>
            <details className="ng-lesson-about">
              <summary>{t('lessons.about')}</summary>
              <p>{lesson.summary[lang]}</p>
            </details>
          </div>
          <div className="ng-lesson-side">
            {status.hint ? (
              <p className="ng-lesson-hint" data-testid="lesson-hint" data-code={status.hint.code}>
                <b>{t('lessons.hint')}</b> {hintText(lesson, status.hint, lang)}
              </p>
            ) : (
              <p className="ng-lesson-ok">{t('lessons.doneStep')}</p>
            )}
            {check.done && <p className="ng-lesson-ok">{t('lessons.complete')}</p>}
            {lesson.score && check.score !== undefined && (
              <p className="ng-lesson-ok" data-testid="lesson-score">
                {t('lessons.score', {
                  score: check.score,
                  unit: lesson.score.unit[lang],
                  best: progress.best ?? check.score,
                })}
              </p>
            )}
            {current === 0 && (
              <button
                type="button"
                className="ng-lesson-start"
                data-testid="lesson-start-graph"
                title={t(lesson.start ? 'lessons.loadStartHint' : 'lessons.freshHint')}
                onClick={replace}
              >
                {t(lesson.start ? 'lessons.loadStart' : 'lessons.fresh')}
              </button>
            )}
          </div>
        </div>
      )}
    </section>
  );
}
