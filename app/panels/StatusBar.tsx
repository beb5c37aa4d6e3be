import { useEffect, useState } from 'react';
import { keepMine, loadTheirs, useAutosave } from '../persistence/autosave.ts';
import { useEditor } from '../store/documentStore.ts';

/** Notices, the autosave state and the other-tab conflict choice. */
export function StatusBar() {
  const notice = useEditor((s) => s.notice);
  const lastSaved = useAutosave((s) => s.lastSaved);
  const conflict = useAutosave((s) => s.conflict);
  const [visible, setVisible] = useState<string | null>(null);
  useEffect(() => {
    if (!notice) return;
    setVisible(notice.text);
    const t = setTimeout(() => setVisible(null), 4000);
    return () => clearTimeout(t);
  }, [notice]);
  return (
    <footer className="ng-status">
      {conflict ? (
        <span className="ng-conflict" role="alert" data-testid="tab-conflict">
          This graph was changed in another tab. Autosave is paused here.
          <button type="button" onClick={() => void loadTheirs()}>
            Load theirs
          </button>
          <button type="button" onClick={() => void keepMine()}>
            Keep mine (overwrite theirs)
          </button>
        </span>
      ) : (
        <span data-testid="autosave-state">
          {lastSaved ? `Saved in this browser at ${new Date(lastSaved).toLocaleTimeString()}` : 'Not saved yet'}
        </span>
      )}
      {visible && (
        <span className="ng-notice" role="status" data-testid="notice">
          {visible}
        </span>
      )}
    </footer>
  );
}
