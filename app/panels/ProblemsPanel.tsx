import { useEffect, useState } from 'react';
import { useApp, useEditor, useT } from '../appContext.tsx';
import { type QuickFix, quickFix } from '../editor/quickFixes.ts';
import { nodeDefinition } from '../../engine/index.ts';
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
      fix: null as QuickFix | null,
    })),
    ...problems.map((p) => ({
      nodeId: p.nodeId,
      text: renderProblem(lang, p),
      hint: problemHint(lang, p),
      fix: quickFix(editor.getState().doc, p),
    })),
  ];
  // NOTE: an empty list is one status line; new problems open the list, the user may close it.
  const [closed, setClosed] = useState(false);
  const count = items.length;
  useEffect(() => {
    if (count > 0) setClosed(false);
  }, [count]);
  const open = count > 0 && !closed;
  return (
    <section className={`ng-problems${open ? ' open' : ''}`} aria-label={t('problems.title')}>
      <button
        type="button"
        className={`ng-problems-line ${count === 0 ? 'ng-ok' : 'ng-bad'}`}
        data-testid="problems-line"
        aria-expanded={open}
        disabled={count === 0}
        onClick={() => setClosed(open)}
      >
        {count === 0 ? `✓ ${t('problems.none')}` : `⚠ ${t('problems.count', { n: count })} ${open ? '▾' : '▴'}`}
      </button>
      {open && (
        <ul data-testid="problems">
          {items.map((p, i) => (
            <li key={`${p.nodeId}-${i}`} data-testid="problem" data-node-id={p.nodeId ?? ''}>
              <button type="button" disabled={!p.nodeId} onClick={() => p.nodeId && editor.focusNode(p.nodeId)}>
                {p.text}
                {p.hint && <small className="ng-hint-text"> {p.hint}</small>}
              </button>
              {p.fix && (
                <button
                  type="button"
                  className="ng-fix"
                  data-testid="problem-fix"
                  onClick={() => {
                    const result = p.fix && editor.run(p.fix.command);
                    if (result?.ok) editor.select(result.ids);
                  }}
                >
                  {t('fix.insert', { node: nodeDefinition(p.fix.insert).text[lang].label })}
                </button>
              )}
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
