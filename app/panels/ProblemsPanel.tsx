import { useApp, useEditor, useT } from '../appContext.tsx';
import { problemHint, renderProblem } from '../i18n/catalogue.ts';

/** The compiler's problems, live; clicking one selects and centres its node. */
export function ProblemsPanel() {
  const problems = useEditor((s) => s.analysis.problems);
  const externalErrors = useEditor((s) => s.externalErrors);
  const lang = useEditor((s) => s.lang);
  const { editor } = useApp();
  const t = useT();
  const items = [
    ...[...externalErrors].map(([nodeId, message]) => ({
      nodeId,
      text: t('problems.stopped', { message }),
      hint: null as string | null,
    })),
    ...problems.map((p) => ({ nodeId: p.nodeId, text: renderProblem(lang, p), hint: problemHint(lang, p) })),
  ];
  return (
    <section className="ng-problems" aria-label={t('problems.title')}>
      <h2>
        {t('problems.title')} <span className="ng-count">{items.length}</span>
      </h2>
      {items.length === 0 ? (
        <p className="ng-ok">{t('problems.none')}</p>
      ) : (
        <ul data-testid="problems">
          {items.map((p, i) => (
            <li key={`${p.nodeId}-${i}`} data-testid="problem" data-node-id={p.nodeId ?? ''}>
              <button type="button" disabled={!p.nodeId} onClick={() => p.nodeId && editor.focusNode(p.nodeId)}>
                {p.text}
                {p.hint && <small className="ng-hint-text"> {p.hint}</small>}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** Problems of a rejected import; the current graph is untouched. */
export function ImportProblems() {
  const report = useEditor((s) => s.importProblems);
  const lang = useEditor((s) => s.lang);
  const { editor } = useApp();
  const t = useT();
  if (!report) return null;
  return (
    <div className="ng-import-problems" role="alert" data-testid="import-problems">
      <div className="ng-row">
        <strong>{t('import.rejected', { source: report.source, n: report.problems.length })}</strong>
        <button type="button" data-testid="import-problems-dismiss" onClick={() => editor.setImportProblems(null)}>
          {t('action.dismiss')}
        </button>
      </div>
      <ul>
        {report.problems.map((p, i) => (
          <li key={`${p.path}-${i}`} data-testid="import-problem">
            <code>{p.path}</code> {renderProblem(lang, p)}
          </li>
        ))}
      </ul>
    </div>
  );
}
