import { useReactFlow } from '@xyflow/react';
import { useApp, useEditor, useT } from '../appContext.tsx';
import type { MessageKey } from '../i18n/catalogue.ts';
import { loadExample } from '../io/files.ts';
import { fitReadable } from '../canvas/visibleArea.ts';
import { EXAMPLES } from './exampleNames.ts';

/** The examples, first thing in the left column: one click opens one (undoable). */
export function Examples() {
  const { editor } = useApp();
  const t = useT();
  const current = useEditor((s) => s.example);
  const flow = useReactFlow();
  return (
    <nav className="ng-palette ng-examples" aria-label={t('toolbar.examples')}>
      <h2>{t('toolbar.examples')}</h2>
      {EXAMPLES.map((name) => (
        <button
          type="button"
          key={name}
          data-testid={`example-${name}`}
          aria-current={current === name ? 'true' : undefined}
          onClick={() =>
            void loadExample(editor, name).then(() => {
              setTimeout(() => fitReadable(flow), 200);
            })
          }
        >
          {t(`example.${name}` as MessageKey)}
        </button>
      ))}
    </nav>
  );
}
