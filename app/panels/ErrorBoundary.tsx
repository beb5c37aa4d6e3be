import { Component, type ReactNode, useEffect, useState } from 'react';
import { useApp, useAutosave, useT } from '../appContext.tsx';
import { exportDocument } from '../io/files.ts';
import { CRASH_EVENT } from '../testing/hooks.ts';

interface State {
  error: Error | null;
}

/** A crash in the UI shows what happened and ways out: export the graph, restore the last working
 * version, or start empty (the crashing graph is kept under Versions). */
export class ErrorBoundary extends Component<{ children: ReactNode }, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  override render() {
    if (!this.state.error)
      return (
        <>
          {this.props.children}
          <CrashProbe />
        </>
      );
    return <CrashScreen error={this.state.error} />;
  }
}

/** Renders nothing until the test hook's event; then throws while rendering, as a broken component would. */
function CrashProbe() {
  const [crash, setCrash] = useState(false);
  useEffect(() => {
    const onCrash = () => setCrash(true);
    window.addEventListener(CRASH_EVENT, onCrash);
    return () => window.removeEventListener(CRASH_EVENT, onCrash);
  }, []);
  if (crash) throw new Error('A crash made by the test hook nodegradTest.crashUi');
  return null;
}

function CrashScreen({ error }: { error: Error }) {
  const t = useT();
  const { editor, autosave } = useApp();
  const good = useAutosave((s) => s.versions.find((v) => v.kind === 'good'));
  return (
    <div className="ng-crash" role="alert">
      <h1>{t('crash.title')}</h1>
      <p>{t('crash.safe')}</p>
      <div className="ng-row">
        <button type="button" className="primary" onClick={() => window.location.reload()}>
          {t('crash.reload')}
        </button>
        <button type="button" onClick={() => exportDocument(editor)}>
          {t('crash.export')}
        </button>
        {good && (
          <button
            type="button"
            data-testid="crash-restore-good"
            onClick={() => void autosave.promote(good.id).then(() => window.location.reload())}
          >
            {t('crash.restoreGood', { time: new Date(good.savedAt).toLocaleString() })}
          </button>
        )}
        <button
          type="button"
          data-testid="crash-start-empty"
          onClick={() => void autosave.startEmpty().then(() => window.location.reload())}
        >
          {t('crash.startEmpty')}
        </button>
      </div>
      <p className="ng-crash-detail">
        {t('crash.detail')} <code>{error.message}</code>
      </p>
    </div>
  );
}
