import { saveAs } from 'file-saver';
import { useApp, useAutosave, useEditor, useT } from '../appContext.tsx';
import { QUOTA_FULL } from '../editor/autosaveRecords.ts';
import { exportDocument } from '../io/files.ts';

/** What the autosave did last, in words: saved, restored, or not saved and why (with a way to keep the graph). */
export function AutosaveStatus() {
  const { editor, autosave } = useApp();
  const t = useT();
  const lang = useEditor((s) => s.lang);
  const state = useAutosave((s) => s.doc);
  const weightsError = useAutosave((s) => s.weightsError);
  const conflict = useAutosave((s) => s.conflict);
  const unreadable = useAutosave((s) => s.unreadable);
  const runCopy = useAutosave((s) => s.runCopy);
  const reasonText = (reason: string) => (reason === QUOTA_FULL ? t('autosave.quotaFull') : reason);
  const time = (at: number) => new Date(at).toLocaleTimeString(lang === 'ja' ? 'ja-JP' : 'en-US');
  const exportButton = (
    <button type="button" data-testid="autosave-export" onClick={() => exportDocument(editor)}>
      {t('autosave.export')}
    </button>
  );
  return (
    <>
      {unreadable && (
        <span className="ng-conflict" role="alert" data-testid="autosave-unreadable">
          {t('autosave.unreadable', { reason: unreadable.reason })}
          <button
            type="button"
            onClick={() => {
              const version = autosave.store.getState().versions.find((v) => v.id === unreadable.versionId);
              if (version)
                saveAs(
                  new Blob([JSON.stringify(version.doc, null, 2)], { type: 'application/json' }),
                  'unreadable.json',
                );
            }}
          >
            {t('versions.download')}
          </button>
          <button type="button" onClick={() => autosave.dismissUnreadable()}>
            {t('action.dismiss')}
          </button>
        </span>
      )}
      {conflict ? (
        <span className="ng-conflict" role="alert" data-testid="tab-conflict">
          {t('autosave.conflict')}
          <button type="button" onClick={() => void autosave.loadTheirs()}>
            {t('autosave.loadTheirs')}
          </button>
          <button type="button" onClick={() => void autosave.keepMine()}>
            {t('autosave.keepMine')}
          </button>
        </span>
      ) : runCopy ? (
        <span className="ng-conflict" data-testid="run-copy">
          {t('autosave.runCopy')}
          <button type="button" onClick={() => void autosave.keepMine()}>
            {t('autosave.keepMyRun')}
          </button>
        </span>
      ) : state.kind === 'failed' ? (
        <span className="ng-save-failed" role="alert" data-testid="autosave-state">
          {t('autosave.failed', { reason: reasonText(state.reason) })}
          {exportButton}
        </span>
      ) : (
        <span
          data-testid="autosave-state"
          data-epoch={state.kind === 'saved' ? state.epoch : undefined}
          className={weightsError ? 'ng-save-failed' : undefined}
        >
          {state.kind === 'saved'
            ? state.epoch
              ? t('autosave.savedAtEpoch', { time: time(state.at), epoch: state.epoch })
              : t('autosave.savedAt', { time: time(state.at) })
            : state.kind === 'restored'
              ? t('autosave.restoredFrom', { time: time(state.at) })
              : t('autosave.notYet')}
          {weightsError && (
            <>
              {' '}
              {t('autosave.weightsFailed', { reason: reasonText(weightsError) })}
              {exportButton}
            </>
          )}
        </span>
      )}
    </>
  );
}
