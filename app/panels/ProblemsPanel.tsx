import { useEffect, useState } from 'react';
import { useApp, useEditor, useT } from '../appContext.tsx';
import { type QuickFix, quickFix } from '../editor/quickFixes.ts';
import { type MessageKey, problemHint, renderProblem } from '../i18n/catalogue.ts';

/** Problems listed before "n more": the list never takes more than a strip of the canvas. */
const PROBLEMS_SHOWN = 3;
/** Problems that follow from another one (an unconnected port upstream): listed last. */
const CONSEQUENCES = new Set(['node.dead-end', 'node.unreachable']);

/** One click fixes first, then problems with a hint, then the rest; consequences last; stable otherwise. */
function mostUsefulFirst<T extends { fix: QuickFix | null; hint: string | null; code?: string | undefined }>(
  items: readonly T[],
): T[] {
  const rank = (p: T) => (p.fix ? 0 : p.hint ? 1 : 2) + (p.code && CONSEQUENCES.has(p.code) ? 3 : 0);
  return items
    .map((p, i) => [p, i] as const)
    .sort((a, b) => rank(a[0]) - rank(b[0]) || a[1] - b[1])
    .map(([p]) => p);
}

/** The compiler's problems, live; clicking one selects and centres its node. */
export function ProblemsPanel() {
  const problems = useEditor((s) => s.analysis.problems);
  const externalErrors = useEditor((s) => s.externalErrors);
  const lang = useEditor((s) => s.lang);
  const { editor } = useApp();
  const t = useT();
  const items = [
    ...[...externalErrors].map(([nodeId, message]) => ({
      code: undefined as string | undefined,
      nodeId,
      text: t('problems.stopped', { message }),
      hint: null as string | null,
      fix: null as QuickFix | null,
    })),
    ...problems.map((p) => ({
      code: p.code as string | undefined,
      nodeId: p.nodeId,
      text: renderProblem(lang, p),
      hint: problemHint(lang, p),
      fix: quickFix(editor.getState().doc, p),
    })),
  ];
  // NOTE: an empty list is one status line; new problems open the list, the user may close it.
  const [closed, setClosed] = useState(false);
  const [all, setAll] = useState(false);
  const count = items.length;
  useEffect(() => {
    if (count > 0) setClosed(false);
  }, [count]);
  const ranked = mostUsefulFirst(items);
  const shown = all ? ranked : ranked.slice(0, PROBLEMS_SHOWN);
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
          {shown.map((p, i) => (
            <li key={`${p.nodeId}-${i}`} className="ng-problem" data-testid="problem" data-node-id={p.nodeId ?? ''}>
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
                  {t(p.fix.label as MessageKey, p.fix.params)}
                </button>
              )}
            </li>
          ))}
          {count > PROBLEMS_SHOWN && (
            <li>
              <button
                type="button"
                className="ng-problems-more"
                data-testid="problems-more"
                aria-expanded={all}
                onClick={() => setAll(!all)}
              >
                {all ? t('problems.fewer') : t('problems.more', { n: count - PROBLEMS_SHOWN })}
              </button>
            </li>
          )}
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
