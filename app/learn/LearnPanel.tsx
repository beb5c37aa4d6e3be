// Learn mode's entry points, in the left column under the examples: the lessons, step through backprop
// on one sample, check the gradients numerically.
import { useApp, useLessons, useT, useTraining } from '../appContext.tsx';

export function LearnPanel() {
  const { training, lessons } = useApp();
  const t = useT();
  const listOpen = useLessons((s) => s.listOpen);
  const busy = useTraining((s) => s.status === 'loading' || s.gradcheck === 'running');
  return (
    <nav className="ng-palette ng-examples ng-learn" aria-label={t('learn.title')}>
      <h2>{t('learn.title')}</h2>
      <button
        type="button"
        data-testid="lessons"
        aria-pressed={listOpen}
        title={t('lessons.openHint')}
        onClick={() => lessons.toggleList()}
      >
        {t('lessons.open')}
      </button>
      <button
        type="button"
        data-testid="trace-start"
        disabled={busy}
        title={t('learn.traceHint')}
        onClick={() => training.trace(0)}
      >
        {t('learn.trace')}
      </button>
      <button
        type="button"
        data-testid="gradcheck-run"
        disabled={busy}
        title={t('learn.gradcheckHint')}
        onClick={() => training.gradcheck()}
      >
        {t('learn.gradcheck')}
      </button>
    </nav>
  );
}
