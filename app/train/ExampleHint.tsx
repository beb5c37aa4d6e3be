import { useState } from 'react';
import { useEditor, useT } from '../appContext.tsx';
import { hintSeenKey as seenKey } from '../editor/storageKeys.ts';
import type { MessageKey } from '../i18n/catalogue.ts';

/** One line for a learner opening an example for the first time: what the data is, what to watch. */
export function ExampleHint() {
  const t = useT();
  const example = useEditor((s) => s.example);
  const [, rerender] = useState(0);
  if (!example || localStorage.getItem(seenKey(example)) === '1') return null;
  return (
    <p className="ng-example-hint" data-testid="example-hint">
      <span>{t(`hint.${example}` as MessageKey)}</span>
      <button
        type="button"
        aria-label={t('action.dismiss')}
        title={t('action.dismiss')}
        onClick={() => {
          localStorage.setItem(seenKey(example), '1');
          rerender((n) => n + 1);
        }}
      >
        ×
      </button>
    </p>
  );
}
