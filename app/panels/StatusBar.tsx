import { useEffect, useState } from 'react';
import { useApp, useEditor, useT } from '../appContext.tsx';
import type { MessageKey } from '../i18n/catalogue.ts';
import { AutosaveStatus } from './AutosaveStatus.tsx';
import { VersionsButton } from './Versions.tsx';

/**
 * Notices, the autosave state with the kept Versions, the other-tab conflict choice and the language.
 * NOTE: Versions sit with the autosave (what keeps them), not in the toolbar: there they wrapped it to
 * two rows at 1280×720 and pushed the loss chart off screen.
 */
export function StatusBar() {
  const notice = useEditor((s) => s.notice);
  const lang = useEditor((s) => s.lang);
  const { editor } = useApp();
  const t = useT();
  const [visible, setVisible] = useState<string | null>(null);
  useEffect(() => {
    if (!notice) return;
    setVisible(t(notice.key as MessageKey, notice.params));
    const timer = setTimeout(() => setVisible(null), 4000);
    return () => clearTimeout(timer);
  }, [notice, t]);
  return (
    <footer className="ng-status">
      <AutosaveStatus />
      <VersionsButton />
      {visible && (
        <span className="ng-notice" role="status" data-testid="notice">
          {visible}
        </span>
      )}
      <label className="ng-lang">
        <span className="ng-sr">{t('lang.label')}</span>
        <select data-testid="lang" value={lang} onChange={(e) => editor.setLang(e.target.value as 'en' | 'ja')}>
          <option value="en">English</option>
          <option value="ja">日本語</option>
        </select>
      </label>
    </footer>
  );
}
