import { useEffect, useState } from 'react';
import { useApp, useEditor, useT } from '../appContext.tsx';
import type { MessageKey } from '../i18n/catalogue.ts';
import { AutosaveStatus } from './AutosaveStatus.tsx';

/** Notices, the autosave state, the other-tab conflict choice and the language. */
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
