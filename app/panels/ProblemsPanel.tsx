import { useEditor } from '../store/documentStore.ts';

/** The compiler's problems, live; clicking one selects and centres its node. */
export function ProblemsPanel() {
  const problems = useEditor((s) => s.analysis.problems);
  const externalErrors = useEditor((s) => s.externalErrors);
  const focusNode = useEditor((s) => s.focusNode);
  const items = [
    ...Object.entries(externalErrors).map(([nodeId, message]) => ({ nodeId, edgeId: undefined, message })),
    ...problems,
  ];
  return (
    <section className="ng-problems" aria-label="Problems">
      <h2>
        Problems <span className="ng-count">{items.length}</span>
      </h2>
      {items.length === 0 ? (
        <p className="ng-ok">The graph compiles.</p>
      ) : (
        <ul data-testid="problems">
          {items.map((p, i) => (
            <li key={`${p.nodeId}-${i}`} data-testid="problem" data-node-id={p.nodeId ?? ''}>
              <button type="button" disabled={!p.nodeId} onClick={() => p.nodeId && focusNode(p.nodeId)}>
                {p.message}
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
  if (!report) return null;
  return (
    <div className="ng-import-problems" role="alert" data-testid="import-problems">
      <div className="ng-row">
        <strong>
          {report.source} was not imported: {report.problems.length} problem{report.problems.length === 1 ? '' : 's'}.
          Your graph is unchanged.
        </strong>
        <button
          type="button"
          data-testid="import-problems-dismiss"
          onClick={() => useEditor.setState({ importProblems: null })}
        >
          Dismiss
        </button>
      </div>
      <ul>
        {report.problems.map((p, i) => (
          <li key={`${p.path}-${i}`} data-testid="import-problem">
            <code>{p.path}</code> {p.message}
          </li>
        ))}
      </ul>
    </div>
  );
}
