// The gradient check's results, docked under the canvas: one row per parameter with its worst
// entry (analytic against numeric), coloured by level, and what numerical differentiation is.
import { useApp, useRev, useT, useTraining } from '../appContext.tsx';
import { Dock } from './Dock.tsx';
import { GRADCHECK_LEVELS, gradcheckLevel, sci, sciPair } from './levels.ts';

export function GradcheckPanel() {
  const { training } = useApp();
  const t = useT();
  const run = useTraining((s) => s.gradcheck);
  const rev = useRev('gradcheck');
  if (!run) return null;
  const onClose = () => training.closeGradcheck();
  const close = (
    <button type="button" className="ng-dock-close" onClick={onClose} aria-label={t('action.close')}>
      ×
    </button>
  );
  if (run === 'running')
    return (
      <Dock
        title={t('gradcheck.title')}
        testId="gradcheck-panel"
        busy={t('gradcheck.running')}
        onClose={onClose}
        controls={close}
      />
    );
  const { result, rows, epoch, ms } = run;
  const entries = result.params.reduce((n, p) => n + p.checked, 0);
  const level = gradcheckLevel(result.maxRelError);
  return (
    <Dock
      title={t('gradcheck.title')}
      testId="gradcheck-panel"
      onClose={onClose}
      controls={
        <>
          <span className={`ng-gc-level ${level}`} data-testid="gradcheck-verdict" data-level={level}>
            {t(`gradcheck.verdict.${level}`, { max: sci(result.maxRelError) })}
          </span>
          {close}
        </>
      }
    >
      <p className="ng-muted">
        {t('gradcheck.summary', {
          entries,
          params: result.params.length,
          rows,
          epoch,
          ms: Math.round(ms),
          loss: sci(result.loss),
          ref: sci(result.referenceLoss),
        })}
      </p>
      <div className="ng-dock-body">
        <table className="ng-gc-table">
          <thead>
            <tr>
              <th>{t('gradcheck.param')}</th>
              <th>{t('gradcheck.checked')}</th>
              <th>{t('gradcheck.maxRel')}</th>
              <th>{t('gradcheck.worst')}</th>
              <th>{t('gradcheck.analytic')}</th>
              <th>{t('gradcheck.numeric')}</th>
            </tr>
          </thead>
          <tbody>
            {result.params.map((p) => (
              <tr
                key={p.key}
                data-testid="gradcheck-result"
                data-rev={rev}
                data-key={p.key}
                data-rel-error={p.maxRelError}
                className={gradcheckLevel(p.maxRelError)}
              >
                <td>
                  <code>{p.key}</code>
                </td>
                <td>
                  {p.checked}
                  {p.oneSided + p.skipped > 0 && (
                    <span className="ng-muted" title={t('gradcheck.kinkHint')}>
                      {' '}
                      ({t('gradcheck.kinks', { n: p.oneSided + p.skipped })})
                    </span>
                  )}
                </td>
                <td>
                  <i className={`ng-gc-dot ${gradcheckLevel(p.maxRelError)}`} /> {sci(p.maxRelError)}
                </td>
                <td>[{p.worst.index}]</td>
                {sciPair(p.worst.analytic, p.worst.numeric).map((text, i) => (
                  <td key={i === 0 ? 'analytic' : 'numeric'}>{text}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
        <div className="ng-gc-explain">
          <p>{t('gradcheck.what')}</p>
          <p>
            {t('gradcheck.why', {
              ok: GRADCHECK_LEVELS.ok.toExponential(0),
              bad: GRADCHECK_LEVELS.bad.toExponential(0),
            })}
          </p>
        </div>
      </div>
    </Dock>
  );
}
