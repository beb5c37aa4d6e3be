import { saveAs } from 'file-saver';
import { useCallback, useRef, useState } from 'react';
import { GraphFormatError, parseGraph } from '../../engine/index.ts';
import { useApp, useAutosave, useEditor, useT } from '../appContext.tsx';
import { type Version, versionName } from '../editor/versions.ts';
import type { MessageKey } from '../i18n/catalogue.ts';
import { useDismiss } from './useDismiss.ts';

/** The toolbar's "Versions" button and list: graphs the autosave kept aside (never lost). */
export function VersionsButton() {
  const t = useT();
  // NOTE: the last working version is always there (for the crash screen); it alone does not show the button.
  const count = useAutosave((s) => s.versions.filter((v) => v.kind !== 'good').length);
  const [open, setOpen] = useState(false);
  const anchor = useRef<HTMLSpanElement>(null);
  useDismiss(
    anchor,
    open,
    useCallback(() => setOpen(false), []),
  );
  if (count === 0) return null;
  return (
    <span ref={anchor} className="ng-menu-anchor">
      <button
        type="button"
        data-testid="versions"
        onClick={() => setOpen(!open)}
        title={t('versions.hint')}
        aria-expanded={open}
      >
        {t('versions.button', { n: count })}
      </button>
      {open && <VersionList onClose={() => setOpen(false)} />}
    </span>
  );
}

function VersionList({ onClose }: { onClose: () => void }) {
  const { editor, autosave } = useApp();
  const t = useT();
  const lang = useEditor((s) => s.lang);
  const versions = useAutosave((s) => s.versions);
  const open = (version: Version) => {
    const source = t('versions.source', { name: versionName(version) || version.id });
    try {
      const doc = parseGraph(version.doc);
      if (editor.run({ type: 'replaceDocument', doc, source: 'import' }).ok) {
        editor.setImportProblems(null);
        onClose();
      }
    } catch (e) {
      if (!(e instanceof GraphFormatError)) throw e;
      editor.setImportProblems({ source, problems: e.problems });
    }
  };
  return (
    <div className="ng-versions" role="dialog" aria-label={t('versions.title')} data-testid="versions-list">
      <div className="ng-row">
        <b>{t('versions.title')}</b>
        <button type="button" onClick={onClose} aria-label={t('versions.close')}>
          ×
        </button>
      </div>
      <p className="ng-muted">{t('versions.explain')}</p>
      <ul>
        {versions.map((v) => (
          <li key={v.id} data-testid={`version-${v.kind}`}>
            <span>
              <b>{t(`versions.kind.${v.kind}` as MessageKey)}</b> {versionName(v)} ·{' '}
              {new Date(v.savedAt).toLocaleString(lang === 'ja' ? 'ja-JP' : 'en-US')}
            </span>
            <button type="button" data-testid="version-open" onClick={() => open(v)}>
              {t('versions.open')}
            </button>
            <button
              type="button"
              onClick={() =>
                saveAs(new Blob([JSON.stringify(v.doc, null, 2)], { type: 'application/json' }), `${v.id}.json`)
              }
            >
              {t('versions.download')}
            </button>
            <button type="button" onClick={() => void autosave.deleteVersion(v.id)}>
              {t('versions.delete')}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
