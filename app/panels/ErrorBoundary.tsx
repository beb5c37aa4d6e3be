import { Component, type ReactNode } from 'react';
import { useApp, useT } from '../appContext.tsx';
import { clearAutosave } from '../editor/autosave.ts';
import { exportDocument } from '../io/files.ts';

interface State {
  error: Error | null;
}

/** A crash in the UI shows what happened and ways out: export the graph, or start empty. */
export class ErrorBoundary extends Component<{ children: ReactNode }, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  override render() {
    if (!this.state.error) return this.props.children;
    return <CrashScreen error={this.state.error} />;
  }
}

function CrashScreen({ error }: { error: Error }) {
  const t = useT();
  const { editor } = useApp();
  return (
    <div className="ng-crash" role="alert">
      <h1>{t('crash.title')}</h1>
      <p>{error.message}</p>
      <p>{t('crash.safe')}</p>
      <div className="ng-row">
        <button type="button" className="primary" onClick={() => window.location.reload()}>
          {t('crash.reload')}
        </button>
        <button type="button" onClick={() => exportDocument(editor)}>
          {t('crash.export')}
        </button>
        <button
          type="button"
          data-testid="crash-start-empty"
          onClick={() => void clearAutosave().then(() => window.location.reload())}
        >
          {t('crash.startEmpty')}
        </button>
      </div>
    </div>
  );
}
